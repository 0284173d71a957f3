"""A launched round moved forward in bulk, as the services would leave it: conversations booked and
held (or not held), plans written, handed in and signed by both (with their signatures and the
content's hash), follow-ups held. Deterministic for a given seed.

The demo uses it for the people nobody walks as (``samtale.demo.round``: the personas and the
persona leader's team are moved through the services instead), so the overview, its charts and
the leaders above have a round under way to show; the benchmarks use it to start from a round
under way or finished at any size (``bench/history.py``). One INSERT or UPDATE per table.
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

# Demo rounds move at this pace: about half held, most of their plans handed in, half signed.
DEMO = Shares(scheduled=0.75, held=0.5, not_held=0.02, submitted=0.75, signed=0.5)


def _content(focus: str, goal: str, measure: str, kind: str, activity: str, how: str) -> dict[str, Any]:
    return {
        "focus_areas": [{"id": "f1", "text": focus, "must_improve": False}],
        "follow_up_topics": [],
        "goals": [
            {
                "id": "g1",
                "text": goal,
                "measure": measure,
                "milestones": "",
                "activities": [
                    {
                        "id": "a1",
                        "type": kind,
                        "text": activity,
                        "from": "",
                        "to": "",
                        "starts": "mig",
                        "follow_up_how": how,
                        "follow_up_when": "",
                    }
                ],
            }
        ],
    }


# A few plans as people write them, drawn for each plan written in bulk.
CONTENTS = (
    _content(
        "Det nye økonomisystem",
        "Blive tryg i det nye system",
        "Kører to måneder uden hjælp",
        "peer_training",
        "Sidemandsoplæring",
        "på teammødet",
    ),
    _content(
        "Vidensdeling i teamet",
        "To kan løse hver af mine faste opgaver",
        "En kollega har løst opgaven en måned",
        "new_tasks",
        "Skrive en vejledning og lære en kollega op",
        "gennemgås med lederen",
    ),
    _content(
        "Borgerkontakt",
        "Holde gode og korte samtaler med borgerne i telefonen",
        "Færre opkald, der skal stilles videre",
        "professional_courses",
        "Kursus i den svære samtale",
        "kort opsummering til teamet",
    ),
    _content(
        "Projektarbejde",
        "Lede et mindre projekt fra start til slut",
        "Projektet er afsluttet til tiden",
        "project_work",
        "Projektleder på den nye vagtplan",
        "status på hvert andet teammøde",
    ),
)


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
        """A working day from the round's opening to the last day (a weekend day moves back to
        the Friday, but never before the opening)."""
        span = max((self.last - self.round_.opens_on).days, 1)
        day = self.round_.opens_on + timedelta(days=self.rng.randrange(span + 1))
        while day.weekday() >= 5 and day - timedelta(days=day.weekday() - 4) >= self.round_.opens_on:
            day -= timedelta(days=day.weekday() - 4)
        return day

    def coming_day(self) -> date:
        """A working day in the next four weeks after the last day, by the round's deadline."""
        day = self.last + timedelta(days=self.rng.randrange(1, 29))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return min(day, self.round_.held_by)


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
        day = progress.coming_day()
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
    """The first version of each new plan (a signed one with the hash of its content and both
    signatures, as ``plans.services.signing`` leaves it), and the follow-ups held of the signed
    ones (by the share, once their time has come); returns how many follow-ups."""
    from samtale.lib.bulk import insert_rows
    from samtale.plans.content import content_hash
    from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus, PlanVersion, Side, Signature

    stored = list(
        Plan.objects.filter(conversation__round=progress.round_, versions__isnull=True).values_list(
            "pk",
            "uuid",
            "status",
            "submitted_at",
            "signed_at",
            "follow_up_by",
            "employee_id",
            "employee__personnel_leader_id",
        )
    )
    versions, signed = [], []
    for pk, uuid, status, submitted_at, signed_at, follow_up_by, employee_id, leader_id in stored:
        content = CONTENTS[progress.rng.randrange(len(CONTENTS))]
        row = {
            "plan_id": pk,
            "number": 1,
            "status": status,
            "content": content,
            "submitted_at": submitted_at,
            "signed_at": signed_at,
            "follow_up_on": follow_up_by if signed_at else None,
        }
        if signed_at is not None:
            version = PlanVersion(plan=Plan(pk=pk, uuid=uuid), number=1, content=content, follow_up_on=follow_up_by)
            row["content_hash"] = content_hash(version)
            signed.append((pk, row["content_hash"], submitted_at, signed_at, employee_id, leader_id))
        versions.append(row)
    version_ids = insert_rows(PlanVersion, versions, key="plan_id")
    signatures = []
    for pk, digest, submitted_at, signed_at, employee_id, leader_id in signed:
        # The leader signs first, the employee last (when the plan is signed by both).
        for side, person, at in ((Side.LEADER, leader_id, submitted_at), (Side.EMPLOYEE, employee_id, signed_at)):
            if person is not None:
                signatures.append(
                    {
                        "version_id": version_ids[pk],
                        "person_id": person,
                        "side": side,
                        "signed_at": at,
                        "content_hash": digest,
                    }
                )
    insert_rows(Signature, signatures)
    follow_ups: list[dict[str, Any]] = []
    rng, today = progress.rng, progress.today
    for pk, _uuid, status, _s, _signed, follow_up_by, _employee, _leader in stored:
        if status != PlanStatus.SIGNED or follow_up_by is None:
            continue
        if rng.random() < progress.shares.follow_up_held and follow_up_by - timedelta(days=30) <= today:
            day = min(follow_up_by - timedelta(days=rng.randrange(30)), today)
            follow_ups.append(
                {"plan_id": pk, "status": FollowUpStatus.HELD, "held_on": day, "starts_at": progress.moment(day)}
            )
    insert_rows(FollowUp, follow_ups)
    return len(follow_ups)
