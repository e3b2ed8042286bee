"""Admin wiring for ticketing: promo codes as a snippet with usage shown; bookings (read-only,
in the Finance menu) with their cancellation forms and audit-log actions; the food stand's
pickup screen and the food stock counts (changed by adjustments, ticketing/admin/food_stock.py)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import ticketing.reports.hooks  # noqa: F401  (finance reports and dashboard panels)
from cinema.models import ShowPage
from core.admin_kit import PermissionMenuItem
from ticketing.admin.bookings import CANCEL_SHOW, BookingViewSet
from ticketing.admin.checkin import CHECK_IN, CheckInView
from ticketing.admin.counter import CounterView, SaleDoneView, SellView
from ticketing.admin.counter_prints import ReceiptView, VoidSaleView, ZReportView
from ticketing.admin.food_stock import ConcessionStockViewSet, StockChangeFormatter
from ticketing.admin.gift_cards import RefundGiftCardView
from ticketing.admin.pickup import PickupView
from ticketing.admin.texts import TextViewSet
from ticketing.models import PromoCode
from ticketing.permissions import HAND_OVER_FOOD, SELL_AT_COUNTER
from ticketing.services.stock_adjust import ADJUST_ACTION


class PromoCodeViewSet(SnippetViewSet):
    model = PromoCode
    icon = "tag"
    menu_label = "Promo codes"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["code", "kind", "value", "valid_to", "total_limit", "active"]
    list_filter = ["active", "kind"]
    search_fields = ["code", "description"]


register_snippet(PromoCodeViewSet)


@hooks.register("register_admin_viewset")
def register_booking_viewset():
    return BookingViewSet("bookings")


@hooks.register("register_admin_viewset")
def register_text_viewset():
    return TextViewSet("texts")


@hooks.register("register_log_actions")
def register_booking_log_actions(actions):
    actions.register_action("booking.cancel", "Cancel booking", "Cancelled the booking and refunded it")
    actions.register_action("booking.cancel_seats", "Cancel seats", "Cancelled some seats of the booking and refunded them")
    actions.register_action("show.cancel", "Cancel show", "Cancelled the show and refunded its bookings")
    actions.register_action("booking.resend_tickets", "Re-send tickets", "Re-sent the tickets by e-mail")
    actions.register_action("booking.resend_gift_card", "Re-send gift card", "Re-sent the gift card's code to its recipient")


@hooks.register("register_page_header_buttons")
def cancel_show_button(page, user, view_name, next_url=None):
    """A "Cancel show" action on each show page, for staff who may cancel shows."""
    if page.specific_class is ShowPage and user.has_perm(CANCEL_SHOW):
        yield Button("Cancel show", reverse("bookings:cancel_show", args=[page.pk]), icon_name="warning", priority=60)


# --- finance refunds a gift card nobody redeemed (ticketing/admin/gift_cards.py) -------------
@hooks.register("register_admin_urls")
def register_gift_card_refund_url():
    return [path("gift-cards/<str:reference>/refund/", RefundGiftCardView.as_view(), name="gift_card_refund")]


@hooks.register("register_log_actions")
def register_gift_card_log_action(actions):
    actions.register_action("gift_card.refund", "Refund gift card", "Gift card refunded")


# --- check-in at the door (ticketing/checkin_views.py) ----------------------------------------
@hooks.register("register_admin_urls")
def register_checkin_url():
    return [path("checkin/", CheckInView.as_view(), name="ticketing_checkin")]


@hooks.register("register_admin_menu_item")
def register_checkin_menu_item():
    return PermissionMenuItem("Check-in", reverse("ticketing_checkin"), icon_name="tick-inverse", order=190, permission=CHECK_IN)


@hooks.register("register_log_actions")
def register_checkin_log_action(actions):
    actions.register_action("ticket.check_in", "Check in ticket", "Admitted at the door")


# --- the food stand's pickup screen (ticketing/admin/pickup.py) ------------------------------
@hooks.register("register_admin_urls")
def register_pickup_url():
    return [path("pickup/", PickupView.as_view(), name="ticketing_pickup")]


@hooks.register("register_admin_menu_item")
def register_pickup_menu_item():
    return PermissionMenuItem("Food pickup", reverse("ticketing_pickup"), icon_name="pick", order=191, permission=HAND_OVER_FOOD)


register_snippet(ConcessionStockViewSet)


@hooks.register("register_log_actions")
def register_stock_log_action(actions):
    actions.register_action(ADJUST_ACTION)(StockChangeFormatter)


# --- the box office counter (ticketing/admin/counter.py, counter_prints.py) -------------------
COUNTER_URLS = [
    path("", CounterView.as_view(), name="home"),
    path("shows/<int:pk>/", SellView.as_view(), name="sell"),
    path("sales/<str:reference>/", SaleDoneView.as_view(), name="sale"),
    path("sales/<str:reference>/tickets/", ReceiptView.as_view(), name="receipt"),
    path("sales/<str:reference>/void/", VoidSaleView.as_view(), name="void"),
    path("shifts/<int:pk>/z-report/", ZReportView.as_view(), name="z_report"),
]


@hooks.register("register_admin_urls")
def register_counter_urls():
    return [path("counter/", include((COUNTER_URLS, "counter")))]


@hooks.register("register_admin_menu_item")
def register_counter_menu_item():
    return PermissionMenuItem("Counter", reverse("counter:home"), icon_name="tag", order=185, permission=SELL_AT_COUNTER)


@hooks.register("register_log_actions")
def register_counter_log_actions(actions):
    actions.register_action("counter.open_shift", "Open counter shift", "Opened a counter shift")
    actions.register_action("counter.close_shift", "Close counter shift", "Closed a counter shift with its cash-up")
    actions.register_action("counter.void", "Void counter sale", "Voided a counter sale and refunded it at the counter")
    actions.register_action("counter.complimentary", "Complimentary tickets", "Gave complimentary tickets at the counter")
