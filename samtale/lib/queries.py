"""Reading the one row a unique key selects."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet


def one_or_none[M: Model](queryset: QuerySet[M]) -> M | None:
    """The row a unique key (a uuid, a primary key, a one-to-one relation) selects, or None.

    ``first()`` would order the query by its primary key, and ordering makes Django's compiler
    hash every selected column to find it among them: with a few joined models that was a quarter
    of a conversation page's time. ``get()`` reads the row without an order; more than one row
    means the key was not unique, which is an error, not a choice."""
    try:
        return queryset.get()
    except ObjectDoesNotExist:
        return None
