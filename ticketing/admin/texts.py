"""Staff's view of the texts' sent-log (SMS, WhatsApp): what went, what failed and why.

Read-only: the sent-log is written by messaging.delivery alone. Numbers are masked for staff
without messaging.view_customer_phone; one-time codes never show (their body is not kept).
"""

from __future__ import annotations

import django_filters
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from core.admin_access import RequirePermissionMixin
from core.admin_kit import PermissionMenuItem, ReadOnlyViewSetMixin
from messaging.models import Channel, MessageStatus, SentMessage
from messaging.phones import VIEW_TEXTS, shown_to


class TextFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=MessageStatus.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)

    class Meta:
        model = SentMessage
        fields = ["status", "channel", "purpose"]


class TextIndexView(RequirePermissionMixin, IndexView):
    admin_permission = VIEW_TEXTS
    any_permission_required = ["view"]
    search_fields = ["booking_reference", "key"]

    def get_base_queryset(self):
        return SentMessage.objects.all()

    @cached_property
    def columns(self):
        staff = self.request.user
        return [
            Column("purpose", label="Purpose"),
            Column("channel", label="Channel", accessor="get_channel_display"),
            Column("booking_reference", label="Booking"),
            Column("to", label="To", accessor=lambda row: shown_to(staff, row.to_number)),
            Column("status", label="Status", accessor="get_status_display"),
            Column("attempts", label="Attempts"),
            Column("last_error", label="Last error", accessor=lambda row: row.last_error[:120] or "—"),
            DateColumn("created_at", label="Queued"),
        ]


class TextViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = SentMessage
    name = "texts"
    icon = "mail"
    menu_label = "SMS and WhatsApp"
    index_view_class = TextIndexView
    filterset_class = TextFilterSet
    list_per_page = 50
    menu_hook = "register_finance_menu_item"
    menu_order = 40

    @cached_property
    def menu_item_class(self):
        return PermissionMenuItem.requiring(VIEW_TEXTS)
