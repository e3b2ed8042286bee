"""The box office's Counter page in the Wagtail admin: open a shift, pick one of today's shows
at this theater, sell seats from the live seat map (or "best available N"), take cash, UPI or
card, and print the tickets; close the shift with the cash counted.

Every step is a plain form that works with the keyboard alone and without JavaScript;
counter.js makes the seat map clickable and keeps its states live. All writes go through
ticketing.services.counter_shifts and counter_sales.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cinema.models import ShowPage, TheaterPage
from core.admin_access import RequirePermissionMixin, forbidden
from core.formatting import showdatetime
from ticketing.errors import BookingError
from ticketing.models import CounterMethod
from ticketing.permissions import SELL_AT_COUNTER, SUPERVISE_COUNTER
from ticketing.services import counter_input, counter_sales, counter_shifts
from ticketing.services.booking_items import normalise_items, priced_lines
from ticketing.services.item_lines import line_of
from ticketing.services.pricing import price_seats
from ticketing.services.seatmap import seat_map_for
from ticketing.services.ticket_pdf import food_pickup


class OpenShiftForm(forms.Form):
    counter = forms.CharField(
        max_length=60,
        initial="Counter 1",
        label="Counter",
        widget=forms.TextInput(attrs={"list": "counter-names", "autocomplete": "off"}),
    )
    opening_float = forms.CharField(max_length=20, initial="2000.00", label="Opening float (₹)")


def counter_names(theaters) -> list[str]:
    return [counter_shifts.counter_name_for(title) for _, title in theaters]


class CloseShiftForm(forms.Form):
    counted = forms.CharField(max_length=20, label="Cash counted in the drawer (₹)", help_text="Float included.")


class SaleForm(forms.Form):
    seats = forms.CharField(
        max_length=200, required=False, label="Seats", help_text="Labels separated by spaces or commas, e.g. A1 A2."
    )
    items = forms.CharField(
        max_length=400,
        required=False,
        label="Food and drinks",
        help_text="SKU and quantity, comma-separated, e.g. POP-L 2, COLA 1.",
    )
    method = forms.ChoiceField(choices=CounterMethod.choices, initial=CounterMethod.CASH, widget=forms.RadioSelect)
    tendered = forms.CharField(max_length=20, required=False, label="Cash tendered (₹)")
    reference = forms.CharField(max_length=64, required=False, label="UPI reference or card approval code")
    email = forms.CharField(max_length=254, required=False, label="Customer e-mail (tickets sent there)")
    phone = forms.CharField(max_length=20, required=False, label="Customer phone")
    promo_code = forms.CharField(max_length=30, required=False, label="Promo code")
    reason = forms.CharField(
        max_length=255,
        required=False,
        label="Reason for complimentary tickets",
        help_text="Required for complimentary tickets (supervisors only); kept in the audit log.",
    )

    def __init__(self, *args, supervisor: bool = False, **kwargs):
        """Complimentary tickets are offered only to supervisors (the sale refuses them too)."""
        super().__init__(*args, **kwargs)
        if not supervisor:
            self.fields["method"].choices = [c for c in CounterMethod.choices if c[0] != CounterMethod.COMPLIMENTARY]
            del self.fields["reason"]


class BestForm(forms.Form):
    category = forms.ChoiceField(choices=[], label="Category")
    count = forms.IntegerField(min_value=1, max_value=20, initial=2, label="How many seats")

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(name, name) for name in categories]


def split_seats(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


def counter_shows(theater_id, now=None):
    """Today's shows at a theater that have not started yet, next first."""
    now = now or timezone.now()
    end = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    shows = ShowPage.objects.live().filter(starts_at__gt=now, starts_at__lt=end).select_related("movie", "screen__theater")
    if theater_id:
        shows = shows.filter(screen__theater_id=theater_id)
    return shows.order_by("starts_at", "pk")[:100]


class CounterMixin(RequirePermissionMixin, WagtailAdminTemplateMixin):
    admin_permission = SELL_AT_COUNTER
    header_icon = "tag"
    breadcrumbs_items = []

    def shift(self):
        return counter_shifts.current_shift(self.request.user)


class SellerOrSupervisorMixin:
    """Sellers see their own shifts' sales; supervisors see every shift's (403 for others)."""

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.has_perm(SELL_AT_COUNTER) or request.user.has_perm(SUPERVISE_COUNTER)):
            return forbidden(request, SELL_AT_COUNTER)
        return super().dispatch(request, *args, **kwargs)

    @property
    def supervisor(self) -> bool:
        return self.request.user.has_perm(SUPERVISE_COUNTER)


class CounterView(CounterMixin, TemplateView):
    """The home of the counter: open a shift, or choose a show and see the running totals."""

    template_name = "ticketing/admin/counter/home.html"
    page_title = "Counter"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shift = self.shift()
        theaters = list(TheaterPage.objects.live().order_by("title").values_list("pk", "title"))
        chosen = self.request.GET.get("theater", "")
        theater_id = int(chosen) if chosen.isdigit() and len(chosen) < 10 else (theaters[0][0] if theaters else None)
        context.update(
            shift=shift,
            theaters=theaters,
            theater_id=theater_id,
            counter_names=counter_names(theaters),
            open_form=kwargs.get("open_form") or OpenShiftForm(),
            close_form=kwargs.get("close_form") or CloseShiftForm(),
        )
        if shift is not None:
            context.update(totals=counter_shifts.shift_totals(shift), shows=counter_shows(theater_id))
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "close":
            return self._close(request)
        form = OpenShiftForm(request.POST)
        if form.is_valid():
            try:
                shift = counter_shifts.open_shift(request.user, form.cleaned_data["counter"], form.cleaned_data["opening_float"])
            except BookingError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"Shift open at {shift.counter} with a float of ₹{shift.opening_float}.")
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(open_form=form), status=400)

    def _close(self, request):
        form = CloseShiftForm(request.POST)
        shift = self.shift()
        if shift is None:
            messages.error(request, "You have no open shift.")
            return redirect("counter:home")
        if form.is_valid():
            try:
                counter_shifts.close_shift(request.user, shift.pk, form.cleaned_data["counted"])
            except BookingError as refusal:
                form.add_error(None, refusal.message)
            else:
                return redirect("counter:z_report", shift.pk)
        return self.render_to_response(self.get_context_data(close_form=form), status=400)


class SellView(CounterMixin, TemplateView):
    """One show: its seat map, best available, the price of the chosen seats and the sale."""

    template_name = "ticketing/admin/counter/sell.html"
    page_title = "Counter"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.show = (
            ShowPage.objects.select_related("movie", "screen__theater", "screen__seat_layout").filter(pk=kwargs["pk"]).first()
        )
        if self.show is None:
            raise Http404("No such show.")

    def get_page_subtitle(self):
        return f"{self.show.movie.title} · {showdatetime(self.show.starts_at)}"

    def get(self, request, *args, **kwargs):
        if self.shift() is None:
            messages.error(request, "You have no open shift. Open a shift at your counter before selling.")
            return redirect("counter:home")
        seats = split_seats(request.GET.get("seats", ""))[:20]
        form = SaleForm(initial={"seats": " ".join(seats)}, supervisor=self.supervisor)
        return self.render_to_response(self.get_context_data(form=form, seats=seats))

    @property
    def supervisor(self) -> bool:
        return self.request.user.has_perm(SUPERVISE_COUNTER)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = self.show.screen.seat_layout.category_names()
        seats = kwargs.get("seats") or []
        form = kwargs.get("form")
        bound = form is not None and form.is_bound
        comp = bound and self.supervisor and form.data.get("method") == CounterMethod.COMPLIMENTARY
        quote = _quote(self.show, seats, form.data.get("items", "") if bound else "", complimentary=comp)
        context.update(
            show=self.show,
            shift=self.shift(),
            seat_map=seat_map_for(self.show),
            best_form=kwargs.get("best_form") or BestForm(categories=categories),
            seats_url=reverse("api:show_seats", args=[self.show.pk]),
            seats=seats,
            quote=quote,
            change_due=_change(quote, kwargs.get("tendered")),
            back_url=reverse("counter:home") + f"?theater={self.show.screen.theater_id}",
            adults_only=self.show.movie.adults_only,
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "best":
            return self._best(request)
        form = SaleForm(request.POST, supervisor=self.supervisor)
        seats = split_seats(request.POST.get("seats", ""))[:20]
        if request.POST.get("action") == "price":  # the total (and change) for what is typed so far
            return self.render_to_response(self.get_context_data(form=form, seats=seats, tendered=request.POST.get("tendered")))
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = counter_sales.sell_at_counter(
                    request.user,
                    self.show.pk,
                    split_seats(data["seats"]),
                    method=data["method"],
                    tendered=data["tendered"] or None,
                    reference=data["reference"],
                    email=data["email"],
                    phone=data["phone"],
                    promo_code=data["promo_code"].strip() or None,
                    items=counter_input.items(data["items"]),
                    reason=data.get("reason", ""),
                )
            except BookingError as refusal:
                form.add_error(None, refusal.message)
            else:
                return redirect("counter:sale", result.booking.reference)
        return self.render_to_response(self.get_context_data(form=form, seats=seats), status=400)

    def _best(self, request):
        form = BestForm(request.POST, categories=self.show.screen.seat_layout.category_names())
        if form.is_valid():
            try:
                seats = counter_sales.best_available(self.show.pk, form.cleaned_data["category"], form.cleaned_data["count"])
            except BookingError as refusal:
                form.add_error(None, refusal.message)
            else:
                return redirect(reverse("counter:sell", args=[self.show.pk]) + "?seats=" + ",".join(seats))
        return self.render_to_response(
            self.get_context_data(form=SaleForm(supervisor=self.supervisor), best_form=form), status=400
        )


def _quote(show, labels: list[str], items_text: str = "", complimentary: bool = False):
    """The price of the chosen seats and items (quote()'s rules, before any promo code; ₹0
    for a supervisor's comp); None if nothing is chosen, a label is not at this show or an item
    is not on the menu."""
    try:
        lines = [line_of(row) for row in priced_lines(show.screen.theater_id, normalise_items(counter_input.items(items_text)))]
    except BookingError:
        return None
    if not labels and not lines:
        return None
    categories = dict(show.seats.filter(label__in=[label.upper() for label in labels]).values_list("label", "category"))
    if len(categories) != len(set(label.upper() for label in labels)):
        return None
    return price_seats(show, [categories[label.upper()] for label in labels], items=lines, complimentary=complimentary)


def _change(quote, tendered):
    """Change for the cash typed so far, as the sale will work it out; None until it covers
    the total."""
    if quote is None or not tendered:
        return None
    try:
        cash = counter_input.amount(tendered, "cash tendered")
    except BookingError:
        return None
    return cash - quote.total if cash >= quote.total else None


class SaleDoneView(SellerOrSupervisorMixin, WagtailAdminTemplateMixin, TemplateView):
    """After a sale: the change due, big, and the ticket print view one key away."""

    template_name = "ticketing/admin/counter/sale.html"
    page_title = "Sold"
    header_icon = "tag"
    breadcrumbs_items = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supervisor = self.supervisor
        try:
            sale = counter_sales.counter_sale(self.request.user, kwargs["reference"], supervisor=supervisor)
        except BookingError:
            raise Http404("No such counter sale.") from None
        booking = sale.booking
        context.update(
            sale=sale,
            booking=booking,
            tickets=list(booking.tickets.order_by("pk")),
            items=list(booking.items.order_by("pk")) if booking.has_items else [],
            pickup=food_pickup(booking),
            receipt_url=reverse("counter:receipt", args=[booking.reference]),
            sell_again_url=reverse("counter:sell", args=[booking.show_id]),
            can_void=supervisor,
        )
        return context
