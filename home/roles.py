"""The staff groups that exist out of the box, with exactly the permissions their work needs.

Editors publish movies, theaters and shows and manage the cinema snippets. Finance looks up
wallets, the ledger and bookings, credits and refunds wallets, and cancels bookings and shows
(with their refunds), runs the reports and re-sends tickets. Box office admits tickets at the
door, looks them up and re-sends them.

Run after every `migrate` (post_migrate), so a fresh database and an upgraded one both end up
with the same groups; re-running changes nothing.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

EDITORS, FINANCE, BOX_OFFICE = "Editors", "Finance", "Box office"

# app_label.codename → groups holding it
MODEL_PERMISSIONS = {
    EDITORS: [
        "wagtailadmin.access_admin",
        "cinema.schedule_shows",
        *(
            f"cinema.{action}_{model}"
            for model in ("genre", "language", "amenity", "seatlayout")
            for action in ("add", "change", "delete", "view")
        ),
        "home.change_bookingsettings",
    ],
    FINANCE: [
        "wagtailadmin.access_admin",
        "wallet.view_wallet",
        "wallet.view_wallettransaction",
        "wallet.issue_refund",
        "ticketing.view_booking",
        "ticketing.cancel_booking",
        "ticketing.cancel_show",
        "ticketing.view_payment",
        "ticketing.view_refund",
        "ticketing.view_reports",
        "ticketing.resend_tickets",
    ],
    BOX_OFFICE: [
        "wagtailadmin.access_admin",
        "ticketing.check_in_ticket",
        "ticketing.view_ticket",
        "ticketing.resend_tickets",
    ],
}
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups() -> dict[str, Group]:
    """Create or top up the staff groups; never removes a permission an admin added."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0)
    groups = {}
    for name, perms in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[_permission(p) for p in perms])
        groups[name] = group

    editors = groups[EDITORS]
    root = Page.get_first_root_node()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=perm)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
            perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=editors, collection=collection, permission=perm)
    return groups


def ensure_groups_after_migrate(sender, using="default", plan=None, **kwargs):
    if plan == []:
        return
    ensure_groups()
