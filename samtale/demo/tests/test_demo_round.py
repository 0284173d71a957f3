"""The demo round (MUS-2027 in the winter 2026/27) that `make run` loads: launched over the demo
organisation with the management's goals and the persona leader's focus areas, about half held,
and the persona leader's team at every stage, so each persona's start page, the overview and its
charts have something to show, and the employee persona can walk it from the invitation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    ImprovementNotice,
    Minutes,
    OpenItem,
    UnionRepStatus,
)
from samtale.demo.organisation import PERSONAS, seed_demo
from samtale.demo.round import FOCUS_AREAS, GOALS, demo_round_name, demo_round_seed
from samtale.org.models import Person
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus, PlanVersion, Progress
from samtale.rounds.models import Round, RoundStatus, UnitRound
from samtale.rounds.selectors.rounds import round_candidates

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_ready_to_walk(settings) -> None:  # type: ignore[no-untyped-def]
    # As under `make run`: the worker is not running while the demo is seeded.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    seed_demo(employees=80)
    round_ = demo_round_seed()
    assert (
        round_ is not None
        and round_.name == demo_round_name(timezone.localdate())
        and round_.status == RoundStatus.LAUNCHED
    )
    assert [goal.text for goal in round_.goals.order_by("order")] == list(GOALS)
    assert round_.conversations.count() == sum(1 for c in round_candidates(round_=round_) if c.takes_part)

    employee = Conversation.objects.select_related("employee__personnel_leader").get(
        round=round_, employee__email=PERSONAS["employee"].email
    )
    assert employee.status == ConversationStatus.INVITED  # the walk starts here
    leader = employee.employee.personnel_leader
    assert leader is not None and leader.email == PERSONAS["leader"].email
    unit_round = UnitRound.objects.get(round=round_, unit=leader.unit)
    assert unit_round.opened_at is not None
    assert [area.text for area in unit_round.focus_areas.order_by("order")] == list(FOCUS_AREAS)
    team = Conversation.objects.filter(round=round_, employee__personnel_leader=leader)
    assert team.filter(status=ConversationStatus.SCHEDULED).count() == 2
    assert team.filter(status=ConversationStatus.INVITED).count() >= 1

    # About half of the organisation's conversations are held; plans at every stage.
    conversations = Conversation.objects.filter(round=round_)
    held = conversations.filter(status=ConversationStatus.HELD).count()
    assert 0.35 < held / conversations.count() < 0.65
    assert {"draft", "submitted", "signed"} <= set(Plan.objects.values_list("status", flat=True))
    # Every signed plan carries both signatures of its content, as the services leave it.
    for version in PlanVersion.objects.filter(status="signed"):
        assert version.content_hash and {s.content_hash for s in version.signatures.all()} == {version.content_hash}

    # The seeding's e-mails are not sent to the console: cancelled, and marked as demo data.
    assert not OutboxMessage.objects.exclude(status=MessageStatus.CANCELLED).exists()
    assert OutboxMessage.objects.filter(last_error="Demo data: not sent.").count() > 80


def test_seeding_twice_changes_nothing() -> None:
    out = StringIO()
    call_command("seed_demo", "--employees", "80", "--quiet", stdout=out)
    assert f"Demo round {demo_round_name(timezone.localdate())} launched" in out.getvalue()
    counts = (Round.objects.count(), Conversation.objects.count(), OutboxMessage.objects.count())
    again = StringIO()
    call_command("seed_demo", "--employees", "80", "--quiet", stdout=again)
    assert "launched" not in again.getvalue()
    assert (Round.objects.count(), Conversation.objects.count(), OutboxMessage.objects.count()) == counts


def test_the_round_can_be_left_out() -> None:
    call_command("seed_demo", "--employees", "80", "--quiet", "--no-round", stdout=StringIO())
    assert not Round.objects.exists()


def test_the_demo_has_a_signed_plan_to_follow_up(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    seed_demo(employees=80)
    round_ = demo_round_seed()
    assert round_ is not None
    plan = Plan.objects.get(conversation__round=round_, employee__email=PERSONAS["union_rep"].email)
    assert plan.status == PlanStatus.SIGNED and plan.signed_at is not None and plan.follow_up_by is not None
    first, amended = plan.versions.order_by("number")
    assert amended.amends_id == first.pk and amended.amendment_reason
    assert first.signatures.count() == amended.signatures.count() == 2 and amended.content_hash
    assert plan.conversation.status == ConversationStatus.HELD
    assert Progress.objects.filter(plan=plan).exists()


def test_the_persona_leaders_team_shows_each_stage(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    seed_demo()  # the size `make run` loads: the persona leader's team has someone for each story
    round_ = demo_round_seed()
    assert round_ is not None
    team = Conversation.objects.filter(round=round_, employee__personnel_leader__email=PERSONAS["leader"].email)
    assert FollowUp.objects.filter(plan__conversation__in=team, status=FollowUpStatus.HELD).exists()
    assert Plan.objects.filter(conversation__in=team, status=PlanStatus.SUBMITTED).exists()
    assert OpenItem.objects.filter(conversation__in=team, answered_at__isnull=True).exists()
    assert Minutes.objects.filter(conversation__in=team).exists()
    assert ImprovementNotice.objects.filter(conversation__in=team).exists()
    assert team.filter(status=ConversationStatus.NOT_HELD).exists()
    summoned = team.get(union_rep_status=UnionRepStatus.SUMMONED)
    assert summoned.union_rep is not None and summoned.union_rep.email == PERSONAS["union_rep"].email
    assert Person.objects.filter(daily_leader__isnull=False).exists()
