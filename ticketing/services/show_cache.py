"""What holds and quotes read about a show (its facts, its prices), cached by content version.

Read on every hold and checkout, changed only when an editor publishes, unpublishes or saves
the show (core/version_cache.py). Besides the content version, a save or unpublish of the
show and a change of one of its prices drop its copies directly.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_unpublished

from cinema.models import ShowPage, ShowPrice
from core.version_cache import cached, forget


def facts_key(show_id: int) -> str:
    return f"show-hold-facts:{show_id}"


def prices_key(show_id: int) -> str:
    return f"show-prices:{show_id}"


def show_prices(show_id: int) -> dict[str, Decimal]:
    """category → price of one seat at this show."""

    def load():
        return dict(ShowPrice.objects.filter(show_id=show_id).values_list("category", "amount"))

    return cached(prices_key(show_id), load)


def forget_show(show_id) -> None:
    if show_id is not None:
        forget(facts_key(show_id), prices_key(show_id))


def _show_changed(sender, instance, **kwargs):
    forget_show(instance.pk)


def _price_changed(sender, instance, **kwargs):
    forget_show(instance.show_id)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_show_changed, sender=ShowPage, dispatch_uid=f"show_cache.show.{signal}")
        signal.connect(_price_changed, sender=ShowPrice, dispatch_uid=f"show_cache.price.{signal}")
    page_unpublished.connect(_show_changed, sender=ShowPage, dispatch_uid="show_cache.unpublished")
