"""Rows written and read back by hand-written SQL on the hot paths, typed as the ORM would.

The hold, the order record and the tickets fold a check and a write into one statement
(``INSERT … SELECT … WHERE``), which the ORM cannot express; these two helpers keep the column
lists, the parameter adaptation and the conversions back in Django's hands.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import DateField, Field
from django.db.models.fields.files import FieldFile

_MISSING = object()


@cache
def _insert_plan(model, vendor: str) -> tuple[tuple[Field, str, str, dict], ...]:
    """Per model and database: each inserted field with its quoted column, its placeholder (on
    PostgreSQL cast to the column's type) and its steady values (``_steady``). Worked out once:
    the hold path inserts a booking on every request, and the column types cost more to derive
    than the row to send."""
    quote = connection.ops.quote_name
    typed = vendor == "postgresql"
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return tuple((f, quote(f.column), f"%s::{f.db_type(connection)}" if typed else "%s", _steady(f)) for f in fields)


def _steady(f: Field) -> dict:
    """{type: (value, database value)} for the values a new row mostly carries in this field,
    adapted once: None where the field may be empty, and its default when that is a constant
    (most of a new booking's columns are one or the other). Only for fields whose value is
    taken as it stands (no timestamps set on save, no files)."""
    as_is = type(f).pre_save is Field.pre_save
    if isinstance(f, DateField):
        as_is = not f.auto_now and not f.auto_now_add
    if not as_is:
        return {}
    values = [None] if f.null else []
    if f.has_default() and not callable(f.default):
        values.append(f.default)
    return {type(value): (value, f.get_db_prep_save(value, connection)) for value in values}


def insert_parts(instance, expressions: dict[str, str] | None = None) -> tuple[str, str, list]:
    """(column list, select list, parameters) to insert this unsaved instance with
    ``INSERT INTO t (columns) SELECT select_list …``; ``expressions`` puts SQL in place of
    some fields' values (by attname). On PostgreSQL each value is cast to its column's type."""
    expressions = expressions or {}
    columns, selected, params = [], [], []
    for f, column, placeholder, steady in _insert_plan(type(instance), connection.vendor):
        columns.append(column)
        if f.attname in expressions:
            selected.append(expressions[f.attname])
            continue
        selected.append(placeholder)
        value = f.pre_save(instance, add=True)
        if isinstance(value, FieldFile) and value.instance is instance:
            # Reading a file field parks a FieldFile on the instance that points back at it:
            # keep the stored name instead, so the row written leaves no cycle to collect.
            instance.__dict__[f.attname] = value.name
        known = steady.get(type(value), _MISSING)
        if known is not _MISSING and known[0] == value:
            params.append(known[1])
        else:
            params.append(f.get_db_prep_save(value, connection))
    return ", ".join(columns), ", ".join(selected), params


@cache
def _read_plan(model, vendor: str) -> tuple[tuple[str, ...], tuple[tuple[object, tuple, tuple], ...]]:
    """Per model and database: the attnames of ``every_column(model)`` and each column with
    its converters (most have none): the backend's methods unbound, bound to the calling
    thread's connection when used, and the field's own. Worked out once: the hold reads a
    booking back on every request, and asking each field for its converters cost more than
    converting."""
    fields = model._meta.concrete_fields
    plan = []
    for f in fields:
        column = f.get_col(model._meta.db_table)
        backend = tuple(_unbound(converter) for converter in connection.ops.get_db_converters(column))
        plan.append((column, backend, tuple(column.get_db_converters(connection))))
    return tuple(f.attname for f in fields), tuple(plan)


def _unbound(converter):
    """(function, whether it takes the backend's operations first)."""
    if getattr(converter, "__self__", None) is connection.ops:
        return converter.__func__, True
    return converter, False


def every_column(model, prefix: str = "") -> str:
    return _every_column(model, prefix, connection.vendor)


@cache
def _every_column(model, prefix: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(prefix + quote(f.column) for f in model._meta.concrete_fields)


def from_row(model, values):
    """An instance from a raw row of ``every_column(model)``, converted as the ORM would."""
    attnames, plan = _read_plan(model, connection.vendor)
    ops = connection.ops
    converted = []
    for (column, backend, own), value in zip(plan, values, strict=True):
        for converter, method in backend:
            value = converter(ops, value, column, connection) if method else converter(value, column, connection)
        for converter in own:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, list(attnames), converted)
