"""The checkout's statement budget: pay and callback each send a fixed, small number of SQL
statements (the hold's is in tests/checkout/test_hold_statements.py). A regression — an ORM read in a
loop, a reference-index rewrite on every state change — shows up here before the benchmark.

Counted on the test database inside the test's transaction (atomic blocks are savepoints),
up to the commit: what on_commit queues (the e-mail task: one INSERT into django-q2's queue
in production) is counted as a callback, not run.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex

from cinema.models import LegalEntity, TheaterPage
from ticketing.models import Booking, BookingState, DocumentSeries, Ticket
from ticketing.services.invoices import entity_for_show

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admin_loaded():
    """Wagtail registers Booking with its reference index when the admin's URLs load (its
    viewsets), as a running server has done before any booking exists."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # importing them registers the viewsets
    assert ReferenceIndex.is_indexed(Booking)


# the checkout's transaction (savepoint, the customer's own booking read locked with its show,
# promo code and, on PostgreSQL, its seats' categories; one UPDATE; release: booking settings
# and prices come from the cache), the gateway's order (the sandbox's INSERT), then the
# payment, recorded by one INSERT whose source is the booking row, locked and re-checked (a
# killed or overlong Pay cannot attach a stale order); elsewhere the categories' own read
PAY_MAX = 6 if connection.vendor == "postgresql" else 7
# the payment, the gateway's answer; in the transaction: booking and payment locked (one read
# on PostgreSQL), record the payment, sell the seats and confirm (one statement on
# PostgreSQL, all or nothing, returning the seats' categories, so no savepoint is needed
# when no wallet part or food is re-taken), the tickets (one INSERT guarded by its own
# condition); the transaction's own. The e-mail is queued after the commit.
# Plus the tax invoice, numbered in the same transaction (docs/DESIGN.md §3, "Tax invoices"):
# the series row's UPDATE … RETURNING (its lock) and the invoice's INSERT (the legal entity
# comes from the cache; the show's first confirmation after a content change reads it: one
# more); the year's first invoice also opens its series (two more, once a year per GSTIN).
INVOICE = 2
CALLBACK_MAX = (8 if connection.vendor == "postgresql" else 12) + INVOICE
# the sandbox's pay: one statement on PostgreSQL (the order's UPDATE feeds the payment's INSERT)
SANDBOX_MAX = 1 if connection.vendor == "postgresql" else 5
# after the callback's commit, with django-q2's ORM broker: the sent-log row (one INSERT … ON
# CONFLICT DO NOTHING, no transaction of its own, which on PostgreSQL also reads the customer's
# text channels; elsewhere that look-up is one more) and the queued task (none chosen: no
# more); with the Redis broker no task row
AFTER_COMMIT = 2 if connection.vendor == "postgresql" else 3
BOOKING_MAX = 21 + INVOICE  # hold + pay + sandbox + callback + after the commit (docs/performance.md)


def sql_of(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries]


def references_of(booking) -> set[tuple[str, str]]:
    content_type = ContentType.objects.get_for_model(Booking)
    rows = ReferenceIndex.objects.filter(base_content_type=content_type, object_id=str(booking.pk))
    return set(rows.values_list("model_path", "to_object_id"))


@pytest.fixture
def invoiced(show):
    """The theater names its legal entity and this year's invoice series is open."""
    entity = LegalEntity.objects.create(
        legal_name="Marquee Cinemas",
        address="Mumbai",
        state_code="27",
        gstin="27AAACM1234A1Z8",
        invoice_prefix="MQMH",
        credit_note_prefix="CNMH",
    )
    TheaterPage.objects.filter(pk=show.screen.theater_id).update(legal_entity=entity)
    DocumentSeries.objects.create(gstin=entity.gstin, kind="invoice", financial_year="26-27", last_number=41)
    assert entity_for_show(show.pk) == entity  # cached, as after the show's first sale since the content changed


def test_pay_and_callback_stay_within_their_statement_budget(as_alice, alice, held, show, sandbox, invoiced):
    references = references_of(held)
    assert ("user", str(alice.pk)) in references  # (shows are not indexed: ShowPage opts out)

    assert as_alice.get(f"/api/bookings/{held.reference}").status_code == 200  # the hold's page: caches warm
    with TestCase.captureOnCommitCallbacks() as queued, CaptureQueriesContext(connection) as queries:
        response = as_alice.post(f"/api/bookings/{held.reference}/pay", {"use_wallet": False}, content_type="application/json")
    assert len(queued) == 1  # only the seat-version bump (the hold leaves the seat map), after the commit
    assert response.status_code == 200, response.content
    assert len(queries) <= PAY_MAX, "\n".join(sql_of(queries))
    statements = " ".join(sql_of(queries)).replace('"', "")
    assert statements.count("UPDATE ticketing_booking") == 1  # state and frozen price together
    if connection.vendor == "postgresql":  # the seats' categories come with the locked booking
        assert statements.count("FROM ticketing_booking") == 2  # the lock, the payment's INSERT … SELECT
    assert "wagtailcore_referenceindex" not in statements  # no link of the booking changed

    order_id = response.json()["order_id"]
    pay_statements = len(queries)
    with CaptureQueriesContext(connection) as queries:
        made = sandbox.pay(order_id)
    assert len(queries) <= SANDBOX_MAX, "\n".join(sql_of(queries))
    sandbox_statements = len(queries)
    fields = {
        "razorpay_order_id": order_id,
        "razorpay_payment_id": made.payment_id,
        "razorpay_signature": sandbox.sign_payment(order_id, made.payment_id),
    }
    with TestCase.captureOnCommitCallbacks() as queued, CaptureQueriesContext(connection) as queries:
        response = as_alice.post("/payments/razorpay/callback/", fields)
    assert response.status_code == 302
    assert len(queued) == 2  # the confirmation e-mail and the seat-version bump, after the commit
    assert len(queries) <= CALLBACK_MAX, "\n".join(sql_of(queries))
    with CaptureQueriesContext(connection) as after:
        for callback in queued:
            callback()  # (tests run tasks at once: the e-mail's own statements follow)
    queued_by_commit = sql_of(after)[:1]
    assert "INSERT INTO ticketing_sentemail" in queued_by_commit[0] and "ON CONFLICT" in queued_by_commit[0]
    if connection.vendor == "postgresql":  # the text channels came with it: no look-up of their own
        assert "messaging_mobilenumber" in queued_by_commit[0]
        assert not any(sql.startswith('SELECT "messaging_mobilenumber"') for sql in sql_of(after))
    statements = " ".join(sql_of(queries)).replace('"', "")
    assert "wagtailcore_referenceindex" not in statements
    if connection.vendor == "postgresql":  # one atomic block (a savepoint in the test's transaction), none inside
        assert [sql.split()[0] for sql in sql_of(queries)].count("SAVEPOINT") == 1
    seat_statements = [sql for sql in sql_of(queries) if "ticketing_showseat" in sql]
    assert len(seat_statements) == 1  # the sale; categories come back from its UPDATE, no other read
    if connection.vendor == "postgresql":
        from tests.checkout.test_hold_statements import FIRST_HOLD_ON_POSTGRESQL  # a booking starts with one

        assert FIRST_HOLD_ON_POSTGRESQL + pay_statements + sandbox_statements + len(queries) + AFTER_COMMIT <= BOOKING_MAX

    booking = Booking.objects.get(pk=held.pk)
    assert booking.state == BookingState.CONFIRMED
    assert booking.invoice.number == "MQMH/26-27/00042"
    assert sorted(Ticket.objects.filter(booking=booking).values_list("seat_label", "category")) == [
        ("A1", "Classic"),
        ("A2", "Classic"),
    ]
    assert references_of(booking) == references  # the index still names the booking's links


def test_a_save_that_changes_a_link_still_updates_the_reference_index(held, show):
    from ticketing.models import PromoCode

    promo = PromoCode.objects.create(code="FLAT50", kind="flat", value=50)
    held.promo = promo
    held.save(update_fields=["promo", "updated_at"])
    assert ("promo", str(promo.pk)) in references_of(held)
