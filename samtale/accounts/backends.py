from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from samtale.accounts.models import User
from samtale.lib.rows import ModelRows


class EmploymentBackend(ModelBackend):
    """Sign-in by e-mail and password, for active accounts whose person is still employed.

    The same check runs on every request (``get_user``), so a session ends when the import
    ends the employment."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        person = getattr(user, "person", None) if user is not None else None
        return person is None or person.end_date is None or person.end_date >= timezone.localdate()

    def get_user(self, user_id: Any) -> User | None:
        """The account with its person (``select_related("person")``), on every request: one
        statement written once per process (``lib.rows``)."""
        try:
            user_id = User._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None
        users, people, sql = _user_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = users.instance(row)
        assert user is not None
        person = people.instance(row, users.width)
        relation = User._meta.get_field("person")
        relation.set_cached_value(user, person)  # type: ignore[union-attr]
        if person is not None:
            relation.remote_field.set_cached_value(person, user)  # type: ignore[union-attr]
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_sql() -> tuple[ModelRows[User], ModelRows[Any], str]:
    """The account and its person (the org's, reached through the relation: the person is above
    this layer) in one statement."""
    users = ModelRows(User)
    people = ModelRows(User._meta.get_field("person").related_model)  # type: ignore[arg-type]
    sql = (
        f"SELECT {users.columns('a')}, {people.columns('p')} FROM {users.table} a "  # noqa: S608 (names from the models' metadata)
        f"LEFT JOIN {people.table} p ON p.{people.column('user')} = a.{users.column('id')} "
        f"WHERE a.{users.column('id')} = %s"
    )
    return users, people, sql
