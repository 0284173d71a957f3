"""Case-insensitive search that knows Danish letters.

SQLite's LIKE and lower() fold only ASCII, so "ærø" would not find "Ærø". ``Casefold`` uses
Python's ``str.casefold`` on SQLite (registered on each new connection) and ``LOWER`` on
PostgreSQL, whose lower() is Unicode-aware."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField


class Casefold(Func):
    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="samtale_casefold", **extra)


def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "samtale_casefold", 1, lambda value: None if value is None else value.casefold(), deterministic=True
        )


connection_created.connect(_register, dispatch_uid="samtale_casefold")
