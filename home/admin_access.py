"""Permission gate for custom admin views that answers 403 (Wagtail would redirect home)."""

from django.template.response import TemplateResponse


class RequirePermissionMixin:
    """Set `permission_required`; users without it get an admin-styled 403 page."""

    permission_required = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return TemplateResponse(
                request,
                "home/admin/forbidden.html",
                {"page_title": "Permission needed", "header_icon": "lock", "permission": self.permission_required},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)
