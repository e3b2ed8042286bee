"""The hold's statement budget and the caches that make it small (docs/performance.md).

A hold through the API reads the session and the show's facts, prices and booking settings
from the cache, asks one read of the asked seats' rows (the single-seat warning and, when the
cache does not know yet, the e-mail verification come back with it) and, on PostgreSQL, finds
or inserts the hold and claims the seats in one statement. Counted on the test database
inside the test's transaction (atomic blocks are savepoints; they count).
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex

from cinema.models import ShowPrice
from home.models import BookingSettings
from ticketing.models import Booking, ShowSeat

pytestmark = pytest.mark.django_db

# the seats' rows, the claim (one statement on PostgreSQL; its savepoint's own two), nothing
# else while the cache holds the session, the user, the show, its prices and the settings
HOLD_MAX = 7
# On PostgreSQL, inside the test's transaction: a first hold is the read, then the claim in a
# savepoint (outside a transaction, as in production, the read and the claim alone); a hold
# that replaces one is the read, then a savepoint around the locked read and the claim.
FIRST_HOLD_ON_POSTGRESQL = 4
REPLACING_HOLD_ON_POSTGRESQL = 5
# the session, the user's copy and version, the rate limit's counter, one read-ahead of
# everything else, the seat bump
CACHE_CALLS = 5


@pytest.fixture(autouse=True)
def admin_loaded():
    """Wagtail indexes bookings once the admin's viewsets are loaded, as on a running server."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns
    assert ReferenceIndex.is_indexed(Booking)


def hold(client, show, seats):
    return client.post(f"/api/shows/{show.pk}/holds", {"seats": seats}, content_type="application/json")


def test_a_hold_stays_within_its_statement_budget(as_alice, show):
    assert hold(as_alice, show, ["B1"]).status_code == 201  # warms the caches (show, prices, settings)
    for seats in (["A1", "A2"], ["A2", "A3", "A4"]):  # each replaces the hold before it
        with CaptureQueriesContext(connection) as queries:
            response = hold(as_alice, show, seats)
        assert response.status_code == 201, response.content
        statements = [q["sql"] for q in queries.captured_queries]
        assert len(statements) <= HOLD_MAX, "\n".join(statements)
        if connection.vendor == "postgresql":
            assert len(statements) == REPLACING_HOLD_ON_POSTGRESQL, "\n".join(statements)
        joined = " ".join(statements).replace('"', "")
        assert "django_session" not in joined  # cached_db: the session came from the cache
        assert "home_bookingsettings" not in joined and "cinema_showprice" not in joined
        # the verified-address question rides inside the seat read, never a statement of its own
        assert not [sql for sql in statements if "account_emailaddress" in sql and "ticketing_showseat" not in sql]
        assert "auth_user" not in joined  # the signed-in user came from the cache
    assert response.json()["seats"] == ["A2", "A3", "A4"]
    assert ShowSeat.objects.get(show=show, label="A1").state == "available"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement first hold is PostgreSQL's")
def test_a_first_hold_is_one_read_and_one_claim(as_alice, show):
    from ticketing.services.holds import release_hold

    warm = hold(as_alice, show, ["B1"]).json()["reference"]  # the caches are warm
    release_hold(Booking.objects.get(reference=warm))  # and Alice holds nothing here again
    with CaptureQueriesContext(connection) as queries:
        response = hold(as_alice, show, ["A1", "A2"])
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == FIRST_HOLD_ON_POSTGRESQL, "\n".join(statements)
    assert "FOR UPDATE OF s" in statements[2] and "INSERT INTO ticketing_booking" in statements[2]
    assert {s.label for s in ShowSeat.objects.filter(show=show, booking__reference=response.json()["reference"])} == {"A1", "A2"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement first hold is PostgreSQL's")
def test_a_first_hold_refused_for_one_seat_changes_nothing(as_alice, show, bob):
    from ticketing.services.holds import hold_seats

    hold_seats(bob, show, ["A2"])
    bookings = Booking.objects.count()
    response = hold(as_alice, show, ["A1", "A2", "A3"])
    assert response.status_code == 409 and response.json()["unavailable"] == ["A2"]
    assert Booking.objects.count() == bookings
    assert set(ShowSeat.objects.filter(show=show, state="held").values_list("label", flat=True)) == {"A2"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement first hold is PostgreSQL's")
def test_a_first_hold_that_comes_up_short_in_the_claim_changes_nothing(alice, show, bob):
    """A seat taken between the read and the claim: the statement inserts and claims nothing."""
    from datetime import timedelta

    from django.utils import timezone

    from ticketing.services.holds import _first_hold, hold_seats

    hold_seats(bob, show, ["A2"])
    bookings = Booking.objects.count()
    now = timezone.now()
    booking, free = _first_hold(alice, show, ["A1", "A2", "A3"], now, now + timedelta(minutes=10), (None, None))
    assert booking is None and sorted(free) == ["A1", "A3"]
    assert Booking.objects.count() == bookings
    assert set(ShowSeat.objects.filter(show=show, state="held").values_list("label", flat=True)) == {"A2"}


def test_a_warm_hold_asks_the_cache_five_times(as_alice, show, monkeypatch, django_capture_on_commit_callbacks):
    """Each cache call is a Redis round trip in production: the reads a hold needs are batched."""
    with django_capture_on_commit_callbacks(execute=True):  # the caches and counters exist
        assert hold(as_alice, show, ["B1"]).status_code == 201
    calls, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:  # the local-memory cache's get_many and incr call its own get and set
                calls.append(f"{name} {args[0] if args else ''}")
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many", "has_key"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    with django_capture_on_commit_callbacks(execute=True):
        assert hold(as_alice, show, ["B1", "B2"]).status_code == 201
    assert len(calls) == CACHE_CALLS, "\n".join(calls)


def test_a_first_hold_asks_verification_inside_the_seat_read(as_alice, show):
    with CaptureQueriesContext(connection) as queries:
        assert hold(as_alice, show, ["A1"]).status_code == 201
    reads = [q["sql"] for q in queries.captured_queries if "account_emailaddress" in q["sql"]]
    assert len(reads) == 1 and "ticketing_showseat" in reads[0]


def test_an_unverified_customer_is_still_refused(as_alice, alice, show):
    alice.emailaddress_set.update(verified=False)
    response = hold(as_alice, show, ["A1"])
    assert response.status_code == 403
    assert "verify" in response.json()["detail"]
    assert not Booking.objects.exists() and not ShowSeat.objects.filter(show=show).exclude(state="available").exists()


def test_an_unverified_customer_asking_for_a_taken_seat_is_told_to_verify_first(as_alice, alice, bob, show):
    from ticketing.services.holds import hold_seats

    hold_seats(bob, show, ["A2"])
    alice.emailaddress_set.update(verified=False)
    response = hold(as_alice, show, ["A1", "A2"])
    assert response.status_code == 403 and "verify" in response.json()["detail"]
    assert Booking.objects.count() == 1


def test_after_a_settings_save_the_next_hold_uses_the_new_fee(as_alice, show):
    before = hold(as_alice, show, ["A1"]).json()["quote"]
    rules = BookingSettings.load()
    rules.convenience_fee = Decimal("45.00")
    rules.save()
    after = hold(as_alice, show, ["A1"]).json()["quote"]
    assert before["fee"] == "30.00" and after["fee"] == "45.00"


def test_after_a_price_change_the_next_hold_uses_the_new_price(as_alice, show):
    assert hold(as_alice, show, ["A1"]).json()["quote"]["base"] == "200.00"
    price = ShowPrice.objects.get(show=show, category="Classic")
    price.amount = Decimal("220.00")
    price.save()
    assert hold(as_alice, show, ["A1"]).json()["quote"]["base"] == "220.00"


def test_an_unpublished_show_takes_no_more_holds(as_alice, show):
    assert hold(as_alice, show, ["A1"]).status_code == 201
    show.unpublish()
    assert hold(as_alice, show, ["A2"]).status_code == 404


def test_the_single_seat_warning_reads_the_rows_as_they_stand_after_the_hold(as_alice, bob, show):
    from ticketing.services.holds import hold_seats

    hold_seats(bob, show, ["A1"])
    assert hold(as_alice, show, ["A3", "A4"]).json()["warnings"] == [
        "Seat A2 is left as a single empty seat between taken seats."
    ]
    # moving the hold off A3 frees it: A2 is no longer alone
    assert hold(as_alice, show, ["A5"]).json()["warnings"] == []


def test_a_new_hold_has_the_reference_index_rows_wagtail_would_write(as_alice, alice, show):
    booking = Booking.objects.get(reference=hold(as_alice, show, ["A1"]).json()["reference"])
    rows = set(ReferenceIndex.get_references_for_object(booking).values_list("model_path", "to_object_id"))
    assert rows == {("user", str(alice.pk))}
    before = ReferenceIndex.objects.count()
    ReferenceIndex.create_or_update_for_object(booking)  # Wagtail's own rebuild changes nothing
    assert ReferenceIndex.objects.count() == before
    assert ReferenceIndex.get_grouped_references_to(alice).is_protected  # the customer cannot be deleted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_holds_of_one_seat_and_of_four_are_one_prepared_statement_planned_once(as_alice, bob, show):
    """Seat lists travel as one array (core/prepared.py), so the statement's text does not
    depend on how many seats; the connection plans prepared statements generically, once
    (config/postgresql/base.py), where PostgreSQL would otherwise plan each run five more times."""
    from tests.fixtures.checkout import signed_in
    from ticketing.services.holds import release_hold

    as_bob = signed_in(bob)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
        cursor.execute("DEALLOCATE ALL")  # psycopg sees it and forgets its own list too
    for client, seats in ((as_alice, ["A1"]), (as_bob, ["B1", "B2", "B3", "B4"]), (as_alice, ["A3"])):
        response = hold(client, show, seats)
        assert response.status_code == 201, response.content
        release_hold(Booking.objects.get(reference=response.json()["reference"]))  # the next is a first hold again
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT left(statement, 40), generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE 'WITH free AS%%' OR statement LIKE 'WITH earlier AS%%'"
        )
        prepared = cursor.fetchall()
    claims = [(generic, custom) for text, generic, custom in prepared if text.startswith("WITH free")]
    reads = [(generic, custom) for text, generic, custom in prepared if text.startswith("WITH earlier")]
    assert claims == [(3, 0)], prepared  # one claim statement for 1 and 4 seats, planned generically
    # the read: asking the verified-address question unless the cache knows the answer (two texts at most)
    assert 1 <= len(reads) <= 2 and sum(generic for generic, _ in reads) == 3, prepared
    assert all(not custom for _, custom in reads), prepared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_prepared_statement_is_logged_with_its_values(as_alice, show):
    with CaptureQueriesContext(connection) as queries:
        assert hold(as_alice, show, ["A7"]).status_code == 201
    read = next(q["sql"] for q in queries.captured_queries if "WITH earlier AS" in q["sql"])
    assert "ANY('{A7}')" in read and "%s" not in read


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.parametrize("certification", ["UA", "A"])
def test_the_hold_statements_are_ones_psycopg_keeps_parsed(as_alice, show, certification, monkeypatch):
    """psycopg parses a statement's text again on every run past 4 kB or 50 parameters; the
    seat read and the first hold (companion seats kept, an A film's confirmation recorded)
    stay within both."""
    import psycopg._queries

    movie = show.movie
    movie.certification = certification
    movie.save()
    parsed_again = []
    original = psycopg._queries._query2pg_nocache

    def spy(query, *rest):
        parsed_again.append(query)
        return original(query, *rest)

    monkeypatch.setattr(psycopg._queries, "_query2pg_nocache", spy)
    body = {"seats": ["A1", "A2"], "age_confirmed": True}
    with CaptureQueriesContext(connection) as queries:
        response = as_alice.post(f"/api/shows/{show.pk}/holds", body, content_type="application/json")
    assert response.status_code == 201, response.content
    hold_statements = [q["sql"] for q in queries.captured_queries if "ticketing_showseat" in q["sql"]]
    assert len(hold_statements) == 2 and "NOT s.companion" in hold_statements[1]
    assert not [query for query in parsed_again if b"ticketing_showseat" in query]
