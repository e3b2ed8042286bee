"""The finance admin for wallets: a read-only wallets listing, the ledger (all of it, or one
wallet's), and the form that credits or refunds one wallet.

Listings are Wagtail generic views (search, filters, CSV/XLSX export, pagination); every view
answers 403 to a user without its permission. Money moves only through wallet.services.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Max, OuterRef, Value
from django.db.models.functions import Coalesce, Concat, Trim
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from core.admin_access import RequirePermissionMixin
from core.admin_kit import LocalTimeExportMixin, MoneyColumn, PermissionMenuItem, ReadOnlyViewSetMixin
from core.errors import BookingError
from core.money import format_inr
from wallet.forms import CreditForm
from wallet.models import TransactionKind, Wallet, WalletTransaction
from wallet.permissions import ISSUE_REFUND, VIEW_LEDGER, VIEW_WALLETS
from wallet.services import issue_staff_credit


def ledger_url(wallet_id) -> str:
    return reverse("wallets:ledger", args=[wallet_id])


# --- wallets listing -------------------------------------------------------------------------
class WalletFilterSet(WagtailFilterSet):
    balance = django_filters.ChoiceFilter(
        label="Balance",
        choices=[("zero", "Zero"), ("positive", "More than zero")],
        method="filter_balance",
        widget=forms.RadioSelect,
        empty_label="All",
    )
    active = django_filters.DateFromToRangeFilter(label="Activity between", method="filter_active", widget=DateRangePickerWidget)

    class Meta:
        model = Wallet
        fields = []

    def filter_balance(self, queryset, name, value):
        return queryset.filter(balance=0) if value == "zero" else queryset.filter(balance__gt=0)

    def filter_active(self, queryset, name, value):
        rows = WalletTransaction.objects.filter(wallet=OuterRef("pk"))
        if value.start:
            rows = rows.filter(created_at__date__gte=value.start.date())
        if value.stop:
            rows = rows.filter(created_at__date__lte=value.stop.date())
        return queryset.filter(Exists(rows))


class WalletIndexView(RequirePermissionMixin, LocalTimeExportMixin, IndexView):
    admin_permission = VIEW_WALLETS
    any_permission_required = ["view"]
    page_title = "Wallets"
    search_fields = ["customer_email", "customer_name"]
    list_export = ["customer_email", "customer_name", "balance", "last_activity"]
    export_headings = {
        "customer_email": "Customer e-mail",
        "customer_name": "Name",
        "balance": "Balance (INR)",
        "last_activity": "Last activity",
    }

    def get_base_queryset(self):
        return Wallet.objects.annotate(
            customer_email=F("user__email"),
            customer_name=Trim(Concat("user__first_name", Value(" "), "user__last_name")),
            last_activity=Max("transactions__created_at"),
        )

    @cached_property
    def columns(self):
        return [
            TitleColumn("customer_email", label="Customer e-mail", sort_key="customer_email", get_url=lambda w: ledger_url(w.pk)),
            Column("customer_name", label="Name", sort_key="customer_name"),
            MoneyColumn("balance", label="Balance", sort_key="balance"),
            DateColumn("last_activity", label="Last activity", sort_key="last_activity"),
        ]


class WalletViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Wallet
    icon = "user"
    menu_label = "Wallets"
    index_view_class = WalletIndexView
    filterset_class = WalletFilterSet
    list_per_page = 25
    export_filename = "wallets"

    ledger_viewset = None  # the LedgerViewSet whose listing one wallet's ledger narrows

    @cached_property
    def menu_item_class(self):
        return PermissionMenuItem.requiring(VIEW_WALLETS)

    def get_urlpatterns(self):
        """The listing, then one wallet's ledger (wallets:ledger) and its credit/refund form
        (wallets:credit)."""
        return [
            *super().get_urlpatterns(),
            path("<int:wallet_id>/ledger/", self.ledger_viewset.wallet_ledger_view, name="ledger"),
            path("<int:wallet_id>/ledger/results/", self.ledger_viewset.wallet_ledger_results_view, name="ledger_results"),
            path("<int:wallet_id>/credit/", CreditView.as_view(), name="credit"),
        ]


# --- the ledger ------------------------------------------------------------------------------
def staff_who_wrote_ledger_rows(request=None):
    return get_user_model().objects.filter(pk__in=WalletTransaction.objects.values("created_by")).order_by("email")


class LedgerFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=TransactionKind.choices, widget=forms.RadioSelect, empty_label="All")
    created = django_filters.DateFromToRangeFilter(label="Date", field_name="created_at__date", widget=DateRangePickerWidget)
    created_by = django_filters.ModelChoiceFilter(label="Created by", queryset=staff_who_wrote_ledger_rows)

    class Meta:
        model = WalletTransaction
        fields = []


class LedgerIndexView(RequirePermissionMixin, LocalTimeExportMixin, IndexView):
    admin_permission = VIEW_LEDGER
    any_permission_required = ["view"]
    page_title = "Wallet ledger"
    search_fields = ["wallet__user__email", "booking__reference"]
    default_ordering = "-created_at"
    list_export = [
        "created_at",
        "customer_email",
        "get_kind_display",
        "amount",
        "balance_after",
        "reason",
        "booking_reference",
        "created_by_email",
    ]
    export_headings = {
        "created_at": "Date",
        "customer_email": "Customer e-mail",
        "get_kind_display": "Kind",
        "amount": "Amount (INR)",
        "balance_after": "Balance after (INR)",
        "reason": "Reason",
        "booking_reference": "Booking",
        "created_by_email": "Created by",
    }

    def get_base_queryset(self):
        return WalletTransaction.objects.annotate(
            customer_email=F("wallet__user__email"),
            booking_reference=Coalesce(F("booking__reference"), Value("")),
            created_by_email=Coalesce(F("created_by__email"), Value("")),
        )

    def get_valid_orderings(self):
        return ["created_at", "-created_at", "amount", "-amount"]

    def order_queryset(self, queryset):
        ordering = self.ordering or "-created_at"
        return queryset.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")

    @cached_property
    def columns(self):
        return [
            DateColumn("created_at", label="Date", sort_key="created_at"),
            TitleColumn("customer_email", label="Customer e-mail", get_url=lambda row: ledger_url(row.wallet_id)),
            Column("get_kind_display", label="Kind"),
            MoneyColumn("amount", label="Amount", sort_key="amount"),
            MoneyColumn("balance_after", label="Balance after"),
            Column("reason", label="Reason"),
            Column("booking_reference", label="Booking"),
            Column("created_by_email", label="Created by"),
        ]


class WalletLedgerView(LedgerIndexView):
    """One wallet's ledger, newest first, with a button to credit or refund it."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.wallet = get_object_or_404(Wallet.objects.select_related("user"), pk=kwargs["wallet_id"])

    def get_base_queryset(self):
        return super().get_base_queryset().filter(wallet=self.wallet)

    def get_page_title(self):
        return f"Ledger of {self.wallet.user.email or self.wallet.user.get_username()}"

    def get_page_subtitle(self):
        return f"Balance {format_inr(self.wallet.balance)}"

    def get_export_filename(self):
        return f"wallet-{self.wallet.pk}-ledger"

    def get_index_url(self):
        return ledger_url(self.wallet.pk)

    def get_index_results_url(self):
        return reverse("wallets:ledger_results", args=[self.wallet.pk])

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(ISSUE_REFUND):
            buttons.append(
                HeaderButton("Credit / refund", url=reverse("wallets:credit", args=[self.wallet.pk]), icon_name="plus")
            )
        return buttons

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wallets:index"), "label": "Wallets"},
            {"url": "", "label": self.get_page_title()},
        ]


class LedgerViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = WalletTransaction
    name = "wallet_transactions"
    icon = "list-ul"
    menu_label = "Wallet ledger"
    index_view_class = LedgerIndexView
    filterset_class = LedgerFilterSet
    list_per_page = 50
    export_filename = "wallet-ledger"

    @cached_property
    def menu_item_class(self):
        return PermissionMenuItem.requiring(VIEW_LEDGER)

    @property
    def wallet_ledger_view(self):
        return self.construct_view(WalletLedgerView, **self.get_index_view_kwargs())

    @property
    def wallet_ledger_results_view(self):
        return self.construct_view(WalletLedgerView, **self.get_index_view_kwargs(), results_only=True)


# --- credit / refund -------------------------------------------------------------------------
class CreditView(RequirePermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "wallet/admin/credit.html"
    form_class = CreditForm
    header_icon = "user"
    admin_permission = ISSUE_REFUND

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.wallet = get_object_or_404(Wallet.objects.select_related("user"), pk=kwargs["wallet_id"])

    def get_page_title(self):
        return f"Credit or refund {self.wallet.user.email or self.wallet.user.get_username()}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wallets:index"), "label": "Wallets"},
            {"url": ledger_url(self.wallet.pk), "label": f"Ledger of {self.wallet.user.email}"},
            {"url": "", "label": "Credit / refund"},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "wallet": self.wallet, "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            wallet=self.wallet,
            balance=format_inr(self.wallet.balance),
            action_url=reverse("wallets:credit", args=[self.wallet.pk]),
            submit_button_label="Credit the wallet",
            submit_button_active_label="Crediting…",
            media=context["form"].media,
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = issue_staff_credit(
                self.wallet,
                data["amount"],
                kind=data["kind"],
                reason=data["reason"],
                booking=data["booking"],
                by=self.request.user,
                request_token=data["request_token"],
            )
        except BookingError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        row = result.transaction
        if result.duplicate:
            messages.warning(self.request, f"This form was already submitted: {format_inr(row.amount)} was credited once.")
        else:
            messages.success(
                self.request,
                f"{row.get_kind_display()} of {format_inr(row.amount)} added; the balance is now {format_inr(row.balance_after)}.",
            )
        return redirect(ledger_url(self.wallet.pk))
