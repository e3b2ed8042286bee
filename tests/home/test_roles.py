"""The staff groups that exist out of the box, and ensure_groups() being safe to re-run."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from home.models import HomePage
from home.roles import ensure_groups
from tests.factories import make_user


def codenames(group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def page_permissions(group) -> set[tuple[int, str]]:
    return set(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission__codename"))


def snapshot() -> dict:
    return {
        "groups": sorted(Group.objects.values_list("pk", "name")),
        "model": sorted(Group.permissions.through.objects.values_list("group_id", "permission_id")),
        "pages": sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        "collections": sorted(GroupCollectionPermission.objects.values_list("group_id", "collection_id", "permission_id")),
        "permissions": Permission.objects.count(),
    }


@pytest.mark.django_db
def test_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Finance", "Box office"}


@pytest.mark.django_db
def test_editors_permissions():
    editors = Group.objects.get(name="Editors")
    perms = codenames(editors)
    assert "cinema.schedule_shows" in perms
    assert "wagtailadmin.access_admin" in perms
    assert "home.change_bookingsettings" in perms
    assert {f"cinema.{a}_seatlayout" for a in ("add", "change", "delete", "view")} <= perms
    assert {f"cinema.{a}_concessionitem" for a in ("add", "change", "delete", "view")} <= perms
    root = Page.get_first_root_node()
    assert {(root.pk, c) for c in ("add_page", "change_page", "publish_page")} <= page_permissions(editors)
    assert {pk for pk, _ in page_permissions(editors)} == {root.pk}
    collection_perms = set(
        GroupCollectionPermission.objects.filter(group=editors, collection=Collection.get_first_root_node()).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_image", "choose_image", "add_document"} <= collection_perms


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Finance", "Box office"])
def test_other_groups_reach_the_admin_but_not_the_scheduler_or_pages(name):
    group = Group.objects.get(name=name)
    perms = codenames(group)
    assert "wagtailadmin.access_admin" in perms
    assert "cinema.schedule_shows" not in perms
    assert not GroupPagePermission.objects.filter(group=group).exists()


@pytest.mark.django_db
def test_editor_user_gets_the_groups_rights():
    editor = make_user()
    editor.groups.add(Group.objects.get(name="Editors"))
    finance = make_user()
    finance.groups.add(Group.objects.get(name="Finance"))
    home = HomePage.objects.get()

    assert editor.has_perm("cinema.schedule_shows") and not finance.has_perm("cinema.schedule_shows")
    assert home.permissions_for_user(editor).can_add_subpage()
    assert home.permissions_for_user(editor).can_publish()
    assert not home.permissions_for_user(finance).can_edit()


@pytest.mark.django_db
def test_ensure_groups_twice_changes_nothing():
    before = snapshot()
    first = ensure_groups()
    second = ensure_groups()
    assert snapshot() == before
    assert {n: g.pk for n, g in first.items()} == {n: g.pk for n, g in second.items()}


@pytest.mark.django_db
def test_migrate_again_changes_nothing():
    before = snapshot()
    call_command("migrate", verbosity=0)
    assert snapshot() == before


@pytest.mark.django_db
def test_ensure_groups_restores_what_is_missing_and_keeps_what_admins_added():
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="schedule_shows"))
    GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").delete()
    Group.objects.filter(name="Box office").delete()
    extra = Permission.objects.get(content_type__app_label="cinema", codename="add_genre")
    finance = Group.objects.get(name="Finance")
    finance.permissions.add(extra)

    ensure_groups()

    assert "cinema.schedule_shows" in codenames(editors)
    assert (Page.get_first_root_node().pk, "publish_page") in page_permissions(editors)
    assert Group.objects.filter(name="Box office").exists()
    assert extra in finance.permissions.all()


@pytest.mark.django_db
def test_finance_permissions_are_exactly_its_work():
    assert codenames(Group.objects.get(name="Finance")) == {
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
        "ticketing.supervise_counter",
        "ticketing.refund_gift_card",
        # tax documents: read the invoices and credit notes, keep the legal entities they name
        "ticketing.view_invoice",
        "ticketing.view_creditnote",
        "cinema.add_legalentity",
        "cinema.change_legalentity",
        "cinema.view_legalentity",
        "messaging.view_customer_phone",
        "messaging.view_sentmessage",
    }


@pytest.mark.django_db
def test_box_office_permissions_are_exactly_its_work():
    assert codenames(Group.objects.get(name="Box office")) == {
        "wagtailadmin.access_admin",
        "ticketing.check_in_ticket",
        "ticketing.view_ticket",
        "ticketing.resend_tickets",
        "ticketing.sell_at_counter",
        "ticketing.hand_over_food",
        "ticketing.add_concessionstock",
        "ticketing.change_concessionstock",
        "ticketing.view_concessionstock",
        "messaging.view_sentmessage",
    }
