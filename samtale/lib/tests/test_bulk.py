"""``lib.bulk``'s loading with the foreign keys checked once: on PostgreSQL the table's keys are gone
inside and come back exactly as they were, and a row pointing nowhere is still refused; on SQLite
nothing changes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from samtale.competences.models import Registration
from samtale.conversations.models import Conversation
from samtale.lib.bulk import foreign_keys_checked_at_end, insert_rows
from samtale.testing import Org, build_round
from samtale.testing.learning import make_catalogue

pytestmark = pytest.mark.django_db


def _keys() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'competences_registration'::regclass AND contype = 'f' ORDER BY conname"
        )
        return cursor.fetchall()


def _row(person_id: int, competence_id: int) -> dict:
    return {"person_id": person_id, "competence_id": competence_id, "employee_level": 3, "level": 3}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's foreign keys")
def test_the_keys_come_back_as_they_were_and_still_hold(org: Org) -> None:
    catalogue = make_catalogue()
    before = _keys()
    assert len(before) == 3 and all("DEFERRABLE INITIALLY DEFERRED" in definition for _name, definition in before)

    with transaction.atomic():
        with foreign_keys_checked_at_end(Registration):
            assert _keys() == []
            insert_rows(Registration, [_row(org.employee.pk, catalogue.payroll_law.pk)])
        assert _keys() == before
    assert Registration.objects.filter(person=org.employee).count() == 1

    with pytest.raises(IntegrityError), transaction.atomic(), foreign_keys_checked_at_end(Registration):
        insert_rows(Registration, [_row(org.employee.pk + 10_000, catalogue.cooperation.pk)])
    assert _keys() == before
    assert Registration.objects.count() == 1


def test_outside_postgresql_it_changes_nothing(org: Org) -> None:
    catalogue = make_catalogue()
    with transaction.atomic(), foreign_keys_checked_at_end(Registration):
        insert_rows(Registration, [_row(org.employee.pk, catalogue.payroll_law.pk)])
    assert Registration.objects.get().person == org.employee


def test_a_launch_leaves_the_database_statistics_to_plan_by(org: Org) -> None:
    """SQLite keeps statistics only when asked: the launch (like the import and the daily sweep)
    asks, so the planner knows a role table of a few rows from an organisation of thousands.
    PostgreSQL analyses the conversations at once, not when autovacuum sees the commit, so that
    no statement prepared on a connection keeps a plan made for the table before the launch."""
    build_round(org, name="MUS-launched-here")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            tables = {name for (name,) in cursor.fetchall()}
        assert {"conversations_conversation", "org_person", "org_role"} <= tables
        return
    # The test's rows are not committed: only an ANALYZE in its own transaction counts them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'conversations_conversation'")
        (estimated,) = cursor.fetchone()
    assert estimated == Conversation.objects.count() > 0
