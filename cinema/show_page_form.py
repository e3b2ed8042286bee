"""The show page editor's checks: title and slug from the show's facts, prices per seat category
(typed by hand, or filled from the price card for every category left out)."""

from wagtail.admin.forms import WagtailAdminPageForm

from cinema.price_cards import PriceBook, describe_show
from cinema.show_rules import price_problems

FACTS = {"screen", "starts_at", "format"}


class ShowPageForm(WagtailAdminPageForm):
    """Title and slug are written from the show's facts; prices must match the screen's layout."""

    def clean(self):
        cleaned = super().clean()
        self._price_plan = None
        if self.parent_page is not None and not self.instance.movie_id:
            self.instance.movie = self.parent_page.specific
        screen = cleaned.get("screen")
        prices_formset = self.formsets.get("prices")
        if screen is None or prices_formset is None or not prices_formset.is_valid():
            return cleaned
        typed, kept = {}, {}
        for form in prices_formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            category = (data.get("category") or "").strip()
            if category.lower() in {c.lower() for c in {**typed, **kept}}:
                self.add_error(None, f"“{category}” has two prices; keep one.")
            edited = {"category", "amount"} & set(form.changed_data)
            untouched_card_price = form.instance.pk and form.instance.from_card and not edited
            if untouched_card_price and not (FACTS & set(self.changed_data)):
                kept[category] = (data.get("amount"), form.instance.rule)
            elif not untouched_card_price:
                typed[category] = data.get("amount")

        book = PriceBook([screen])
        given_prices = {**typed, **{c: amount for c, (amount, _) in kept.items()}}
        problems = price_problems(screen, given_prices, require_all=not book.has_card(screen))
        for problem in problems:
            self.add_error(None, problem)
        starts_at, fmt = cleaned.get("starts_at"), cleaned.get("format")
        given = {c.lower() for c in given_prices}
        wanted = [c for c in screen.seat_layout.category_names() if c.lower() not in given]
        if problems or not (starts_at and fmt):
            return cleaned
        from_card = book.prices(screen, starts_at, fmt, wanted)
        missing = [c for c in wanted if c not in from_card]
        if missing:
            self.add_error(
                None,
                f"No price card prices {', '.join(missing)} at {screen.name} for this show "
                f"({describe_show(starts_at, fmt, book.holidays)}). Type the price, or add a rule to the card.",
            )
            return cleaned
        plan = {c: (amount, None, False) for c, amount in typed.items()}
        plan.update({c: (amount, rule, True) for c, (amount, rule) in kept.items()})
        plan.update({c: (p.amount, p.rule, True) for c, p in from_card.items()})
        order = {c.lower(): i for i, c in enumerate(screen.seat_layout.category_names())}
        self._price_plan = dict(sorted(plan.items(), key=lambda item: order.get(item[0].lower(), len(order))))
        return cleaned

    def save(self, commit=True):
        """Write the plan onto the show's prices: typed ones as overrides, the rest from the card."""
        page = super().save(commit=False)
        price_model = page.prices.model  # ShowPrice, without importing the models this form belongs to
        plan = getattr(self, "_price_plan", None)
        if plan is not None:
            existing = {price.category.strip().lower(): price for price in page.prices.all()}
            rows = []
            for index, (category, (amount, rule, from_card)) in enumerate(plan.items()):
                row = existing.get(category.lower()) or price_model(category=category)
                row.amount, row.rule, row.from_card, row.sort_order = amount, rule, from_card, index
                rows.append(row)
            page.prices = rows
        if commit:
            page.save()
        return page
