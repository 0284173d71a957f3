"""When a leader changes (docs/trust.md § Leader change): the new personnel leader gets the plan,
its versions and its follow-up at once; the former leader loses access on their next request;
minutes of earlier conversations pass only if the employee agrees; the employee and the new leader
are told; an audit event is written.

Access needs nothing here: the relations are derived from the organisation on every request.
``leaders_changed`` is the one hook the organisation calls after saving placement changes (by
hand in ``samtale.org.services``, in bulk by the import): it tells the employee and the new
leader, for employees with a plan or a conversation in a launched round, with a constant number
of queries per chunk of people.

The minutes: the employee agrees (and may withdraw) that a leader who did not hold a conversation
reads its minutes (``MinutesConsent``; the rule is in ``round_policies.may_view_minutes``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access.relations import Relation, relations_to
from samtale.access.viewer import Viewer
from samtale.accounts.models import User
from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_event_build, audit_record, audit_record_many
from samtale.conversations.models import Conversation, ConversationStatus, MinutesConsent
from samtale.lib.bulk import chunks
from samtale.org.models import Person, PlacementField
from samtale.outbox.services import Draft, outbox_enqueue_many, outbox_message_build
from samtale.plans.models import Plan
from samtale.rounds.models import RoundStatus

if TYPE_CHECKING:
    from samtale.org.models import PlacementChange

CHUNK = 900  # below SQLite's limit on variables in one statement


def leaders_changed(changes: Iterable[PlacementChange]) -> int:
    """Tell the employee and the new personnel leader, and write the audit event, for every
    change of personnel leader of someone with a plan or a conversation in a launched round.
    Called in the transaction that saved the changes. Returns the number of e-mails queued."""
    latest: dict[int, PlacementChange] = {}
    for change in changes:
        if change.field == PlacementField.PERSONNEL_LEADER:
            latest[change.person_id] = change
    if not latest:
        return 0
    ids = sorted(latest)
    concerned: set[int] = set()
    for chunk in chunks(ids, CHUNK):
        concerned.update(Plan.objects.filter(employee_id__in=chunk).values_list("employee_id", flat=True))
        concerned.update(
            Conversation.objects.filter(employee_id__in=chunk, round__status=RoundStatus.LAUNCHED).values_list(
                "employee_id", flat=True
            )
        )
    if not concerned:
        return 0
    new_leaders = {new_id for pk in concerned if (new_id := latest[pk].new_id) is not None}
    wanted = sorted(concerned | new_leaders)
    people: dict[int, Person] = {}
    for chunk in chunks(wanted, CHUNK):
        people.update((p.pk, p) for p in Person.objects.filter(id__in=chunk).select_related("user"))
    actor_ids = {latest[pk].changed_by_id for pk in concerned} - {None}
    actors = User.objects.in_bulk(actor_ids) if actor_ids else {}
    today = timezone.localdate()
    drafts: list[Draft] = []
    events: list[AuditEvent] = []
    for person_id in sorted(concerned):
        change = latest[person_id]
        employee = people.get(person_id)
        if employee is None:
            continue
        new_leader = people.get(change.new_id) if change.new_id is not None else None
        stamp = change.changed_at.isoformat() if change.changed_at else ""
        key = f"plans.leader_changed:{person_id}:{change.old_id}:{change.new_id}:{stamp}"
        context = {"employee": person_id, "leader": change.new_id}
        if employee.is_employed(today):
            drafts.append(
                outbox_message_build(
                    kind="plans.leader_changed",
                    to_email=employee.email,
                    language=employee.account_language,
                    context=context | {"person": person_id},
                    dedupe_key=f"{key}:employee",
                )
            )
        if new_leader is not None and new_leader.is_employed(today):
            drafts.append(
                outbox_message_build(
                    kind="plans.leader_changed",
                    to_email=new_leader.email,
                    language=new_leader.account_language,
                    context=context | {"person": new_leader.pk},
                    dedupe_key=f"{key}:leader",
                )
            )
        events.append(
            audit_event_build(
                actor=actors.get(change.changed_by_id) if change.changed_by_id else None,
                action="plans.passed_to_new_leader",
                target=("person", employee.uuid),
                subject_person_id=person_id,
                data={"from": change.old_id, "to": change.new_id, "source": change.source},
            )
        )
    audit_record_many(events)
    return outbox_enqueue_many(messages=drafts)


# Minutes and the new leader ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierConversation:
    conversation: Conversation
    passed_on: bool


def earlier_conversations(*, employee: Person) -> list[EarlierConversation]:
    """The employee's held conversations that their current personnel leader did not hold, and
    whether each one's minutes are passed on to that leader."""
    leader_id = employee.personnel_leader_id
    if leader_id is None:
        return []
    conversations = list(
        Conversation.objects.filter(employee=employee, status=ConversationStatus.HELD)
        .exclude(held_with_id=leader_id)
        .select_related("round", "held_with")
        .order_by("-held_on", "-id")
    )
    agreed = set(
        MinutesConsent.objects.filter(conversation__in=conversations, leader_id=leader_id).values_list(
            "conversation_id", flat=True
        )
    )
    return [EarlierConversation(c, c.pk in agreed) for c in conversations]


def _check(viewer: Viewer, conversation: Conversation) -> Person:
    """Only the employee decides, for a held conversation their current leader did not hold."""
    if Relation.SELF not in relations_to(viewer, conversation.employee):
        raise PermissionDenied
    leader = conversation.employee.personnel_leader
    if leader is None:
        raise ValidationError(_("You have no personnel leader to pass the minutes on to."))
    if conversation.status != ConversationStatus.HELD or conversation.held_with_id == leader.pk:
        raise ValidationError(_("Your leader already has these minutes."))
    return leader


@transaction.atomic
def minutes_consent_grant(*, viewer: Viewer, conversation: Conversation) -> bool:
    """The employee agrees that their current personnel leader reads (and may add to) the
    minutes of an earlier conversation. Returns False when it was already so."""
    leader = _check(viewer, conversation)
    _consent, created = MinutesConsent.objects.get_or_create(conversation=conversation, leader=leader)
    if created:
        audit_record(
            actor=viewer.user,
            action="conversations.minutes_shared_with_new_leader",
            target=conversation,
            subject_person_id=conversation.employee_id,
            data={"leader": leader.pk},
        )
    return created


@transaction.atomic
def minutes_consent_withdraw(*, viewer: Viewer, conversation: Conversation) -> bool:
    """The employee takes the consent back: the leader no longer reads those minutes."""
    leader = _check(viewer, conversation)
    deleted, _rows = MinutesConsent.objects.filter(conversation=conversation, leader=leader).delete()
    if deleted:
        audit_record(
            actor=viewer.user,
            action="conversations.minutes_unshared_with_new_leader",
            target=conversation,
            subject_person_id=conversation.employee_id,
            data={"leader": leader.pk},
        )
    return bool(deleted)
