"""The theater page editor's checks: screens with shows stay; screen names stay distinct."""

from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm

from cinema.models.shows import ShowPage


class TheaterPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        screens = self.formsets.get("screens")
        if screens is None:
            return cleaned
        if not screens.is_valid():
            return cleaned
        removed = [form.instance for form in screens.deleted_forms if form.instance.pk]
        kept = [form.cleaned_data for form in screens.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        by_slug: dict[str, str] = {}
        for data in kept:
            name = data.get("name", "")
            if slugify(name) in by_slug:
                self.add_error(
                    None,
                    f"Screen names “{by_slug[slugify(name)]}” and “{name}” are too alike: their shows' addresses would clash.",
                )
            by_slug.setdefault(slugify(name), name)
        busy = set(ShowPage.objects.filter(screen__in=removed).values_list("screen__name", flat=True))
        for name in sorted(busy):
            self.add_error(None, f"{name} has shows scheduled, so it cannot be removed. Move or cancel its shows first.")
        return cleaned
