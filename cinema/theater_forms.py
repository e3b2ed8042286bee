"""The theater page editor's check: a screen with shows cannot be removed."""

from wagtail.admin.forms import WagtailAdminPageForm


class TheaterPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        from cinema.models import ShowPage

        screens = self.formsets.get("screens")
        if screens is None:
            return cleaned
        removed = [form.instance for form in screens.deleted_forms if form.instance.pk] if screens.is_valid() else []
        busy = set(ShowPage.objects.filter(screen__in=removed).values_list("screen__name", flat=True))
        for name in sorted(busy):
            self.add_error(None, f"{name} has shows scheduled, so it cannot be removed. Move or cancel its shows first.")
        return cleaned
