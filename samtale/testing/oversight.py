"""A small organisation with a conversation in every state, for the oversight tests.

In Løn (build_org): the employee's conversation is held, the plan signed by both and the
follow-up held; the colleague's is scheduled; the union representative's was not held; the daily
leader's is still to be scheduled; the leader's own conversation (with the head, in Løn too) is
held with a plan handed in but not signed. Every piece of content carries ``SECRET``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from samtale.completion.counters import completion_rebuild
from samtale.conversations.models import Conversation, ConversationStatus, Minutes, NotHeldReason
from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus, PlanVersion
from samtale.plans.services import signing
from samtale.rounds.models import Round
from samtale.testing import Mus, Org
from samtale.testing.signing import as_, complete_content, make_plan, reload, sign_as

SECRET = "HEMMELIG-INDHOLD-7731"  # noqa: S105 (text the tests look for, not a password)


def plant_states(org: Org, mus: Mus) -> None:
    content = complete_content()
    content["focus_areas"][0]["text"] = f"{SECRET} focus area"
    plan = make_plan(mus, content=content)
    signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
    sign_as(org, plan, "leader")
    sign_as(org, plan, "employee")
    plan = reload(plan)
    Minutes.objects.update_or_create(conversation=mus.conversation, defaults={"notes": {"open": f"{SECRET} minutes"}})
    today = timezone.localdate()
    FollowUp.objects.create(
        plan=plan, status=FollowUpStatus.HELD, held_on=today, reached=f"{SECRET} reached", carries_over=SECRET
    )

    now = timezone.now()
    Conversation.objects.filter(round=mus.round, employee=org.colleague).update(
        status=ConversationStatus.SCHEDULED, starts_at=now + timedelta(days=3), invitation_sent_at=now
    )
    Conversation.objects.filter(round=mus.round, employee=org.union_rep).update(
        status=ConversationStatus.NOT_HELD, not_held_reason=NotHeldReason.OTHER, not_held_note=SECRET
    )
    leaders = Conversation.objects.get(round=mus.round, employee=org.leader)
    Conversation.objects.filter(pk=leaders.pk).update(
        status=ConversationStatus.HELD, held_on=today - timedelta(days=30), invitation_sent_at=now
    )
    handed_in = Plan.objects.create(
        conversation=leaders,
        employee=org.leader,
        status=PlanStatus.SUBMITTED,
        due_on=today - timedelta(days=5),
        submitted_at=now,
        follow_up_by=today - timedelta(days=1),
    )
    # A plan always has its version (as ``writing.plan_open`` makes it).
    PlanVersion.objects.create(plan=handed_in, number=1, status=PlanStatus.SUBMITTED, content=complete_content())
    # The states above are written straight to the tables, as a bulk writer would: recount.
    completion_rebuild(rounds=[mus.round])


def deadline_passed(round_: Round) -> None:
    """The round's deadline for holding the conversations was yesterday."""
    today = timezone.localdate()
    Round.objects.filter(pk=round_.pk).update(opens_on=today - timedelta(days=60), held_by=today - timedelta(days=1))
    round_.refresh_from_db()
