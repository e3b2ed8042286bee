"""Everything that changes what a public page says bumps the content version (core.versions).

Cached show pages (home/page_cache.py) and show routes (home/show_routes.py) are keyed by
that version, so a bump makes every copy unreachable at once. Publishes and snippet edits are
rare, so the rule is "any change to anything a page can show": every page event, every model
of the cinema and home apps (snippets, layouts, screens, prices, credits, settings), site
settings of any app, images, view restrictions, sites and locales. Seat states have their
own per-show version, bumped by the ticketing services. Rendition rows are left out: creating
one changes nothing a page says.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.versions import bump_content

CONTENT_APPS = ("cinema", "home")
UID = "marquee-content-version"


def content_changed(sender=None, **kwargs) -> None:
    bump_content()


def watched_models() -> list[type]:
    """The models whose rows a public page shows."""
    found = {get_image_model(), PageViewRestriction, Site, Locale}
    for model in apps.get_models():
        in_content_app = model._meta.app_label in CONTENT_APPS
        if in_content_app or issubclass(model, Page | BaseGenericSetting | BaseSiteSetting):
            found.add(model)
    return sorted(found, key=lambda model: model._meta.label)


def connect() -> None:
    """Called from HomeConfig.ready()."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"{UID}:{id(signal)}")
    for model in watched_models():
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{UID}:save:{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{UID}:delete:{label}")
        for field in model._meta.local_many_to_many:
            through = getattr(field.remote_field, "through", None)
            if through is not None and not isinstance(through, str):
                m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"{UID}:m2m:{through._meta.label}")
