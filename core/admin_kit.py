"""Pieces every app's admin listings share: a rupee column, read-only viewsets, IST exports,
and a menu item shown only to holders of one permission."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column

from core.money import format_inr


class MoneyColumn(Column):
    """A rupee amount, formatted the Indian way ("₹12,34,567.50", "−₹250.00")."""

    def get_value(self, instance):
        return format_inr(super().get_value(instance))


def local_time_cell(value, export_format, xlsx_format):
    """A date-time as staff read it (IST): a real date-time in XLSX, text in CSV."""
    value = timezone.localtime(value).replace(tzinfo=None)
    return value if export_format == xlsx_format else value.strftime("%Y-%m-%d %H:%M")


class LocalTimeExportMixin:
    """Exports every date-time of a listing as staff read it (IST), not as UTC."""

    def preprocess_field_value(self, field, value, export_format):
        if hasattr(value, "tzinfo") and hasattr(value, "hour") and timezone.is_aware(value):
            return local_time_cell(value, export_format, self.FORMAT_XLSX)
        return super().preprocess_field_value(field, value, export_format)


class ReadOnlyViewSetMixin:
    """Only the listing (and inspect, when enabled) exist: no add, edit, copy or delete URLs.
    A viewset adds its own action views by extending get_urlpatterns()."""

    copy_view_enabled = False

    def get_urlpatterns(self):
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(path(f"inspect/<{self.pk_path_converter}:pk>/", self.inspect_view, name="inspect"))
        return patterns

    def get_permissions_to_register(self):
        """In the group editor: "view" and the model's own permissions, never add/change/delete."""
        content_type = ContentType.objects.get_for_model(self.model)
        generic = [f"{action}_{self.model_opts.model_name}" for action in ("add", "change", "delete")]
        return Permission.objects.filter(content_type=content_type).exclude(codename__in=generic)


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission`` ("app_label.codename"): pass it
    when building the item, or use ``requiring()`` for a viewset's ``menu_item_class``."""

    permission = ""

    def __init__(self, *args, permission: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if permission is not None:
            self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)

    @classmethod
    def requiring(cls, permission: str) -> type[PermissionMenuItem]:
        return type(cls.__name__, (cls,), {"permission": permission})
