"""A theater's menu as customers and the counter see it: active items, each at the theater's
price, minus what the theater took off. Stock is ticketing's, added on top there."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from wagtail.images import get_image_model

from cinema.models import ConcessionItem, TheaterConcession
from cinema.models.concessions import MENU_PICTURES


@dataclass
class MenuEntry:
    item: ConcessionItem
    price: Decimal  # before GST, the theater's own if it set one

    @property
    def sku(self) -> str:
        return self.item.sku


def theater_menu(theater_id: int, skus: list[str] | None = None) -> list[MenuEntry]:
    """The items on sale at this theater, in menu order. ``skus``: only these. Three queries
    however long the menu: the pictures' renditions in MENU_PICTURES sizes come in one (none
    when no item has a picture), so showing them asks nothing more."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=MENU_PICTURES)
    items = (
        ConcessionItem.objects.filter(active=True)
        .select_related("image")
        .prefetch_related(Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions"))
    )
    if skus is not None:
        items = items.filter(sku__in=skus)
    overrides = {o.item_id: o for o in TheaterConcession.objects.filter(theater_id=theater_id, item__in=[i.pk for i in items])}
    menu = []
    for item in items:
        override = overrides.get(item.pk)
        if override is not None and not override.available:
            continue
        price = override.price if override is not None and override.price is not None else item.price
        menu.append(MenuEntry(item=item, price=price))
    return menu
