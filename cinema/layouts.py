"""Seat layouts: turn what an editor typed into the exact list of seats of a screen.

Kept free of Django models so the admin form, the live preview, the inventory sync and the
tests all run the same rules. Every problem is reported with the row it belongs to, so an
editor can find it without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SEATS_PER_ROW = 80
MAX_ROWS = 40
# Seat numbers are stored as small integers and printed on tickets: keep them short.
MAX_SEAT_NUMBER = 999


class LayoutError(ValueError):
    """One or more problems in a seat layout, each a sentence an editor can act on."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass(frozen=True)
class RowSpec:
    """One row as the editor describes it."""

    label: str
    seats: int
    category: str
    first_number: int = 1
    offset: int = 0
    aisles_after: str = ""
    wheelchair: str = ""
    blocked: str = ""
    walkway_before: bool = False
    companion: str = ""


@dataclass(frozen=True)
class SeatSpec:
    """One seat of a compiled layout: where it sits in the grid and what it is."""

    label: str
    row: str
    number: int
    row_index: int
    column: int
    category: str
    wheelchair: bool = False
    blocked: bool = False
    companion: bool = False


@dataclass
class CompiledLayout:
    categories: list[str]
    seats: list[SeatSpec] = field(default_factory=list)
    rows: int = 0
    columns: int = 0

    @property
    def capacity(self) -> int:
        return len(self.seats)

    def grid(self) -> list[dict]:
        """Rows of cells (a seat or None for a gap), for templates that draw the map."""
        return seats_to_grid(self.seats, self.columns)


def parse_numbers(text: str) -> list[int]:
    """Parse "1, 2, 7-9" into [1, 2, 7, 8, 9]; raise ValueError naming the bad part."""
    numbers: list[int] = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            low, _, high = part.partition("-")
            if not (low.strip().isdigit() and high.strip().isdigit()):
                raise ValueError(f"“{part}” is not a seat number or a range like 3-5")
            start, end = int(low), int(high)
            if start > end:
                raise ValueError(f"“{part}” runs backwards; write it as {end}-{start}")
            numbers.extend(range(start, end + 1))
        elif part.isdigit():
            numbers.append(int(part))
        else:
            raise ValueError(f"“{part}” is not a seat number")
    return numbers


def compile_layout(categories: list[str], rows: list[RowSpec]) -> CompiledLayout:
    """Validate a layout and lay its seats on a grid; raise LayoutError listing every problem."""
    errors: list[str] = []
    names = [name.strip() for name in categories if name and name.strip()]
    lowered = [name.lower() for name in names]
    if not names:
        errors.append("Add at least one seat category (for example Recliner, Prime, Classic).")
    for name in sorted({n for n in lowered if lowered.count(n) > 1}):
        errors.append(f"Seat category “{name}” is listed twice.")
    canonical = {name.lower(): name for name in names}

    if not rows:
        errors.append("Add at least one row of seats.")
    if len(rows) > MAX_ROWS:
        errors.append(f"A screen can have at most {MAX_ROWS} rows; this layout has {len(rows)}.")

    seats: list[SeatSpec] = []
    seen_rows: set[str] = set()
    row_index = 0
    for position, row in enumerate(rows, start=1):
        label = (row.label or "").strip().upper()
        where = f"Row {label}" if label else f"Row #{position}"
        if not label:
            errors.append(f"{where} needs a label (for example A).")
        elif not label.isalnum():
            errors.append(f"{where}: a row label may contain only letters and digits.")
        elif label in seen_rows:
            errors.append(f"Row label “{label}” is used twice; each row needs its own label.")
        seen_rows.add(label)

        if row.seats is None or row.seats < 1:
            errors.append(f"{where} is empty: give it at least one seat.")
            continue
        if row.seats > MAX_SEATS_PER_ROW:
            errors.append(f"{where} has {row.seats} seats; the most a row can have is {MAX_SEATS_PER_ROW}.")
            continue
        category = canonical.get((row.category or "").strip().lower())
        if category is None:
            known = ", ".join(names) or "none yet"
            errors.append(f"{where} uses category “{row.category}”, which is not one of this layout’s categories ({known}).")
        first = row.first_number if row.first_number is not None else 1
        if first < 1:
            errors.append(f"{where}: the first seat number must be 1 or more.")
            continue
        last = first + row.seats - 1
        if last > MAX_SEAT_NUMBER:
            errors.append(f"{where}: seat numbers would run up to {last}; the highest seat number allowed is {MAX_SEAT_NUMBER}.")
            continue
        extras = {}
        for name, text in (
            ("aisles after", row.aisles_after),
            ("wheelchair seats", row.wheelchair),
            ("companion seats", row.companion),
            ("blocked seats", row.blocked),
        ):
            try:
                numbers = set(parse_numbers(text))
            except ValueError as exc:
                errors.append(f"{where}, {name}: {exc}.")
                numbers = set()
            outside = sorted(n for n in numbers if n < first or n > last)
            if outside:
                errors.append(f"{where}, {name}: seat {outside[0]} is not in this row (seats {first}–{last}).")
            extras[name] = numbers

        if row.walkway_before and row_index:
            row_index += 1
        column = max(row.offset or 0, 0)
        row_seats: list[SeatSpec] = []
        for number in range(first, last + 1):
            row_seats.append(
                SeatSpec(
                    label=f"{label}{number}",
                    row=label,
                    number=number,
                    row_index=row_index,
                    column=column,
                    category=category or "",
                    wheelchair=number in extras["wheelchair seats"],
                    blocked=number in extras["blocked seats"],
                    companion=number in extras["companion seats"],
                )
            )
            column += 2 if number in extras["aisles after"] else 1
        errors.extend(companion_errors(where, row_seats))
        seats.extend(row_seats)
        row_index += 1

    labels = [seat.label for seat in seats]
    duplicates = sorted({lbl for lbl in labels if labels.count(lbl) > 1}) if len(set(labels)) != len(labels) else []
    for lbl in duplicates[:5]:
        errors.append(f"Seat label {lbl} appears twice; change a row label or its first seat number.")
    if errors:
        raise LayoutError(errors)
    columns = max((seat.column for seat in seats), default=-1) + 1
    return CompiledLayout(categories=names, seats=seats, rows=row_index, columns=columns)


def companion_errors(where: str, row_seats: list[SeatSpec]) -> list[str]:
    """A companion seat sits right beside a wheelchair space of its row (no aisle between),
    is not itself a wheelchair space, and is on sale (not blocked)."""
    wheelchair_columns = {seat.column for seat in row_seats if seat.wheelchair}
    errors = []
    for seat in row_seats:
        if not seat.companion:
            continue
        if seat.wheelchair:
            errors.append(
                f"{where}, companion seats: seat {seat.label} is a wheelchair space; a companion seat is the one beside it."
            )
        elif seat.blocked:
            errors.append(f"{where}, companion seats: seat {seat.label} is blocked; a companion seat must be on sale.")
        elif not {seat.column - 1, seat.column + 1} & wheelchair_columns:
            errors.append(
                f"{where}, companion seats: seat {seat.label} is not next to a wheelchair space in this row "
                "(an aisle between them counts as apart)."
            )
    return errors


def companion_partners(seats) -> dict[str, list[str]]:
    """{companion seat label: the wheelchair spaces beside it}, for seat-like objects with
    row, column, wheelchair and companion (SeatSpec and ShowSeat rows alike)."""
    wheelchair = {(seat.row, seat.column): seat.label for seat in seats if seat.wheelchair}
    partners = {}
    for seat in seats:
        if seat.companion:
            beside = [(seat.row, seat.column - 1), (seat.row, seat.column + 1)]
            partners[seat.label] = [wheelchair[place] for place in beside if place in wheelchair]
    return partners


def seats_to_grid(seats, columns: int) -> list[dict]:
    """Group seat-like objects (row_index, column, row) into rows of cells with None for gaps.

    Works for SeatSpec and ShowSeat alike, so the admin preview and the customer seat map
    draw the same picture.
    """
    by_row: dict[int, list] = {}
    for seat in seats:
        by_row.setdefault(seat.row_index, []).append(seat)
    grid = []
    last_index = max(by_row, default=-1)
    for index in range(last_index + 1):
        row_seats = by_row.get(index)
        if not row_seats:
            grid.append({"label": "", "cells": [], "walkway": True})
            continue
        cells: list = [None] * columns
        for seat in row_seats:
            if seat.column < columns:
                cells[seat.column] = seat
        grid.append({"label": row_seats[0].row, "cells": cells, "walkway": False})
    return grid
