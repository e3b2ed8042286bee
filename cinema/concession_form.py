"""The concession item editor's check across its per-theater rows: one row per theater."""

from wagtail.admin.forms import WagtailAdminModelForm


class ConcessionItemForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        overrides = self.formsets.get("theater_overrides")
        if overrides is None or not overrides.is_valid():
            return cleaned
        seen = set()
        for form in overrides.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("theater") is None:
                continue
            theater = data["theater"]
            if theater.pk in seen:
                self.add_error(None, f"{theater.title} is listed twice under “Per theater”. Keep one row for it.")
            seen.add(theater.pk)
        return cleaned
