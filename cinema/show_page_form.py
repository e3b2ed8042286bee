"""The show page editor's checks: title and slug from the show's facts, prices per seat category."""

from wagtail.admin.forms import WagtailAdminPageForm

from cinema.show_rules import price_problems


class ShowPageForm(WagtailAdminPageForm):
    """Title and slug are written from the show's facts; prices must match the screen's layout."""

    def clean(self):
        cleaned = super().clean()
        if self.parent_page is not None and not self.instance.movie_id:
            self.instance.movie = self.parent_page.specific
        screen = cleaned.get("screen")
        prices_formset = self.formsets.get("prices")
        if screen is None or prices_formset is None or not prices_formset.is_valid():
            return cleaned
        prices = {}
        for form in prices_formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            category = (data.get("category") or "").strip()
            if category.lower() in {c.lower() for c in prices}:
                self.add_error(None, f"“{category}” has two prices; keep one.")
            prices[category] = data.get("amount")
        for problem in price_problems(screen, prices):
            self.add_error(None, problem)
        return cleaned
