"""Keep each show's seat rows in step with its screen's layout.

Creating a show writes all its seats in one bulk insert. Editing a layout later adds new
seats, removes and updates free ones, and never drops, relabels or re-prices a seat that is
held or sold: those rows are left exactly as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cinema.layouts import LayoutError
from cinema.models import ShowPage
from core.versions import bump_seats
from ticketing.models import SeatState, ShowSeat

LAYOUT_FIELDS = ("row", "number", "row_index", "column", "category", "wheelchair", "companion")
FREE_STATES = (SeatState.AVAILABLE, SeatState.BLOCKED)
# Rows per INSERT statement: 100 × 10 parameters stays under every backend's limit.
INSERT_BATCH = 100


@dataclass
class SyncResult:
    created: int = 0
    removed: int = 0
    updated: int = 0
    kept_taken: int = 0


def _is_free(seat, now) -> bool:
    """Free to relabel or drop: available, blocked, or held by a hold that has lapsed (the
    sweep leaves those rows as they are; every reader counts them free)."""
    if seat.state in FREE_STATES:
        return True
    return seat.state == SeatState.HELD and seat.held_until is not None and seat.held_until < now


def _desired_state(spec) -> str:
    return SeatState.BLOCKED if spec.blocked else SeatState.AVAILABLE


@transaction.atomic
def sync_show_seats(show) -> SyncResult:
    """Bring one show's ShowSeat rows in line with its screen's current layout."""
    try:
        specs = {spec.label: spec for spec in show.screen.seat_layout.compile().seats}
    except LayoutError:
        return SyncResult()  # an unusable layout never wipes existing inventory
    existing = {seat.label: seat for seat in ShowSeat.objects.filter(show=show).select_for_update()}
    bump_seats(show.pk)  # after commit; harmless when nothing turns out to change
    if not existing:
        return SyncResult(created=_insert_all(show.pk, specs.values()))
    result = SyncResult()

    new_rows = [
        ShowSeat(show=show, label=label, state=_desired_state(spec), **{f: getattr(spec, f) for f in LAYOUT_FIELDS})
        for label, spec in specs.items()
        if label not in existing
    ]
    ShowSeat.objects.bulk_create(new_rows, batch_size=500)
    result.created = len(new_rows)

    now = timezone.now()
    removable = [seat.pk for label, seat in existing.items() if label not in specs and _is_free(seat, now)]
    if removable:
        result.removed = ShowSeat.objects.filter(pk__in=removable).delete()[0]  # rows locked above

    changed = []
    for label, seat in existing.items():
        spec = specs.get(label)
        if not _is_free(seat, now):
            result.kept_taken += 1
            continue
        if spec is None:
            continue
        wanted = {f: getattr(spec, f) for f in LAYOUT_FIELDS} | {"state": _desired_state(spec)}
        if seat.state == SeatState.HELD:  # a lapsed hold the sweep left: the seat starts afresh
            wanted |= {"booking_id": None, "held_until": None}
        if any(getattr(seat, f) != v for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(seat, f, v)
            changed.append(seat)
    if changed:
        ShowSeat.objects.bulk_update(changed, [*LAYOUT_FIELDS, "state", "booking", "held_until"], batch_size=500)
    result.updated = len(changed)
    return result


def _insert_all(show_id: int, specs) -> int:
    """A new show's whole inventory in one COPY (PostgreSQL) or a few multi-row INSERTs:
    no model instance per seat."""
    columns = ["show_id", "label", "state", *[ShowSeat._meta.get_field(f).column for f in LAYOUT_FIELDS]]
    rows = [(show_id, spec.label, _desired_state(spec), *[getattr(spec, f) for f in LAYOUT_FIELDS]) for spec in specs]
    table = connection.ops.quote_name(ShowSeat._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: no per-value binding, ~4× faster
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one_row] * len(batch))}",
                [value for row in batch for value in row],
            )
    return len(rows)


def sync_upcoming_shows(*, screens=None, layouts=None) -> int:
    """Resync shows not yet started on these screens (or screens using these layouts)."""
    shows = ShowPage.objects.filter(starts_at__gt=timezone.now()).select_related("screen__seat_layout")
    if screens is not None:
        shows = shows.filter(screen__in=[s.pk for s in screens])
    if layouts is not None:
        shows = shows.filter(screen__seat_layout__in=[layout.pk for layout in layouts])
    count = 0
    for show in shows:
        sync_show_seats(show)
        count += 1
    return count
