"""Bulk SQL where Django's ORM is slow at scale.

``bulk_create`` builds a model instance per row and compiles every value in Python, and
``bulk_update`` builds one CASE expression per field and batch: for tens of thousands of rows
both cost seconds. These helpers prepare each value once per column and hand the rows to the
database in bulk: ``executemany`` of a prepared statement on SQLite; on PostgreSQL, COPY for
inserts and one UPDATE from an array per column for updates (Django binds parameters on the
client, so an ``executemany`` there would send and plan every row on its own).

Only quoted names from the model's own metadata go into the SQL; every value is a parameter.
Like ``bulk_create``, they send no signals and run no ``pre_save``: give ``auto_now`` values
in the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Field, Max, Model

BATCH = 2000


def chunks[T](items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _array_types(fields: Sequence[Field]) -> list[str] | None:
    """The PostgreSQL types to cast each column's array to, or None when a column's type cannot
    be an array parameter (arrays and JSON: use executemany)."""
    if connection.vendor != "postgresql":
        return None
    types = [str(f.db_type(connection)) for f in fields]
    if any("[" in t or "json" in t for t in types):
        return None
    return types


def insert_rows(
    model: type[Model], rows: list[dict[str, Any]], *, key: str | None = None, skip_conflicts: bool = False
) -> dict[Any, int]:
    """INSERT rows (field attname -> value; a field left out gets its default). With ``key`` (a
    unique field), return the new primary keys by that field. ``skip_conflicts`` leaves out rows
    that would break a unique constraint (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL)."""
    if not rows:
        return {}
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
    tail = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    last = (model._default_manager.aggregate(last=Max("pk"))["last"] or 0) if key else 0
    columns = []
    for f in fields:
        columns.append(db_values(f, _column(f, rows)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_in(cursor, meta.db_table, [str(f.column) for f in fields], columns, skip_conflicts=skip_conflicts)
        else:
            sql = head + f"VALUES ({', '.join(['%s'] * len(fields))})" + tail
            for batch in chunks(list(zip(*columns, strict=True))):
                cursor.executemany(sql, batch)
    if key is None:
        return {}
    wanted = {row[key] for row in rows}
    new = model._default_manager.filter(pk__gt=last).values_list(key, "pk")
    return {value: pk for value, pk in new if value in wanted}


def _column(field: Any, rows: list[dict[str, Any]]) -> list[Any]:
    """One field's values of every row; a row without it gets the field's default."""
    name = field.attname
    if name in rows[0]:
        try:
            return list(map(itemgetter(name), rows))  # every row has it, the usual case: at C speed
        except KeyError:
            pass
    if field.has_default() and callable(field.default):
        return [row[name] if name in row else field.get_default() for row in rows]
    default = field.get_default()
    return [row.get(name, default) for row in rows]


def _copy_in(
    cursor: Any, table: str, column_names: list[str], columns: list[list[Any]], *, skip_conflicts: bool
) -> None:
    """PostgreSQL's COPY: the fastest way in. COPY cannot skip conflicting rows, so then the rows go
    through a temporary table and an INSERT … ON CONFLICT DO NOTHING."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in column_names)
    target = quote(table)
    if skip_conflicts:
        target = quote(f"samtale_copy_{table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {target} AS SELECT {names} FROM {quote(table)} WITH NO DATA")  # noqa: S608
    with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        for row in zip(*columns, strict=True):
            copy.write_row(row)
    if skip_conflicts:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {target} ON CONFLICT DO NOTHING"  # noqa: S608
        )
        cursor.execute(f"DROP TABLE {target}")


def update_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Set ``fields`` for each row given as ``(pk, value, …)``. Field names are model field names
    (``leader`` for a foreign key); values are Python values (ids for foreign keys)."""
    rows = list(rows)
    if not rows:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    model_fields: list[Field] = [meta.get_field(name) for name in fields]  # type: ignore[misc]
    pk_field: Field = meta.pk  # type: ignore[assignment]
    table, pk = quote(meta.db_table), quote(str(pk_field.column))
    columns = [db_values(f, [row[i + 1] for row in rows]) for i, f in enumerate(model_fields)]
    ids = [row[0] for row in rows]
    types = _array_types([pk_field, *model_fields])
    with connection.cursor() as cursor:
        if types is not None:
            names = [f"c{i}" for i in range(len(model_fields))]
            assignments = ", ".join(f"{quote(str(f.column))} = v.{n}" for f, n in zip(model_fields, names, strict=True))
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            sql = (
                f"UPDATE {table} SET {assignments} FROM UNNEST({arrays}) AS v(pk, {', '.join(names)}) "  # noqa: S608
                f"WHERE {table}.{pk} = v.pk"
            )
            for start in range(0, len(rows), BATCH):
                cursor.execute(sql, [ids[start : start + BATCH]] + [c[start : start + BATCH] for c in columns])
        else:
            assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in model_fields)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
            for batch in chunks(list(zip(*columns, ids, strict=True))):
                cursor.executemany(sql, batch)
    return len(rows)


# Values the database drivers take as they are, for these kinds of field.
_STORED_AS_IS = {
    "CharField": (str,),
    "EmailField": (str,),
    "TextField": (str,),
    "BooleanField": (bool,),
    "ForeignKey": (int,),
    "OneToOneField": (int,),
    "IntegerField": (int,),
    "BigIntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "SmallIntegerField": (int,),
    "BigAutoField": (int,),
    "AutoField": (int,),
}


# What PostgreSQL's driver takes as it is, where SQLite wants a string: Django's conversion of each of
# a million UUIDs or dates would cost seconds for nothing.
_NATIVE_ON_POSTGRESQL = {
    "UUIDField": (UUID,),
    "DateField": (date,),
    "TimeField": (time,),
    "DecimalField": (Decimal,),
}


def db_values(field: Any, column: list[Any]) -> list[Any]:
    """``field.get_db_prep_save`` of each value of a column: skipped when every value is stored as
    it is, else computed once per distinct value (dates and times repeat across many rows)."""
    kind = field.get_internal_type()
    as_is = (type(None), *_STORED_AS_IS.get(kind, ()))
    if connection.vendor == "postgresql":
        as_is += _NATIVE_ON_POSTGRESQL.get(kind, ())
        if kind == "DateTimeField" and all(value is None or _aware(value) for value in column):
            return column
    if set(map(type, column)) <= set(as_is):
        return column
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            cache[value] = prepared = field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # not hashable
            return field.get_db_prep_save(value, connection)

    return [convert(value) for value in column]


def _aware(value: Any) -> bool:
    return type(value) is datetime and value.tzinfo is not None


@contextmanager
def foreign_keys_checked_at_end(model: type[Model]) -> Iterator[None]:
    """Load many rows into ``model``'s table with its foreign keys checked once, at the end.

    PostgreSQL checks a foreign key row by row (at commit, for Django's deferred ones): for a million
    new rows, seconds. Its manual advises, for loading data, to drop the foreign keys and add them
    again, which checks each in one pass (§ Populating a Database). Inside, the table's foreign keys
    are gone; on leaving they are added again exactly as they were, checked against every row. Call
    it in a transaction: the table is held exclusively until commit, and an error anywhere rolls
    the constraints back with the rows. On SQLite, which checks each row cheaply, it does nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_at_end() must run inside a transaction")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' ORDER BY conname",
            [table],
        )
        keys = [(quote(name), definition) for name, definition in cursor.fetchall()]
        if keys:
            # What the transaction wrote before is checked now: PostgreSQL alters no table (this
            # one, or those its keys point to) with checks still waiting.
            connection.check_constraints()
        for name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    yield
    with connection.cursor() as cursor:
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def delete_rows(model: type[Model], column: str, values: Sequence[Any]) -> int:
    """DELETE the rows whose ``column`` (a field name; ``pk`` for the key) is one of ``values``,
    with no collector: no signals, no cascade in Python. The caller deletes the children first
    (``delete_tree``). Returns the number of rows deleted."""
    if not values:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    field = meta.pk if column == "pk" else meta.get_field(column)
    name = quote(str(field.column))  # type: ignore[union-attr]
    deleted = 0
    with connection.cursor() as cursor:
        for batch in chunks(values, 500):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {quote(meta.db_table)} WHERE {name} IN ({marks})", list(batch))  # noqa: S608
            deleted += max(cursor.rowcount, 0)
    return deleted


def delete_tree(model: type[Model], ids: Sequence[Any]) -> dict[str, int]:
    """Delete the rows ``ids`` of ``model`` and every row below them that points at them by a
    cascading or protecting key (a plan under its conversation, a signature under its version),
    children first, in bulk SQL; a nullable key that is set to NULL on delete is cleared instead.
    Works from the models' own metadata, so a table added under a conversation tomorrow is deleted
    with it. Returns the rows deleted per table; call it inside a transaction."""
    from django.db.models import CASCADE, PROTECT, SET_NULL

    counts: dict[str, int] = {}
    if not ids:
        return counts
    relations = [
        f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and (f.one_to_many or f.one_to_one)
    ]
    for relation in relations:
        child = relation.related_model
        field = relation.field  # type: ignore[union-attr]
        if child is model or not isinstance(child, type):
            continue
        on_delete = getattr(field.remote_field, "on_delete", None)
        key = f"{field.name}__in"
        if on_delete in (CASCADE, PROTECT):
            for batch in chunks(ids, 500):
                child_ids = list(child._default_manager.filter(**{key: batch}).values_list("pk", flat=True))
                for table, count in delete_tree(child, child_ids).items():
                    counts[table] = counts.get(table, 0) + count
        elif on_delete is SET_NULL:
            for batch in chunks(ids, 500):
                child._default_manager.filter(**{key: batch}).update(**{field.name: None})
    counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + delete_rows(model, "pk", ids)
    return counts


def statistics_refresh(*models: type[Model]) -> None:
    """The database's statistics brought up to date after a bulk change (an import, a launch, the
    daily sweep), inside its transaction.

    SQLite keeps none unless asked (``ANALYZE``) and, without them, guesses every table alike:
    given an index in people's order it read the whole organisation in that order to find the few
    holders of a role (50 ms at 50,000 people; 1.4 ms with statistics). The sample is SQLite's own
    advice for ``PRAGMA optimize`` (``analysis_limit``), a few milliseconds whatever the size.
    Full statistics (1.3 s at 200,000 people) planned the whole organisation's drill-down better,
    but sent the start page's "shared with you" through every unit (a daily leader's column is
    mostly empty, which SQLite's statistics cannot tell): 17 -> 390 ms. SQLite reads every table.

    PostgreSQL's autovacuum keeps its statistics, a minute or so after a change is committed;
    ``models`` are the tables a bulk change grew, analysed at once. New statistics also make the
    plans that connections keep for their prepared statements (settings ``SAMTALE_DB_PREPARED``)
    be made again, so none planned for an empty table outlives the import that filled it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 400")
            cursor.execute("ANALYZE")
        elif models:
            names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
            cursor.execute(f"ANALYZE {names}")
