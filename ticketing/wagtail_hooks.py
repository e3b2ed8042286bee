"""Admin wiring for ticketing: promo codes as a snippet with usage shown."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ticketing.models import PromoCode


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
