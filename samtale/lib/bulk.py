"""Bulk SQL where Django's ORM is slow at scale.

``QuerySet.bulk_update`` builds one CASE expression per field and batch, which costs seconds
for tens of thousands of rows; a prepared UPDATE run with ``executemany`` does the same work
in a fraction of that on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def update_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Set ``fields`` for each row given as ``(pk, value, …)``. Field names are model field names
    (``leader`` for a foreign key); values are what the database stores (ids for foreign keys)."""
    rows = list(rows)
    if not rows:
        return 0
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [str(meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    # Only quoted names from the model's own metadata go into the SQL; every value is a parameter.
    pk_column = str(meta.pk.column)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])
    return len(rows)
