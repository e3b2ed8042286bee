"""The permission gate for admin views: an admin-styled 403 (Wagtail itself would redirect home),
and a read-only permission policy for listings of records only services may change."""

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from wagtail.permission_policies import ModelPermissionPolicy


def forbidden(request, permission: str) -> TemplateResponse:
    """The admin-styled 403 page naming the permission that is missing."""
    return TemplateResponse(
        request,
        "home/admin/forbidden.html",
        {"page_title": "Permission needed", "header_icon": "lock", "permission": permission},
        status=403,
    )


class RequirePermissionMixin:
    """Set `admin_permission` ("app_label.codename"); users without it get an admin-styled 403.

    Named apart from Wagtail's own `permission_required`, which on its generic views is an
    action name ("view", "change") checked against the model's permission policy."""

    admin_permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.admin_permission):
            return forbidden(request, self.admin_permission)
        return super().dispatch(request, *args, **kwargs)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" is ever granted, even to superusers: the rows are written by services
    (wallet credits, bookings), never edited through a generic admin form."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action == "view"]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)
