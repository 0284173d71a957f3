"""Reads for the invitation: the leader's team in a round, the "must improve" warning, the
conversations a person attends, and what the conversation's page shows each viewer of time and
place, topics, the notice and attendees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from samtale.access import round_policies
from samtale.access.relations import Relation, conversation_relations
from samtale.access.viewer import Viewer
from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    DailyLeaderStatus,
    ImprovementNotice,
    LeaderPreparation,
    SpecialTopic,
    UnionRepStatus,
)
from samtale.conversations.services.attendees import union_rep_choices
from samtale.conversations.services.notice import NOTICE_WARNING_DAYS
from samtale.conversations.services.scheduling import conversation_attendees
from samtale.lib.queries import fetch, one_or_none
from samtale.org.models import Person, employed_q
from samtale.rounds.models import Round, RoundStatus


def _current_team(leader: Person) -> Q:
    employed = employed_q("employee__")
    return Q(employee__personnel_leader=leader) & employed


def team_conversations_in_round(*, leader: Person, round_: Round) -> QuerySet[Conversation]:
    """The conversations of the people ``leader`` is personnel leader for now, in ``round_``."""
    return (
        Conversation.objects.filter(_current_team(leader), round=round_)
        .select_related("round", "employee", "employee__unit")
        .order_by("employee__name", "id")
    )


def rounds_with_team(*, leader: Person) -> QuerySet[Round]:
    """The launched rounds in which the leader has someone to hold a conversation with, newest first."""
    ids = Conversation.objects.filter(_current_team(leader)).values("round_id")
    return Round.objects.filter(pk__in=ids, status=RoundStatus.LAUNCHED).order_by("-opens_on", "name")


def conversations_missing_improvement_notice(*, leader: Person, now: datetime | None = None) -> QuerySet[Conversation]:
    """The leader's conversations that start within ``NOTICE_WARNING_DAYS`` days while the leader's
    preparation says something must improve and no notice has been given: "the employee must be told
    before the conversation" (docs/domain.md § Before the conversation, step 5). For the leader's
    own eyes only (it reads the leader's private preparation)."""
    now = now or timezone.now()
    # Something other than white space (a regular expression both SQLite and PostgreSQL run).
    drafted = LeaderPreparation.objects.filter(must_improve__regex=r"\S").values("conversation_id")
    return (
        Conversation.objects.filter(
            _current_team(leader),
            status=ConversationStatus.SCHEDULED,
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=NOTICE_WARNING_DAYS),
            pk__in=drafted,
        )
        .exclude(pk__in=ImprovementNotice.objects.values("conversation_id"))
        .select_related("employee")
        .order_by("starts_at")
    )


def conversations_attending(*, person: Person) -> QuerySet[Conversation]:
    """The conversations ``person`` is invited to beside the two: as the daily leader the
    personnel leader agreed to, or as the union representative the leader summoned."""
    return (
        Conversation.objects.filter(
            Q(daily_leader=person, daily_leader_status=DailyLeaderStatus.AGREED)
            | Q(union_rep=person, union_rep_status=UnionRepStatus.SUMMONED),
            round__status=RoundStatus.LAUNCHED,
        )
        .select_related("round", "employee")
        .order_by("starts_at", "id")
    )


@dataclass
class SchedulingSection:
    """What one viewer sees and may do in the scheduling section of the conversation's page."""

    is_employee: bool = False
    is_leader: bool = False
    is_attendee: bool = False
    # Before the conversation (not held, round open): the forms are offered.
    open: bool = False
    started: bool = False
    may_schedule: bool = False
    attendees: list[Person] = field(default_factory=list)
    topic_side: str | None = None
    topics: list[SpecialTopic] | None = None  # None: may not see them
    notice: ImprovementNotice | None = None
    may_view_notice: bool = False
    may_give_notice: bool = False
    notice_warning: bool = False
    may_ask_daily_leader: bool = False
    may_decide_daily_leader: bool = False
    may_bring_union_rep: bool = False
    may_summon_union_rep: bool = False
    daily_leader_candidate: Person | None = None
    union_rep_choices: list[Person] = field(default_factory=list)


def scheduling_section(viewer: Viewer, conversation: Conversation) -> SchedulingSection:
    """Everything the section needs, in a few queries whatever the size of the organisation."""
    relations = conversation_relations(viewer, conversation)
    now = timezone.now()
    section = SchedulingSection(
        is_employee=Relation.SELF in relations,
        is_leader=Relation.PERSONNEL_LEADER in relations,
        is_attendee=bool(relations & {Relation.INVITED_DAILY_LEADER, Relation.INVITED_UNION_REP}),
        open=conversation.status in (ConversationStatus.INVITED, ConversationStatus.SCHEDULED)
        and conversation.round.status == RoundStatus.LAUNCHED,
        started=conversation.starts_at is not None and conversation.starts_at <= now,
        attendees=conversation_attendees(conversation),
    )
    writable = section.open and not section.started
    section.may_schedule = section.open and round_policies.may_schedule(viewer, conversation)
    if round_policies.may_view_special_topics(viewer, conversation):
        section.topics = fetch(
            SpecialTopic.objects.filter(conversation=conversation).select_related("raised_by"),
            "conversations.special_topics",
        )
        section.topic_side = round_policies.special_topic_side(viewer, conversation) if writable else None
    if round_policies.may_view_improvement_notice(viewer, conversation):
        section.may_view_notice = True
        section.notice = one_or_none(
            ImprovementNotice.objects.filter(conversation=conversation),
            key="conversations.selectors.scheduling.scheduling_section",
        )
        section.may_give_notice = writable and round_policies.may_give_improvement_notice(viewer, conversation)
    if section.is_leader and section.notice is None:
        section.notice_warning = (
            conversations_missing_improvement_notice(leader=viewer.person, now=now)  # type: ignore[arg-type]
            .filter(pk=conversation.pk)
            .exists()
        )
    if writable and round_policies.may_ask_for_daily_leader(viewer, conversation):
        section.may_ask_daily_leader = True
        section.daily_leader_candidate = conversation.employee.daily_leader
    section.may_decide_daily_leader = writable and round_policies.may_decide_on_daily_leader(viewer, conversation)
    if writable and round_policies.may_bring_union_rep(viewer, conversation):
        section.may_bring_union_rep = True
        section.union_rep_choices = union_rep_choices(employee=conversation.employee)
    section.may_summon_union_rep = writable and round_policies.may_summon_union_rep(viewer, conversation)
    return section
