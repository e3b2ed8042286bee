"""The finance admin for bookings: a read-only listing with filters and export, a booking's
detail page (its payments, refunds and wallet rows), and the two cancellation forms.

The cancellation services live in ticketing.services.cancellation; the forms look the module
up when they run, so a test can stand in a fake one (tests/wallet/test_booking_admin.py).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import Button

from cinema.models import ShowPage
from core.admin_access import RequirePermissionMixin
from core.admin_kit import LocalTimeExportMixin, MoneyColumn, PermissionMenuItem, ReadOnlyViewSetMixin
from core.formatting import showdatetime
from core.money import format_inr
from messaging.models import SentMessage
from messaging.phones import get_phone, shown_to
from ticketing.admin.forms import CancelForm
from ticketing.admin.resend import ResendTicketsView
from ticketing.errors import BookingError
from ticketing.models import Booking, BookingChannel, BookingState
from ticketing.models.bookings import PaymentMode
from ticketing.permissions import CANCEL_BOOKING, CANCEL_SHOW, RESEND_TICKETS, VIEW_BOOKINGS
from ticketing.services.tax_documents import credit_notes_of, invoice_of

CANCELLABLE = (BookingState.CONFIRMED,)


def show_label(show) -> str:
    """ "Dune · Marquee Andheri · Sat 21 Nov 2026, 6:00 pm" (movie · theater · time, in IST);
    a gift card's purchase has no show."""
    if show is None:
        return "Gift card (no show)"
    movie = show.movie.title if show.movie_id else show.title
    return f"{movie} · {show.screen.theater.title} · {showdatetime(show.starts_at)}"


# --- listing ---------------------------------------------------------------------------------
def shows_with_bookings(request):
    return (
        ShowPage.objects.annotate(booked=Count("bookings"))
        .filter(booked__gt=0)
        .select_related("movie", "screen__theater")
        .order_by("-starts_at")
    )


class BookingFilterSet(WagtailFilterSet):
    show = django_filters.ModelChoiceFilter(queryset=shows_with_bookings, label="Show")
    state = django_filters.ChoiceFilter(choices=BookingState.choices, widget=forms.RadioSelect, empty_label="All")
    show_date = django_filters.DateFromToRangeFilter(
        label="Show date", field_name="show__starts_at__date", widget=DateRangePickerWidget
    )
    payment_mode = django_filters.ChoiceFilter(choices=PaymentMode.choices, widget=forms.RadioSelect, empty_label="All")
    channel = django_filters.ChoiceFilter(choices=BookingChannel.choices, widget=forms.RadioSelect, empty_label="All")
    needs_attention = django_filters.BooleanFilter(label="Needs attention")

    class Meta:
        model = Booking
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["show"].label_from_instance = show_label


class BookingIndexView(RequirePermissionMixin, LocalTimeExportMixin, IndexView):
    admin_permission = VIEW_BOOKINGS
    any_permission_required = ["view"]
    page_title = "Bookings"
    search_fields = ["reference", "user__email"]
    default_ordering = "-created_at"
    list_export = [
        "reference",
        "user.email",
        "show_label",
        "seat_list",
        "get_state_display",
        "total",
        "wallet_amount",
        "gateway_amount",
        "get_payment_mode_display",
        "created_at",
        "needs_attention",
    ]
    export_headings = {
        "reference": "Reference",
        "user.email": "Customer e-mail",
        "show_label": "Show",
        "seat_list": "Seats",
        "get_state_display": "State",
        "total": "Total (INR)",
        "wallet_amount": "From wallet (INR)",
        "gateway_amount": "Through gateway (INR)",
        "get_payment_mode_display": "Payment mode",
        "created_at": "Created",
        "needs_attention": "Needs attention",
    }

    def get_base_queryset(self):
        return Booking.objects.select_related("user", "show__movie", "show__screen__theater")

    def get_valid_orderings(self):
        return ["created_at", "-created_at", "total", "-total", "reference", "-reference"]

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering or "-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for booking in context["object_list"]:
            _decorate(booking)
        return context

    def to_row_dict(self, item):
        return super().to_row_dict(_decorate(item))

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "reference", label="Reference", sort_key="reference", get_url=lambda b: reverse("bookings:inspect", args=[b.pk])
            ),
            Column("user.email", label="Customer e-mail"),
            Column("show_label", label="Show"),
            Column("seat_list", label="Seats"),
            Column("get_state_display", label="State"),
            MoneyColumn("total", label="Total", sort_key="total"),
            Column("get_payment_mode_display", label="Payment mode"),
            DateColumn("created_at", label="Created", sort_key="created_at"),
        ]


def _decorate(booking: Booking) -> Booking:
    booking.show_label = show_label(booking.show)
    booking.seat_list = ", ".join(booking.seats or [])
    return booking


class BookingInspectView(RequirePermissionMixin, InspectView):
    """One booking with every rupee around it (payments, refunds, wallet ledger rows), its
    tickets and the e-mails sent about it, with their delivery status from the ESP."""

    admin_permission = VIEW_BOOKINGS
    any_permission_required = ["view"]
    template_name = "ticketing/admin/booking_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Booking.objects.select_related("user", "age_confirmed_by", "show__movie", "show__screen__theater"), pk=self.pk
        )

    def get_page_title(self):
        return f"Booking {self.object.reference}"

    def get_page_subtitle(self):
        return self.object.user.email

    def _mobile(self, booking) -> str:
        """The customer's number, masked for staff without messaging.view_customer_phone."""
        phone = get_phone(booking.user)
        if not phone:
            return "—"
        return f"{shown_to(self.request.user, phone[0])} ({'verified' if phone[1] else 'not verified'})"

    @staticmethod
    def _age_confirmation(booking) -> str:
        """An A-rated film's hold carries who said they are 18 or older, and when."""
        if booking.age_confirmed_at is None:
            return "—"
        who = booking.age_confirmed_by.email if booking.age_confirmed_by_id else "a deleted user"
        return f"{who}, {showdatetime(booking.age_confirmed_at)}"

    def get_fields_context(self):
        booking = _decorate(self.object)
        return [
            {"label": label, "value": value, "component": None}
            for label, value in (
                ("Reference", booking.reference),
                ("Customer", booking.user.email),
                ("Customer mobile", self._mobile(booking)),
                ("Show", booking.show_label),
                ("Seats", booking.seat_list or "—"),
                ("Rated", booking.show.movie.get_certification_display() if booking.show_id else "—"),
                ("Confirmed 18 or older", self._age_confirmation(booking)),
                ("State", booking.get_state_display()),
                ("Total", format_inr(booking.total)),
                ("From wallet", format_inr(booking.wallet_amount)),
                ("Through gateway", format_inr(booking.gateway_amount)),
                ("Payment mode", booking.get_payment_mode_display() or "—"),
                ("Confirmed", booking.confirmed_at and showdatetime(booking.confirmed_at) or "—"),
                ("Cancelled", booking.cancelled_at and showdatetime(booking.cancelled_at) or "—"),
                ("Needs attention", booking.attention_note or "Yes" if booking.needs_attention else "No"),
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = self.object
        context.update(
            payments=list(booking.payments.order_by("created_at")),
            refunds=list(booking.refunds.select_related("created_by").order_by("created_at")),
            wallet_rows=list(booking.wallet_transactions.select_related("created_by").order_by("created_at", "pk")),
            tickets=list(booking.tickets.select_related("used_by").order_by("pk")),
            emails=list(booking.emails.order_by("created_at", "pk")),
            invoice=invoice_of(booking),
            credit_notes=credit_notes_of(booking),
            texts=[
                (text, shown_to(self.request.user, text.to_number))
                for text in SentMessage.objects.filter(booking_reference=booking.reference).order_by("created_at", "pk")
            ],
        )
        return context

    @cached_property
    def header_buttons(self):
        # Finance actions on this booking. The services behind them are
        # ticketing.services.cancellation.cancel_booking / cancel_show.
        user, booking = self.request.user, self.object
        buttons = []
        if user.has_perm(CANCEL_BOOKING) and booking.state in CANCELLABLE:
            buttons.append(HeaderButton("Cancel and refund", url=reverse("bookings:cancel", args=[booking.pk]), icon_name="undo"))
        if user.has_perm(RESEND_TICKETS) and booking.state == BookingState.CONFIRMED:
            label = "Re-send gift card" if booking.is_gift_card else "Re-send tickets"
            buttons.append(HeaderButton(label, url=reverse("bookings:resend_tickets", args=[booking.pk]), icon_name="mail"))
        return buttons

    @cached_property
    def header_more_buttons(self):
        if self.request.user.has_perm(CANCEL_SHOW) and self.object.show_id and self.object.show.status != "cancelled":
            return [
                Button("Cancel this show", url=reverse("bookings:cancel_show", args=[self.object.show_id]), icon_name="warning")
            ]
        return []


class BookingViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Booking
    name = "bookings"
    icon = "tasks"
    menu_label = "Bookings"
    index_view_class = BookingIndexView
    inspect_view_class = BookingInspectView
    inspect_view_enabled = True
    filterset_class = BookingFilterSet
    list_per_page = 50
    export_filename = "bookings"
    menu_hook = "register_finance_menu_item"
    menu_order = 30

    @cached_property
    def menu_item_class(self):
        return PermissionMenuItem.requiring(VIEW_BOOKINGS)

    def get_urlpatterns(self):
        """The listing and inspect view, then the finance actions: bookings:cancel,
        bookings:resend_tickets and bookings:cancel_show (a show's confirmed bookings)."""
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/cancel/", BookingCancelView.as_view(), name="cancel"),
            path("<int:pk>/resend-tickets/", ResendTicketsView.as_view(), name="resend_tickets"),
            path("shows/<int:pk>/cancel/", ShowCancelView.as_view(), name="cancel_show"),
        ]


# --- cancellation forms ----------------------------------------------------------------------
class CancelFormView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "ticketing/admin/cancel.html"
    form_class = CancelForm
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(media=context["form"].media, submit_button_label=self.page_title, submit_button_active_label="Cancelling…")
        return context

    def form_valid(self, form):
        from ticketing.services import cancellation  # looked up per request: tests stand in a fake module

        try:
            response = self.cancel(cancellation, form.cleaned_data["destination"], form.cleaned_data["reason"])
        except BookingError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        return response


class BookingCancelView(CancelFormView):
    admin_permission = CANCEL_BOOKING
    page_title = "Cancel and refund"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.booking = get_object_or_404(
            Booking.objects.select_related("user", "show__movie", "show__screen__theater"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.booking.reference

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("bookings:index"), "label": "Bookings"},
            {"url": reverse("bookings:inspect", args=[self.booking.pk]), "label": self.booking.reference},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("bookings:cancel", args=[self.booking.pk]),
            summary=f"{self.booking.reference} · {self.booking.user.email} · {show_label(self.booking.show)} · "
            f"{format_inr(self.booking.total)}",
        )
        return context

    def cancel(self, cancellation, destination, reason):
        cancellation.cancel_booking(self.booking, destination=destination, reason=reason, by=self.request.user)
        messages.success(self.request, f"Booking {self.booking.reference} cancelled; refund to {destination}.")
        return redirect("bookings:inspect", self.booking.pk)


class ShowCancelView(CancelFormView):
    admin_permission = CANCEL_SHOW
    page_title = "Cancel show"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.show = get_object_or_404(ShowPage.objects.select_related("movie", "screen__theater"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return show_label(self.show)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booked = self.show.bookings.filter(state__in=CANCELLABLE).count()
        context.update(
            action_url=reverse("bookings:cancel_show", args=[self.show.pk]),
            summary=f"{show_label(self.show)}: {booked} confirmed bookings will be cancelled and refunded.",
        )
        return context

    def cancel(self, cancellation, destination, reason):
        count = cancellation.cancel_show(self.show, destination=destination, reason=reason, by=self.request.user)
        messages.success(self.request, f"Show cancelled: {count} bookings cancelled and refunded to {destination}.")
        return redirect(f"{reverse('bookings:index')}?show={self.show.pk}")
