"""Bulk writes of big imports: upsert many rows, then copy them into their history.

Hand-made because stock Django fell short, measured (bench/import_scale.py, the
2-core machine of bench/RESULTS.md): confirming a province's quarter in the admin,
100,000 progress rows, with django-simple-history's bulk_create_with_history took
40 s on SQLite and 49 s on PostgreSQL for the writes alone, against the 60 s worker
timeout, with the file still to be read; a plain ``bulk_create`` of the rows without
their history took 20–35 s. The time goes to Django's SQL compiler preparing every
value in Python. Here a column's distinct values are prepared once, through its
field's public ``get_db_prep_save``, the rows go in as multi-row
``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` statements (the same syntax on
SQLite ≥ 3.35 and PostgreSQL), and the database copies the written rows into the
history table itself (``INSERT … SELECT``), with the columns and values that
simple-history's ``bulk_history_create`` gives them. No signal is sent, as with
any bulk write: the caller makes the cached figures stale.
"""

from django.conf import settings
from django.db import connection
from simple_history.utils import get_history_model_for_model

# Rows per statement (SQLite allows fewer: 999 parameters a statement).
MAX_ROWS_PER_STATEMENT = 500
HISTORY_TYPES = {"created": "+", "updated": "~"}


class Prepared:
    """Each column's values as the database takes them, each computed once."""

    def __init__(self, fields):
        self.fields = fields
        self.seen = [{} for _field in fields]

    def row(self, values):
        out = []
        for field, seen, value in zip(self.fields, self.seen, values, strict=True):
            try:
                out.append(seen[value])
            except KeyError:
                seen[value] = prepared = field.get_db_prep_save(value, connection)
                out.append(prepared)
            except TypeError:  # an unhashable value: prepare it every time
                out.append(field.get_db_prep_save(value, connection))
        return out


def upsert(model, rows, *, columns, unique, returning):
    """Insert ``rows`` (tuples in ``columns`` order), updating those whose
    ``unique`` columns match a stored row; the ``returning`` columns of each.

    ``columns`` are attnames (``unit_id``); every column not in ``unique`` is updated.
    """
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("bulk imports need SQLite 3.35+ or PostgreSQL")
    opts = model._meta
    fields = [opts.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    targets = ", ".join(quote(opts.get_field(name).column) for name in unique)
    updates = ", ".join(
        f"{quote(f.column)} = EXCLUDED.{quote(f.column)}"
        for name, f in zip(columns, fields, strict=True)
        if name not in unique
    )
    head = (
        f"INSERT INTO {quote(opts.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    tail = f" ON CONFLICT ({targets}) DO UPDATE SET {updates} RETURNING " + ", ".join(
        quote(opts.get_field(name).column) for name in returning
    )
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = min(
        MAX_ROWS_PER_STATEMENT,
        connection.ops.bulk_batch_size(fields, rows) or MAX_ROWS_PER_STATEMENT,
    )
    prepared = Prepared(fields)
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params = [value for row in batch for value in prepared.row(row)]
            cursor.execute(head + ", ".join([placeholder] * len(batch)) + tail, params)
            returned += cursor.fetchall()
    return returned


def copy_to_history(model, pks, *, outcome, user, reason, date):
    """Write one history row per stored row in ``pks``: its values as they now are."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = get_history_model_for_model(model)
    constants = {
        "history_date": date,
        "history_change_reason": reason,
        "history_type": HISTORY_TYPES[outcome],
        "history_user_id": user.pk if user is not None else None,
    }
    tracked = {f.attname for f in history.tracked_fields}
    quote = connection.ops.quote_name
    columns, selected, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.attname in tracked:
            selected.append(quote(model._meta.get_field(field.attname).column))
        else:
            # Any other column (a custom history field) would be left empty.
            selected.append("%s")
            params.append(field.get_db_prep_save(constants[field.attname], connection))
    head = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN "
    )
    size = connection.features.max_query_params or 1000
    size = min(1000, size - len(params))
    pks = sorted(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), size):
            batch = pks[start : start + size]
            cursor.execute(
                head + "(" + ", ".join(["%s"] * len(batch)) + ")", params + batch
            )
