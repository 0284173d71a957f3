"""Who attends beside the employee and the personnel leader (docs/domain.md § Who takes part): "The
employee may invite their daily leader (by agreement with the personnel leader)"; "The employee
may bring their union representative: it is the employee's decision; they must tell the leader in
good time, and the leader summons the representative." Whoever is invited gets the invitation
(``scheduling.invitation_draft``); whoever is taken off again, a cancellation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.models import AuditEvent
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation, DailyLeaderStatus, UnionRepStatus
from samtale.conversations.services._shared import before_the_conversation, draft, lock, not_started
from samtale.conversations.services.scheduling import cancel_draft, invitation_draft
from samtale.lib.meetings.time_and_place import booking_snapshot
from samtale.org.models import Person, RoleKind
from samtale.org.selectors import contact_roles_for
from samtale.outbox.services import Draft, outbox_enqueue_many


def _times_asked(conversation: Conversation, action: str) -> int:
    """How often the employee has asked before: part of the e-mail's dedupe key, so that asking
    again after taking it back tells the leader again, and a form posted twice does not."""
    return AuditEvent.objects.filter(action=action, target_id=str(conversation.uuid)).count()


def _tell_leader(conversation: Conversation, what: str, action: str, attendee: Person) -> list[Draft]:
    leader = conversation.employee.personnel_leader
    if leader is None:
        return []
    count = _times_asked(conversation, action)
    return [
        draft(
            "conversations.attendee_asked",
            leader,
            {"conversation": conversation.pk, "person": leader.pk, "what": what, "attendee": attendee.pk},
            dedupe_key=f"conversations.attendee_asked:{conversation.uuid}:{what}:{count}",
        )
    ]


@transaction.atomic
def daily_leader_ask(*, viewer: Viewer, conversation: Conversation) -> bool:
    """ "The employee may invite their daily leader (by agreement with the personnel leader)"."""
    require_write(round_policies.may_ask_for_daily_leader(viewer, conversation))
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    not_started(conversation, now=now)
    daily = conversation.employee.daily_leader
    if daily is None or not daily.is_employed():
        raise ValidationError(_("You have no daily leader registered. Ask HR if that is wrong."))
    if daily.pk == conversation.employee.personnel_leader_id:
        raise ValidationError(_("Your daily leader is your personnel leader, who holds the conversation anyway."))
    if conversation.daily_leader_id == daily.pk and conversation.daily_leader_status in (
        DailyLeaderStatus.REQUESTED,
        DailyLeaderStatus.AGREED,
    ):
        return False
    conversation.daily_leader = daily
    conversation.daily_leader_status = DailyLeaderStatus.REQUESTED
    conversation.save(update_fields=["daily_leader", "daily_leader_status"])
    drafts = _tell_leader(conversation, "daily_leader", "conversations.daily_leader_asked", daily)
    audit_record(
        actor=viewer.user,
        action="conversations.daily_leader_asked",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"daily_leader": daily.pk},
    )
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def daily_leader_decide(*, viewer: Viewer, conversation: Conversation, agree: bool) -> bool:
    """The personnel leader agrees (the daily leader is invited and may open the conversation's
    page) or declines; the employee is told either way."""
    require_write(round_policies.may_decide_on_daily_leader(viewer, conversation))
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    wanted = DailyLeaderStatus.AGREED if agree else DailyLeaderStatus.DECLINED
    if conversation.daily_leader_status == wanted:
        return False
    if conversation.daily_leader_status != DailyLeaderStatus.REQUESTED or conversation.daily_leader is None:
        raise ValidationError(_("There is no request about the daily leader to answer."))
    if agree:
        not_started(conversation, now=now)
        if not conversation.daily_leader.is_employed():
            raise ValidationError(_("The daily leader has left the organisation."))
    conversation.daily_leader_status = wanted
    conversation.save(update_fields=["daily_leader_status"])
    audit_record(
        actor=viewer.user,
        action="conversations.daily_leader_agreed" if agree else "conversations.daily_leader_declined",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"daily_leader": conversation.daily_leader_id},
    )
    employee = conversation.employee
    drafts = [
        draft(
            "conversations.attendee_answered",
            employee,
            {
                "conversation": conversation.pk,
                "person": employee.pk,
                "agreed": agree,
                "attendee": conversation.daily_leader_id,
            },
            dedupe_key=f"conversations.attendee_answered:{conversation.uuid}:{conversation.daily_leader_id}:"
            f"{wanted}:{_times_asked(conversation, 'conversations.daily_leader_asked')}",
        )
    ]
    if agree:
        drafts.append(invitation_draft(conversation, conversation.daily_leader, organizer=viewer.person, update=False))
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def daily_leader_withdraw(*, viewer: Viewer, conversation: Conversation) -> bool:
    """The employee takes the wish back; a daily leader already invited gets a cancellation."""
    require_write(round_policies.may_ask_for_daily_leader(viewer, conversation))
    lock(conversation)
    before_the_conversation(conversation)
    if conversation.daily_leader_status not in (DailyLeaderStatus.REQUESTED, DailyLeaderStatus.AGREED):
        return False
    drafts = (
        _uninvite(viewer, conversation, conversation.daily_leader)
        if conversation.daily_leader_status == DailyLeaderStatus.AGREED
        else []
    )
    previous = conversation.daily_leader_id
    conversation.daily_leader = None
    conversation.daily_leader_status = DailyLeaderStatus.NONE
    conversation.save(update_fields=["daily_leader", "daily_leader_status", "calendar_sequence"])
    audit_record(
        actor=viewer.user,
        action="conversations.daily_leader_withdrawn",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"daily_leader": previous},
    )
    outbox_enqueue_many(messages=drafts)
    return True


def union_rep_choices(*, employee: Person) -> list[Person]:
    """The union representatives whose coverage includes the employee (never the employee)."""
    return [
        role.person
        for role in contact_roles_for(person=employee, kind=RoleKind.UNION_REP)
        if role.person.pk != employee.pk
    ]


@transaction.atomic
def union_rep_bring(*, viewer: Viewer, conversation: Conversation, representative: Person) -> bool:
    """ "The employee may bring their union representative: it is the employee's decision; they
    must tell the leader in good time" — the leader is told by e-mail."""
    require_write(round_policies.may_bring_union_rep(viewer, conversation))
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    not_started(conversation, now=now)
    if representative.pk not in {p.pk for p in union_rep_choices(employee=conversation.employee)}:
        raise ValidationError({"representative": _("Choose one of the union representatives who cover you.")})
    if conversation.union_rep_id == representative.pk and conversation.union_rep_status != UnionRepStatus.NONE:
        return False
    drafts: list[Draft] = []
    if conversation.union_rep_status == UnionRepStatus.SUMMONED:
        drafts += _uninvite(viewer, conversation, conversation.union_rep)
    conversation.union_rep = representative
    conversation.union_rep_status = UnionRepStatus.CHOSEN
    conversation.save(update_fields=["union_rep", "union_rep_status", "calendar_sequence"])
    drafts += _tell_leader(conversation, "union_rep", "conversations.union_rep_chosen", representative)
    audit_record(
        actor=viewer.user,
        action="conversations.union_rep_chosen",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"union_rep": representative.pk},
    )
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def union_rep_withdraw(*, viewer: Viewer, conversation: Conversation) -> bool:
    """The employee decides not to bring the representative after all; one already summoned gets
    a cancellation, and the leader sees the change on the page."""
    require_write(round_policies.may_bring_union_rep(viewer, conversation))
    lock(conversation)
    before_the_conversation(conversation)
    if conversation.union_rep_status == UnionRepStatus.NONE:
        return False
    drafts = (
        _uninvite(viewer, conversation, conversation.union_rep)
        if conversation.union_rep_status == UnionRepStatus.SUMMONED
        else []
    )
    previous = conversation.union_rep_id
    conversation.union_rep = None
    conversation.union_rep_status = UnionRepStatus.NONE
    conversation.save(update_fields=["union_rep", "union_rep_status", "calendar_sequence"])
    audit_record(
        actor=viewer.user,
        action="conversations.union_rep_withdrawn",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"union_rep": previous},
    )
    outbox_enqueue_many(messages=drafts)
    return True


@transaction.atomic
def union_rep_summon(*, viewer: Viewer, conversation: Conversation) -> bool:
    """ "… and the leader summons the representative", who then gets the invitation and may open the
    conversation's page (the invitation only: docs/trust.md § Access matrix)."""
    require_write(round_policies.may_summon_union_rep(viewer, conversation))
    now = timezone.now()
    lock(conversation)
    before_the_conversation(conversation)
    if conversation.union_rep_status == UnionRepStatus.SUMMONED:
        return False
    if conversation.union_rep_status != UnionRepStatus.CHOSEN or conversation.union_rep is None:
        raise ValidationError(_("The employee has not chosen to bring a union representative."))
    not_started(conversation, now=now)
    if not conversation.union_rep.is_employed():
        raise ValidationError(_("The union representative has left the organisation."))
    conversation.union_rep_status = UnionRepStatus.SUMMONED
    conversation.save(update_fields=["union_rep_status"])
    audit_record(
        actor=viewer.user,
        action="conversations.union_rep_summoned",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"union_rep": conversation.union_rep_id},
    )
    outbox_enqueue_many(
        messages=[invitation_draft(conversation, conversation.union_rep, organizer=viewer.person, update=False)]
    )
    return True


def _uninvite(viewer: Viewer, conversation: Conversation, person: Person | None) -> list[Draft]:
    """An attendee taken off: the calendar sequence grows (the change is a new version of the
    meeting) and, if they had the time in their calendar, they get a cancellation."""
    conversation.calendar_sequence += 1
    if person is None or conversation.starts_at is None:
        return []
    return [
        cancel_draft(
            conversation, person, snapshot=booking_snapshot(conversation), organizer=viewer.person, whole=False
        )
    ]
