"""The minutes (referat): both edit, invited attendees read, and two saves at once lose nothing
silently (docs/trust.md § No lost update). Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations.models import DailyLeaderStatus, Minutes, UnionRepStatus
from samtale.conversations.services import meeting
from samtale.testing import Mus, Org, build_org, build_round


def _url(mus: Mus) -> str:
    return reverse("conversations:guide", args=[mus.conversation.uuid])


def _post(org: Org, mus: Mus, persona: str, notes: dict[str, str], version: int, bases: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"version": version, "shown": "all"}
    for key in ("goals", "feedback", "future", "development_goals", "activities", "summary"):
        data[f"notes_{key}"] = notes.get(key, "")
        data[f"base_{key}"] = (bases or {}).get(key, "")
    return org.client(persona).post(_url(mus), data)


def _invite_attendees(org: Org, mus: Mus) -> None:
    conversation = mus.conversation
    conversation.daily_leader = org.daily_leader
    conversation.daily_leader_status = DailyLeaderStatus.AGREED
    conversation.union_rep = org.union_rep
    conversation.union_rep_status = UnionRepStatus.SUMMONED
    conversation.save(update_fields=["daily_leader", "daily_leader_status", "union_rep", "union_rep_status"])


def test_both_write_the_notes_and_each_save_moves_the_version_on(org: Org, mus: Mus) -> None:
    response = _post(org, mus, "employee", {"goals": "At blive klogere"}, 0)
    assert response.status_code == 302
    assert response["Location"].endswith("?phase=all")
    minutes = Minutes.objects.get(conversation=mus.conversation)
    assert (minutes.notes, minutes.version, minutes.updated_by_id) == (
        {"goals": "At blive klogere"},
        1,
        org.employee.pk,
    )
    response = _post(org, mus, "leader", {"goals": "At blive klogere", "feedback": "Godt"}, 1, minutes.notes)
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.notes == {"goals": "At blive klogere", "feedback": "Godt"}
    assert minutes.version == 2
    assert AuditEvent.objects.filter(action="conversations.minutes_saved").count() == 2


def test_a_stale_save_is_refused_and_nothing_changes(org: Org, mus: Mus) -> None:
    employee, leader = viewer_for(org.user("employee")), viewer_for(org.user("leader"))
    meeting.minutes_save(viewer=employee, conversation=mus.conversation, notes={"goals": "A"}, version=0)
    with pytest.raises(meeting.MinutesConflict) as conflict:
        meeting.minutes_save(viewer=leader, conversation=mus.conversation, notes={"goals": "B"}, version=0)
    assert conflict.value.stored.notes == {"goals": "A"}
    assert conflict.value.stored.version == 1
    minutes = Minutes.objects.get(conversation=mus.conversation)
    assert (minutes.notes, minutes.version) == ({"goals": "A"}, 1)


def test_the_later_save_is_told_and_shown_both_texts_to_merge(org: Org, mus: Mus) -> None:
    org.leader.user.language = "en"
    org.leader.user.save(update_fields=["language"])
    # Both open the guide at version 0; the employee saves first.
    assert _post(org, mus, "employee", {"goals": "Medarbejderens mål", "future": "Nye opgaver"}, 0).status_code == 302
    response = _post(org, mus, "leader", {"goals": "Lederens mål", "feedback": "Ros"}, 0)
    assert response.status_code == 409
    text = response.content.decode()
    assert 'role="alert"' in text
    assert "Your notes are not saved yet" in text
    # Phase 1: both texts, the leader's in the box and the employee's shown beside it.
    assert "Medarbejderens mål" in text and "Lederens mål" in text
    phases = {p.phase.key: p for p in response.context["phases"]}
    assert phases["goals"].conflict == "Medarbejderens mål"
    assert phases["goals"].field.value() == "Lederens mål"
    # A phase only the leader wrote: their text stays in the box, beside the (empty) stored text.
    assert phases["feedback"].conflict == ""
    assert phases["feedback"].field.value() == "Ros"
    # A phase the leader did not touch takes the employee's newer text: nothing is put back.
    assert phases["future"].conflict is None
    assert phases["future"].field.value() == "Nye opgaver"
    form = response.context["form"]
    assert form["version"].value() == 1
    # Nothing was saved by the refused attempt.
    minutes = Minutes.objects.get(conversation=mus.conversation)
    assert minutes.notes == {"goals": "Medarbejderens mål", "future": "Nye opgaver"}
    # The leader merges and saves again from the new version.
    merged = {"goals": "Medarbejderens mål. Lederens mål", "feedback": "Ros", "future": "Nye opgaver"}
    bases = {"goals": "Medarbejderens mål", "future": "Nye opgaver"}
    assert _post(org, mus, "leader", merged, 1, bases).status_code == 302
    minutes.refresh_from_db()
    assert minutes.notes == merged
    assert minutes.version == 2


def test_two_saves_from_the_same_version_at_the_same_time_one_wins_the_other_is_told(
    transactional_db: None,
) -> None:
    """Two threads, two database connections, one barrier: both send the conditional UPDATE
    for version 0; exactly one matches."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite refuses a second writer instead of queueing it; with a
        # database file (SAMTALE_TEST_DB_NAME) or PostgreSQL the test runs.
        pytest.skip("two connections writing at once need a database file or a server")
    org = build_org()
    mus = build_round(org)
    Minutes.objects.create(conversation=mus.conversation)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(persona: str) -> None:
        viewer = viewer_for(org.user(persona))
        barrier.wait()
        try:
            meeting.minutes_save(viewer=viewer, conversation=mus.conversation, notes={"goals": persona}, version=0)
            outcomes[persona] = "saved"
        except meeting.MinutesConflict:
            outcomes[persona] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(persona,)) for persona in ("employee", "leader")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(persona for persona, outcome in outcomes.items() if outcome == "saved")
    minutes = Minutes.objects.get(conversation=mus.conversation)
    assert (minutes.notes, minutes.version) == ({"goals": winner}, 1)


def test_too_long_notes_are_refused_with_a_message(org: Org, mus: Mus) -> None:
    response = _post(org, mus, "employee", {"goals": "x" * 5001}, 0)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Minutes.objects.filter(conversation=mus.conversation, version__gt=0).exists()


def test_a_tampered_version_is_refused(org: Org, mus: Mus) -> None:
    response = org.client("employee").post(_url(mus), {"version": "abc", "notes_goals": "x"})
    assert response.status_code == 400
    assert not Minutes.objects.filter(conversation=mus.conversation, version__gt=0).exists()


def test_invited_attendees_read_the_notes_and_cannot_change_them(org: Org, mus: Mus) -> None:
    meeting.minutes_save(
        viewer=viewer_for(org.user("employee")), conversation=mus.conversation, notes={"goals": "Fælles mål"}, version=0
    )
    for persona in ("daily_leader", "union_rep"):
        assert org.client(persona).get(_url(mus)).status_code == 404, persona
    _invite_attendees(org, mus)
    for persona in ("daily_leader", "union_rep"):
        page = org.client(persona).get(_url(mus))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Fælles mål" in text
        assert "<textarea" not in text
        assert _post(org, mus, persona, {"goals": "Ændret"}, 1).status_code == 403
        with pytest.raises(PermissionDenied):
            meeting.minutes_save(
                viewer=viewer_for(org.user(persona)), conversation=mus.conversation, notes={}, version=1
            )
    assert Minutes.objects.get(conversation=mus.conversation).notes == {"goals": "Fælles mål"}
    assert AuditEvent.objects.filter(action="conversations.minutes_read").count() == 2


@pytest.mark.parametrize("persona", ["former_leader", "head", "director", "hr", "regional_hr", "colleague", "outsider"])
def test_nobody_else_reads_or_writes_the_minutes(org: Org, mus: Mus, persona: str) -> None:
    _invite_attendees(org, mus)
    assert org.client(persona).get(_url(mus)).status_code == 404
    assert _post(org, mus, persona, {"goals": "x"}, 0).status_code == 404
    assert not Minutes.objects.filter(conversation=mus.conversation).exists()


def test_the_minutes_stay_editable_after_the_conversation_is_held(org: Org, mus: Mus) -> None:
    from django.utils import timezone

    meeting.conversation_mark_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
    )
    assert _post(org, mus, "employee", {"summary": "Skrevet færdigt bagefter"}, 0).status_code == 302
