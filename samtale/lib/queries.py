"""Reading the rows of the queries every request runs: the one row a unique key selects, and
statements compiled once per process.

Django compiles a queryset's SQL again on every request. For a lookup of one conversation with
its round, concept, employee, unit and leaders (eight models), compiling took 0.66 ms, more than
PostgreSQL took to run the prepared statement. ``fetch`` keeps each statement as it was first
compiled, under the caller's name for it, and runs it again with the new values of its
parameters: it compiles only the query's WHERE (a few microseconds) to get them, and keeps a
statement only if every one of its parameters is in the WHERE, so the values cannot be in the
wrong place. A different WHERE (another filter, an IN of another length), another order, slice,
selection or join is another statement. Rows become instances through Django's own iterables, as
``list(queryset)`` would make them.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet, MultipleObjectsReturned
from django.db import connections
from django.db.models import Model, QuerySet, Subquery
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

# Statements kept, by the caller's name, the database and the shape of the query. A name keeps a
# few shapes at most (a page's subquery with its own LIMIT is one per page); past that, and past
# the whole, statements are compiled each time.
MOST_KEPT = 2000
MOST_PER_NAME = 16
_kept: dict[tuple[Any, ...], tuple[SQLCompiler, str]] = {}
_shapes_per_name: dict[str, int] = {}


def fetch[M: Model, R](queryset: QuerySet[M, R], key: str) -> list[R]:
    """``list(queryset)``, its SQL compiled once per process for ``key`` and the query's shape.

    ``key`` names the statement where it is written ("access.conversation"); a call with another
    shape under the same name is another statement, never a wrong one. The queryset is run as a
    private copy, so one shared by threads is never given another's statement. With the setting
    ``SAMTALE_QUERIES_CHECKED`` (the test suite), each kept statement is compiled again and must
    be the one kept."""
    return _fetch(queryset.all(), key)


def _fetch[M: Model, R](queryset: QuerySet[M, R], key: str) -> list[R]:
    """``fetch`` of a queryset of the caller's own making, nobody else's (no copy made)."""
    query = queryset.query
    if not _may_keep(query):
        return list(queryset)
    compiler = query.get_compiler(queryset.db)
    try:
        where, params = compiler.compile(query.where)
    except FullResultSet:
        where, params = "", ()
    except EmptyResultSet:
        return list(queryset)
    shape = _shape(queryset, key, where)
    kept = _kept.get(shape)
    if kept is None:
        sql, every = compiler.as_sql()
        if not _placeholders_only_in(sql, where) or tuple(every) != tuple(params) or not _room_for(key):
            return list(queryset)  # a parameter outside the WHERE: compiled each time
        kept = _kept[shape] = (_without_values(compiler), sql)
    elif getattr(settings, "SAMTALE_QUERIES_CHECKED", False):
        fresh = queryset.all().query
        again_sql, again_params = fresh.get_compiler(queryset.db).as_sql()
        assert (again_sql, tuple(again_params)) == (kept[1], tuple(params)), f"{key}: not the statement kept"
    template, sql = kept
    again = copy.copy(template)
    again.query = query
    again.connection = connections[queryset.db]  # this thread's
    again.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
    query.get_compiler = lambda *args, **kwargs: again  # type: ignore[method-assign]
    return list(queryset)


def _may_keep(query: Any) -> bool:
    """Not a union (its parts are queries of their own), not a locking read (Django refuses one
    outside a transaction while compiling it), no filtered relation (its condition is in a
    join), no subquery among the annotations (a subquery's queryset is new on every call, so its
    shape would be)."""
    if query.combinator or query.select_for_update or getattr(query, "_filtered_relations", None):
        return False
    parts = (part for value in query.annotations.values() for part in value.flatten())
    return not any(isinstance(part, Subquery | Query) for part in parts)


def _room_for(key: str) -> bool:
    if len(_kept) >= MOST_KEPT or _shapes_per_name.get(key, 0) >= MOST_PER_NAME:
        return False
    _shapes_per_name[key] = _shapes_per_name.get(key, 0) + 1
    return True


def _without_values(compiler: SQLCompiler) -> SQLCompiler:
    """The compiler as kept: what reading the rows needs (the selection, the models, the
    converters), not the first call's query, its values (people's keys, names) or its thread's
    connection."""
    kept = copy.copy(compiler)
    kept.query = kept.connection = kept.where = kept.having = kept.qualify = None  # type: ignore[assignment, attr-defined]
    return kept


def _placeholders_only_in(sql: str, where: str) -> bool:
    """Whether every placeholder of ``sql`` is in its WHERE, as that was compiled on its own: then
    the WHERE's parameters are the statement's, in order, whatever their values. (A condition
    on a sum goes to HAVING, and the WHERE is not found whole.)"""
    before, found, after = sql.partition(where) if where else (sql, "", "")
    if where and not found:
        return False
    return "%s" not in before.replace("%%", "") and "%s" not in after.replace("%%", "")


def _shape(queryset: QuerySet[Any], key: str, where: str) -> tuple[Any, ...]:
    """Everything besides the WHERE that the SQL is compiled from (what ``_may_keep`` refuses,
    unions, locking and filtered relations, never gets here)."""
    query = queryset.query
    refcount = query.alias_refcount
    return (
        key,
        queryset.db,
        query.model,
        where,
        # Each join whole: which relation it follows from which alias, how, and whether it is used.
        tuple(
            (alias, join, getattr(join, "join_type", None), getattr(join, "nullable", None), refcount.get(alias, 0) > 0)
            for alias, join in query.alias_map.items()
        ),
        repr(query.select_related),
        query.select,
        query.values_select,
        tuple(query.annotations.items()),  # an annotation's expression, not only its name
        tuple(query.annotation_select),
        repr(query.extra),
        repr(getattr(query, "selected", None)),
        frozenset(query.deferred_loading[0]),
        query.deferred_loading[1],
        query.order_by,
        query.extra_order_by,
        query.default_ordering,
        query.standard_ordering,
        query.distinct,
        query.distinct_fields,
        query.low_mark,
        query.high_mark,
        query.group_by,
        query.extra_tables,
        queryset._iterable_class,
    )


def one_or_none[M: Model](queryset: QuerySet[M], key: str | None = None) -> M | None:
    """The row a unique key (a uuid, a primary key, a one-to-one relation) selects, or None; with
    ``key``, its statement compiled once per process (``fetch``).

    ``first()`` would order the query by its primary key, and ordering makes Django's compiler
    hash every selected column to find it among them: with a few joined models that was a quarter
    of a conversation page's time. The row is read without an order, as ``get()`` reads it; more
    than one row means the key was not unique, which is an error, not a choice."""
    limited = queryset.order_by()[:2]
    found = _fetch(limited, key) if key else list(limited)  # ``limited`` is a copy already
    if len(found) > 1:
        raise MultipleObjectsReturned(f"{queryset.model._meta.object_name}: more than one row")
    return found[0] if found else None
