"""The staff groups that exist out of the box, with exactly the permissions their work needs.

Editors publish movies, theaters and shows and manage the cinema snippets. Finance looks up
wallets, the ledger and bookings, credits and refunds wallets, and cancels bookings and shows
(with their refunds), runs the reports, re-sends tickets and supervises the counters (voids
counter sales, sees every shift), and sees customers' mobile numbers in full. Box office admits
tickets at the door, looks them up and re-sends them, and sells walk-in tickets at the counter
in shifts of their own. Both see the texts' sent-log (numbers masked for Box office).

Run after every `migrate` (post_migrate), so a fresh database and an upgraded one both end up
with the same groups; re-running changes nothing.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cinema import permissions as cinema_permissions
from messaging.phones import VIEW_FULL_PHONE, VIEW_TEXTS
from ticketing import permissions as ticketing_permissions
from wallet import permissions as wallet_permissions

EDITORS, FINANCE, BOX_OFFICE = "Editors", "Finance", "Box office"

# app_label.codename → groups holding it
MODEL_PERMISSIONS = {
    EDITORS: [
        "wagtailadmin.access_admin",
        cinema_permissions.SCHEDULE_SHOWS,
        *(
            f"cinema.{action}_{model}"
            for model in ("genre", "language", "amenity", "seatlayout", "concessionitem", "taxwaiver")
            for action in ("add", "change", "delete", "view")
        ),
        "home.change_bookingsettings",
    ],
    FINANCE: [
        "wagtailadmin.access_admin",
        wallet_permissions.VIEW_WALLETS,
        wallet_permissions.VIEW_LEDGER,
        wallet_permissions.ISSUE_REFUND,
        ticketing_permissions.VIEW_BOOKINGS,
        ticketing_permissions.CANCEL_BOOKING,
        ticketing_permissions.CANCEL_SHOW,
        ticketing_permissions.VIEW_PAYMENTS,
        ticketing_permissions.VIEW_REFUNDS,
        ticketing_permissions.VIEW_REPORTS,
        ticketing_permissions.RESEND_TICKETS,
        ticketing_permissions.SUPERVISE_COUNTER,
        ticketing_permissions.VIEW_INVOICES,
        ticketing_permissions.VIEW_CREDIT_NOTES,
        ticketing_permissions.REFUND_GIFT_CARD,
        *(f"cinema.{action}_legalentity" for action in ("add", "change", "view")),
        VIEW_FULL_PHONE,
        VIEW_TEXTS,
    ],
    BOX_OFFICE: [
        "wagtailadmin.access_admin",
        ticketing_permissions.CHECK_IN,
        ticketing_permissions.VIEW_TICKETS,
        ticketing_permissions.RESEND_TICKETS,
        ticketing_permissions.SELL_AT_COUNTER,
        ticketing_permissions.HAND_OVER_FOOD,
        *(f"ticketing.{action}_concessionstock" for action in ("add", "change", "view")),
        VIEW_TEXTS,
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
