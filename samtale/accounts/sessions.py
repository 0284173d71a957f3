"""Sessions in the database, as Django keeps them, read on every request by one statement written
once per process (``lib.rows``) instead of a query the ORM compiles each time. Everything else —
saving, expiring, signing out everywhere — is Django's own (``SESSION_ENGINE``)."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from samtale.lib.rows import ModelRows


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        if not self.session_key:
            self._session_key = None
            return None
        sessions, sql = _session_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return sessions.instance(row)


@functools.cache
def _session_sql() -> tuple[ModelRows[Session], str]:
    sessions = ModelRows(Session)
    sql = (
        f"SELECT {sessions.columns('s')} FROM {sessions.table} s "  # noqa: S608 (names from the model's metadata)
        f"WHERE s.{sessions.column('session_key')} = %s AND s.{sessions.column('expire_date')} > %s"
    )
    return sessions, sql
