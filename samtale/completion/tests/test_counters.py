"""The completion counters stay equal to the conversations they count: after every service that
moves a conversation, a plan, a follow-up or a person, the stored rows are exactly what a recount
from scratch gives."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.completion.counters import completion_rebuild
from samtale.completion.models import COUNTED, CompletionDay, DayKind, UnitCompletion
from samtale.conversations.models import Conversation, NotHeldReason
from samtale.conversations.services import meeting
from samtale.conversations.services.scheduling import conversation_cancel, conversation_schedule
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.org.models import Person
from samtale.org.services import person_change_placement
from samtale.oversight.selectors.overview import completion_overview
from samtale.oversight.selectors.scope import Scope
from samtale.oversight.selectors.timeline import round_timeline
from samtale.plans.models import Plan
from samtale.plans.services import signing
from samtale.plans.services.follow_up import follow_up_mark_held
from samtale.rounds.models import Round
from samtale.testing import Mus, Org
from samtale.testing.import_files import org_file, org_records, record
from samtale.testing.signing import as_, complete_content, reload, sign_as

WHOLE = Scope(whole_organisation=True)


def stored(mus: Mus) -> dict[int, tuple]:
    """Per unit: its counts, then its dated counts as {kind: {day: count}}."""
    days: dict[int, dict[str, dict[str, int]]] = {}
    for unit, kind, day, count in CompletionDay.objects.filter(round=mus.round).values_list(
        "unit_id", "kind", "day", "count"
    ):
        days.setdefault(unit, {}).setdefault(kind, {})[day.isoformat()] = count
    return {
        row[0]: (*row[1:], days.get(row[0], {}))
        for row in UnitCompletion.objects.filter(round=mus.round).values_list("unit_id", *COUNTED)
    }


def recounted(mus: Mus) -> dict[int, tuple]:
    before = stored(mus)
    completion_rebuild(rounds=[mus.round])
    after = stored(mus)
    # Put back what the services wrote, so the next step is checked against their rows again.
    assert after == before, f"the services left {before}, a recount gives {after}"
    return after


def at(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


def payroll(mus: Mus, org: Org) -> tuple:
    return stored(mus)[org.payroll.pk]


def test_the_launch_counts_every_participant(org: Org, mus: Mus) -> None:
    rows = recounted(mus)
    assert sum(row[0] for row in rows.values()) == Conversation.objects.filter(round=mus.round).count()
    assert payroll(mus, org)[:3] == (
        Conversation.objects.filter(round=mus.round, employee__unit=org.payroll).count(),
        0,
        0,
    )


def test_every_service_keeps_the_counters_equal_to_a_recount(org: Org, mus: Mus) -> None:
    leader, employee = as_(org, "leader"), as_(org, "employee")
    Round.objects.filter(pk=mus.round.pk).update(opens_on=timezone.localdate() - timedelta(days=10))
    conversation_schedule(viewer=leader, conversation=mus.conversation, when=TimeAndPlace(at(3), 60, location="A"))
    recounted(mus)
    conversation_schedule(
        viewer=leader, conversation=mus.colleague_conversation, when=TimeAndPlace(at(4), 60, location="B")
    )
    conversation_cancel(viewer=leader, conversation=Conversation.objects.get(pk=mus.colleague_conversation.pk))
    recounted(mus)
    _participants, invited, scheduled = payroll(mus, org)[:3]
    assert (invited, scheduled) == (2, 1)  # the colleague was invited, then the time was taken off

    held_on = timezone.localdate() - timedelta(days=1)
    Conversation.objects.filter(pk=mus.conversation.pk).update(starts_at=at(-1))
    meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=held_on)
    recounted(mus)
    assert payroll(mus, org)[3] == 1
    assert payroll(mus, org)[-1]["held"] == {held_on.isoformat(): 1}
    assert list(payroll(mus, org)[-1]["plan_due"]) == [(held_on + timedelta(days=14)).isoformat()]

    union_rep = Conversation.objects.get(round=mus.round, employee=org.union_rep)
    meeting.conversation_mark_not_held(viewer=leader, conversation=union_rep, reason=NotHeldReason.LONG_LEAVE)
    recounted(mus)
    meeting.conversation_outcome_clear(viewer=leader, conversation=union_rep)
    recounted(mus)

    plan = Plan.objects.get(conversation=mus.conversation)
    version = plan.versions.get(number=1)
    version.content = complete_content()
    version.follow_up_on = held_on + timedelta(days=150)
    version.save(update_fields=["content", "follow_up_on"])
    signing.plan_submit(viewer=employee, plan=reload(plan))
    recounted(mus)
    sign_as(org, plan, "leader")
    sign_as(org, plan, "employee")
    rows = recounted(mus)
    counts = dict(zip(COUNTED, rows[org.payroll.pk][: len(COUNTED)], strict=True))
    assert (counts["plan_submitted"], counts["plan_signed"]) == (1, 1)
    assert "plan_due" not in rows[org.payroll.pk][-1]  # signed: no longer due
    assert list(rows[org.payroll.pk][-1]["follow_up_due"]) == [(held_on + timedelta(days=150)).isoformat()]

    follow_up_mark_held(viewer=leader, plan=reload(plan), held_on=timezone.localdate(), reached="nået", carries_over="")
    rows = recounted(mus)
    assert rows[org.payroll.pk][len(COUNTED) - 1] == 1
    assert "follow_up_due" not in rows[org.payroll.pk][-1]


def test_a_person_moved_by_hand_is_counted_in_the_new_unit(org: Org, mus: Mus) -> None:
    colleague = Person.objects.get(pk=org.colleague.pk)
    before = payroll(mus, org)[0]
    person_change_placement(
        viewer=viewer_for(org.user("hr")),
        person=colleague,
        unit=org.accounting,
        personnel_leader=colleague.personnel_leader,
        daily_leader=colleague.daily_leader,
    )
    rows = recounted(mus)
    assert rows[org.payroll.pk][0] == before - 1
    assert rows[org.accounting.pk][0] >= 1


def test_a_person_moved_by_the_import_is_counted_in_the_new_unit(org: Org, mus: Mus) -> None:
    from samtale.org.importing.apply import organisation_import

    records = org_records()
    record(records, org.colleague.employee_number).update(unit_code="REG", unit_name="Regnskab")
    before = payroll(mus, org)[0]
    organisation_import(content=org_file(records), file_name="organisation.csv", actor=None)
    rows = recounted(mus)
    assert rows[org.payroll.pk][0] == before - 1
    assert rows[org.accounting.pk][0] >= 1


def test_the_overview_and_the_timeline_read_the_counters(org: Org, mus: Mus) -> None:
    """A row changed behind the services' back shows (and the recount command puts it right)."""
    UnitCompletion.objects.filter(round=mus.round, unit=org.payroll).update(held=99)
    CompletionDay.objects.create(round=mus.round, unit=org.payroll, kind=DayKind.HELD, day=mus.round.opens_on, count=99)
    assert completion_overview(round_=mus.round, scope=WHOLE).total.held == 99
    assert round_timeline(round_=mus.round, scope=WHOLE).points[-1].held == 99

    call_command("completion_rebuild", stdout=StringIO())

    assert completion_overview(round_=mus.round, scope=WHOLE).total.held == 0
    assert round_timeline(round_=mus.round, scope=WHOLE).points[-1].held == 0


def test_a_round_without_counters_yet_shows_nothing_rather_than_failing(org: Org, mus: Mus) -> None:
    UnitCompletion.objects.filter(round=mus.round).delete()
    overview = completion_overview(round_=mus.round, scope=WHOLE)
    assert overview.total.participants == 0
