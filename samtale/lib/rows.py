"""A model's rows read by SQL written once, made into instances as the ORM makes them.

The ORM compiles a query again on every request, and for the few statements every request runs
(the signed-in user, who is looking) compiling cost more than running them. Those statements are
written once per process from the models' own metadata, and their rows become instances here:
each value through the database's and the field's converters (on SQLite a date is read as text),
then ``Model.from_db``, so an instance is the one a queryset would have given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


class ModelRows[M: Model]:
    """Every concrete column of ``model``, in order: to SELECT, and to make instances of."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = tuple(f.attname for f in self.fields)
        self.width = len(self.fields)
        self.converters: list[tuple[int, tuple[Any, ...], Any]] = []
        for index, f in enumerate(self.fields):
            expression = f.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            if functions:
                self.converters.append((index, tuple(functions), expression))

    def columns(self, alias: str) -> str:
        """``alias.column, …`` for a SELECT list."""
        quote = connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(str(f.column))}" for f in self.fields)

    def instance(self, row: Sequence[Any], start: int = 0) -> M | None:
        """The instance in ``row`` from ``start`` (None when its key is NULL: a LEFT JOIN found none)."""
        values = list(row[start : start + self.width])
        if values[0] is None and self.fields[0].primary_key:
            return None
        for index, functions, expression in self.converters:
            value = values[index]
            for function in functions:
                value = function(value, expression, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.names, values)

    def column(self, name: str) -> str:
        """A field's quoted column."""
        return connection.ops.quote_name(str(self.model._meta.get_field(name).column))  # type: ignore[union-attr]

    @property
    def table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)
