"""Progress for a launched round, written in bulk so benchmarks can start from a round that is
under way (or finished): conversations scheduled and held, plans written, handed in and signed,
follow-ups called and held. Deterministic for a given seed.

The rows are made as the services would leave them in their state columns (the status, the
dates, the plan's clock); the texts are short and synthetic. This is for measuring, never for the
demo a person walks through.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from samtale.conversations.models import Conversation


@dataclass(frozen=True)
class Shares:
    """How far the round has come, as shares of its conversations."""

    scheduled: float = 0.8  # has a time (held ones included)
    held: float = 0.6
    not_held: float = 0.03
    submitted: float = 0.8  # of the plans
    signed: float = 0.7  # of the plans
    follow_up_held: float = 0.0  # of the signed plans


IN_PROGRESS = Shares()
FINISHED = Shares(scheduled=0.98, held=0.95, not_held=0.03, submitted=0.98, signed=0.96, follow_up_held=0.9)

CONTENT = {
    "focus_areas": [{"id": "f1", "text": "Faglig udvikling", "must_improve": False}],
    "follow_up_topics": [],
    "goals": [
        {
            "id": "g1",
            "text": "Blive tryg i det nye system",
            "measure": "Kører to måneder uden hjælp",
            "milestones": "",
            "activities": [
                {
                    "id": "a1",
                    "type": "peer_training",
                    "text": "Sidemandsoplæring",
                    "from": "",
                    "to": "",
                    "starts": "mig",
                    "follow_up_how": "på teammødet",
                    "follow_up_when": "",
                }
            ],
        }
    ],
}


@dataclass(frozen=True)
class _Progress:
    """The round being moved forward: its shares, today, and the seeded draws of days."""

    round_: Any
    shares: Shares
    today: date
    zone: tzinfo
    rng: random.Random

    @property
    def last(self) -> date:
        """The last day a conversation may have been held: today, or the round's deadline."""
        return min(self.today, self.round_.held_by)

    def moment(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=self.zone)

    def past_day(self) -> date:
        span = max((self.last - self.round_.opens_on).days, 1)
        return self.round_.opens_on + timedelta(days=self.rng.randrange(span + 1))


def round_progress(
    round_: Any, *, shares: Shares = IN_PROGRESS, today: date | None = None, seed: int = 1, keep: tuple[str, ...] = ()
) -> dict[str, int]:
    """Move the round's conversations forward in bulk, but those of the people whose e-mail is in
    ``keep``; returns how many of each were written."""
    from django.db import transaction
    from django.utils import timezone

    from samtale.lib.bulk import insert_rows
    from samtale.plans.models import Plan

    today = today or timezone.localdate()
    progress = _Progress(round_, shares, today, timezone.get_current_timezone(), random.Random(seed))
    held, not_held, scheduled = _drawn_conversations(progress, keep)
    held_updates, plans = _held(progress, held)
    scheduled_updates = _scheduled(progress, scheduled)
    with transaction.atomic():
        _write_conversations(held_updates, scheduled_updates, [pk for pk, _e, _l in not_held])
        insert_rows(Plan, plans)
        follow_ups = _versions_and_follow_ups(progress)
    return {
        "held": len(held_updates),
        "scheduled": len(scheduled_updates),
        "not_held": len(not_held),
        "plans": len(plans),
        "follow_ups": follow_ups,
    }


_Row = tuple[int, int, int | None]  # a conversation, its employee and their personnel leader


def _drawn_conversations(progress: _Progress, keep: tuple[str, ...]) -> tuple[list[_Row], list[_Row], list[_Row]]:
    """The invited conversations, shuffled and cut by the shares: held, not held, scheduled."""
    from samtale.conversations.models import Conversation, ConversationStatus

    rows = list(
        Conversation.objects.filter(round=progress.round_, status=ConversationStatus.INVITED, plan__isnull=True)
        .exclude(employee__email__in=keep)
        .order_by("pk")
        .values_list("pk", "employee_id", "employee__personnel_leader_id")
    )
    progress.rng.shuffle(rows)
    shares, n = progress.shares, len(rows)
    held_n, not_held_n, scheduled_n = int(n * shares.held), int(n * shares.not_held), int(n * shares.scheduled)
    held, not_held = rows[:held_n], rows[held_n : held_n + not_held_n]
    scheduled = rows[held_n + not_held_n : max(scheduled_n, held_n + not_held_n)]
    return held, not_held, scheduled


def _held(progress: _Progress, held: list[_Row]) -> tuple[list[Conversation], list[dict[str, Any]]]:
    """The held conversations, and a plan for each: a draft, handed in or signed, by the shares."""
    from samtale.conversations.models import Conversation, ConversationStatus
    from samtale.plans.models import PlanStatus

    moment, rng, shares = progress.moment, progress.rng, progress.shares
    plans: list[dict[str, Any]] = []
    updates: list[Conversation] = []
    for pk, employee_id, leader_id in held:
        day = progress.past_day()
        updates.append(
            Conversation(
                pk=pk,
                held_with_id=leader_id,  # held by the personnel leader, who keeps the minutes
                status=ConversationStatus.HELD,
                held_on=day,
                starts_at=moment(day),
                invitation_sent_at=moment(day - timedelta(days=14)),
            )
        )
        due = day + timedelta(days=14)
        status: str = PlanStatus.DRAFT
        submitted_at, signed_at, follow_up_by = None, None, None
        draw = rng.random()
        if draw < shares.signed:
            signed_day = min(day + timedelta(days=rng.randrange(1, 15)), progress.today)
            status, submitted_at, signed_at = PlanStatus.SIGNED, moment(signed_day, 9), moment(signed_day, 14)
            follow_up_by = day + timedelta(days=182)
        elif draw < shares.submitted:
            status, submitted_at = PlanStatus.SUBMITTED, moment(min(day + timedelta(days=7), progress.today), 9)
        plans.append(
            {
                "conversation_id": pk,
                "employee_id": employee_id,
                "status": status,
                "due_on": due,
                "submitted_at": submitted_at,
                "signed_at": signed_at,
                "follow_up_by": follow_up_by,
                "created_at": moment(day, 12),
            }
        )
    return updates, plans


def _scheduled(progress: _Progress, scheduled: list[_Row]) -> list[Conversation]:
    """The conversations booked for a day after the last one held."""
    from samtale.conversations.models import Conversation, ConversationStatus

    updates = []
    for pk, _employee, _leader in scheduled:
        day = progress.last + timedelta(days=progress.rng.randrange(1, 30))
        updates.append(
            Conversation(
                pk=pk,
                status=ConversationStatus.SCHEDULED,
                starts_at=progress.moment(day),
                invitation_sent_at=progress.moment(progress.last),
            )
        )
    return updates


def _write_conversations(held: list[Conversation], scheduled: list[Conversation], not_held: list[int]) -> None:
    from samtale.conversations.models import Conversation, ConversationStatus
    from samtale.lib.bulk import update_rows

    update_rows(
        Conversation,
        ["status", "held_on", "held_with", "starts_at", "invitation_sent_at"],
        [(c.pk, c.status, c.held_on, c.held_with_id, c.starts_at, c.invitation_sent_at) for c in held],
    )
    update_rows(
        Conversation,
        ["status", "starts_at", "invitation_sent_at"],
        [(c.pk, c.status, c.starts_at, c.invitation_sent_at) for c in scheduled],
    )
    not_held_rows = [(pk, ConversationStatus.NOT_HELD, "long_leave") for pk in not_held]
    update_rows(Conversation, ["status", "not_held_reason"], not_held_rows)


def _versions_and_follow_ups(progress: _Progress) -> int:
    """The first version of each new plan, and the follow-ups held of the signed ones (by the
    share, once their time has come); returns how many follow-ups."""
    from samtale.lib.bulk import insert_rows
    from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus, PlanVersion

    stored = list(
        Plan.objects.filter(conversation__round=progress.round_, versions__isnull=True).values_list(
            "pk", "status", "submitted_at", "signed_at", "follow_up_by", "due_on"
        )
    )
    versions = [
        {
            "plan_id": pk,
            "number": 1,
            "status": status,
            "content": CONTENT,
            "submitted_at": submitted_at,
            "signed_at": signed_at,
        }
        for pk, status, submitted_at, signed_at, _by, _due in stored
    ]
    insert_rows(PlanVersion, versions)
    follow_ups: list[dict[str, Any]] = []
    rng, today = progress.rng, progress.today
    for pk, status, _s, _signed, follow_up_by, _due in stored:
        if status != PlanStatus.SIGNED or follow_up_by is None:
            continue
        if rng.random() < progress.shares.follow_up_held and follow_up_by - timedelta(days=30) <= today:
            day = min(follow_up_by - timedelta(days=rng.randrange(30)), today)
            follow_ups.append(
                {"plan_id": pk, "status": FollowUpStatus.HELD, "held_on": day, "starts_at": progress.moment(day)}
            )
    insert_rows(FollowUp, follow_ups)
    return len(follow_ups)


def organisation_build(people: int, *, finished: int = 3) -> dict[str, int]:
    """The demo organisation of about ``people`` people with history: ``finished`` closed rounds
    (one a year, 95 % held, plans signed, follow-ups held), then the demo round MUS-2027 under way
    (``IN_PROGRESS``). Rounds are launched through ``round_launch``, as HR does; the history's
    e-mails are marked sent, so the outbox holds none of it. Returns row counts."""
    from datetime import date

    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.completion.counters import completion_rebuild
    from samtale.conversations.models import Conversation
    from samtale.conversations.services.invitation import round_launch
    from samtale.demo.organisation import PERSONAS, seed_demo
    from samtale.demo.round import demo_round_seed
    from samtale.org.models import Person, Unit
    from samtale.outbox.models import MessageStatus, OutboxMessage
    from samtale.plans.models import FollowUp, Plan, PlanVersion
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.models import Round, RoundStatus
    from samtale.rounds.services.rounds import round_create

    seed_demo(employees=people)
    hr_user = Person.objects.get(email=PERSONAS["hr"].email).user
    assert hr_user is not None
    hr = viewer_for(hr_user)
    root = Unit.objects.get(parent=None)
    this_year = timezone.localdate().year
    for index in range(finished, 0, -1):
        year = this_year - index
        past = round_create(
            viewer=hr,
            name=f"MUS-{year}",
            concept=default_concept_ensure(),
            opens_on=date(year, 1, 15),
            held_by=date(year, 4, 30),
            units=[root],
        )
        round_launch(viewer=hr, round_=past)
        round_progress(past, shares=FINISHED, today=date(year, 12, 15), seed=index)
        Round.objects.filter(pk=past.pk).update(status=RoundStatus.CLOSED)
    current = demo_round_seed()
    assert current is not None
    # The personas keep the demo's states, so each page is measured in the same state at every size.
    round_progress(current, seed=finished + 1, keep=tuple(persona.email for persona in PERSONAS.values()))
    OutboxMessage.objects.filter(status=MessageStatus.PENDING).update(status=MessageStatus.SENT)
    completion_rebuild()  # the progress was written in bulk, past the services
    return {
        "people": Person.objects.count(),
        "rounds": Round.objects.count(),
        "conversations": Conversation.objects.count(),
        "plans": Plan.objects.count(),
        "plan_versions": PlanVersion.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "emails": OutboxMessage.objects.count(),
    }
