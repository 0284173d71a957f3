"""Changes around the conversation itself: both preparation forms, sharing the employee's, the
minutes, the open items and the outcome (docs/domain.md § Before the conversation, steps 4–5;
§ The conversation — six phases; § The meeting and its outcome; § Confidentiality).

Each service checks the policy, changes inside one transaction with ``update_fields`` and writes
the audit event. Views look the conversation up first (``samtale.access.lookups``), so that a
stranger gets 404 before a service is asked.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.relations import Relation, conversation_relations
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    EmployeePreparation,
    LeaderPreparation,
    Minutes,
    NotHeldReason,
    OpenItem,
    UnionRepStatus,
)
from samtale.conversations.services import scheduling
from samtale.conversations.signals import (
    answer_withdrawal_refused,
    conversation_held,
    conversation_unheld,
    conversations_changed,
    outcome_correction_refused,
    refused_by_any,
)
from samtale.outbox.services import outbox_enqueue
from samtale.rounds.models import PreparationForm, RoundStatus

OVER = (ConversationStatus.HELD, ConversationStatus.NOT_HELD)


def _locked(conversation: Conversation) -> Conversation:
    """The conversation's row, locked for the rest of the transaction, so that a preparation
    saved while the leader marks the conversation held sees one state or the other."""
    locked = Conversation.objects.select_for_update(of=("self",)).select_related("round").get(pk=conversation.pk)
    _check_round_open(locked)
    return locked


def _check_round_open(conversation: Conversation) -> None:
    """A closed round is read-only (docs/domain.md § The round ends)."""
    if conversation.round.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed: this can no longer be changed."))


def _question_keys(conversation: Conversation, form: str) -> list[str]:
    return list(conversation.round.concept.questions.filter(form=form).values_list("key", flat=True))


def _merge(stored: dict[str, str], keys: list[str], given: dict[str, str]) -> dict[str, str]:
    """The stored answers with the given ones for ``keys``; an empty answer is left out, so an
    untouched form stores nothing. Keys of other questions are kept, never lost."""
    merged = {key: text for key, text in stored.items() if key not in keys}
    merged.update({key: text for key in keys if (text := given.get(key, "").strip())})
    return merged


def preparation_is_open(conversation: Conversation) -> bool:
    """Both preparation forms can be changed until the conversation is held and are read-only after
    (docs/domain.md § The meeting and its outcome): also when the leader has recorded that it will
    not be held; and never in a closed round."""
    return conversation.status not in OVER and conversation.round.status != RoundStatus.CLOSED


def _check_open(conversation: Conversation) -> None:
    if not preparation_is_open(conversation):
        raise ValidationError(_("The conversation is over: the preparation can no longer be changed."))


# The employee's preparation --------------------------------------------------------------------


@transaction.atomic
def employee_preparation_save(
    *, viewer: Viewer, conversation: Conversation, answers: dict[str, str]
) -> EmployeePreparation:
    """Save the employee's answers (autosave and the Save button both come here). Private until
    the employee shares it; saving does not share it."""
    require_write(round_policies.may_edit_employee_preparation(viewer, conversation))
    _check_open(_locked(conversation))
    preparation, _created = EmployeePreparation.objects.select_for_update().get_or_create(conversation=conversation)
    preparation.answers = _merge(preparation.answers, _question_keys(conversation, PreparationForm.EMPLOYEE), answers)
    preparation.updated_at = timezone.now()
    preparation.save(update_fields=["answers", "updated_at"])
    return preparation


Recipient = Literal["leader", "union_rep"]


@transaction.atomic
def employee_preparation_share(
    *, viewer: Viewer, conversation: Conversation, recipient: Recipient, share: bool
) -> EmployeePreparation | None:
    """Share the preparation with the leader or with the summoned union representative, or take the
    share back ("The employee need not hand their preparation form to the leader",
    docs/domain.md § Confidentiality). Sharing again keeps the first time; taking back hides it at
    once."""
    require_write(round_policies.may_edit_employee_preparation(viewer, conversation))
    locked = _locked(conversation)
    if recipient == "union_rep" and share and not _union_rep_summoned(locked):
        raise ValidationError(
            _("You can share your preparation with your union representative once your leader has summoned them.")
        )
    preparation = EmployeePreparation.objects.select_for_update().filter(conversation=conversation).first()
    if preparation is None or (share and not preparation.answers):
        if not share:
            return None
        raise ValidationError(_("Write your preparation before you share it."))
    field = "shared_with_leader_at" if recipient == "leader" else "shared_with_union_rep_at"
    current = getattr(preparation, field)
    if share == (current is not None):
        return preparation  # posted twice: nothing changes, nothing is recorded twice
    setattr(preparation, field, timezone.now() if share else None)
    preparation.save(update_fields=[field])
    audit_record(
        actor=viewer.user,
        action="conversations.preparation_shared" if share else "conversations.preparation_unshared",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"with": recipient},
    )
    return preparation


def _union_rep_summoned(conversation: Conversation) -> bool:
    return conversation.union_rep_id is not None and conversation.union_rep_status == UnionRepStatus.SUMMONED


def employee_preparation_read_record(*, viewer: Viewer, conversation: Conversation) -> None:
    """ "Every read of confidential content by someone other than its author … writes an audit
    event" (docs/trust.md § Audit trail): the leader or union representative reading a shared
    preparation."""
    if Relation.SELF in conversation_relations(viewer, conversation):
        return
    audit_record(
        actor=viewer.user,
        action="conversations.preparation_read",
        target=conversation,
        subject_person_id=conversation.employee_id,
    )


# The leader's preparation ----------------------------------------------------------------------


@transaction.atomic
def leader_preparation_save(
    *, viewer: Viewer, conversation: Conversation, answers: dict[str, str], must_improve: str
) -> LeaderPreparation:
    """The leader's preparation, private to the leader. ``must_improve`` is what the leader expects
    to say must improve; the employee must be told before the conversation
    (docs/domain.md § Before the conversation, step 5), which the invitation's warning reads from
    here."""
    require_write(round_policies.may_use_leader_preparation(viewer, conversation))
    _check_open(_locked(conversation))
    preparation, _created = LeaderPreparation.objects.select_for_update().get_or_create(conversation=conversation)
    preparation.answers = _merge(preparation.answers, _question_keys(conversation, PreparationForm.LEADER), answers)
    preparation.must_improve = must_improve.strip()
    preparation.updated_at = timezone.now()
    preparation.save(update_fields=["answers", "must_improve", "updated_at"])
    return preparation


# The minutes -----------------------------------------------------------------------------------


class MinutesConflict(Exception):
    """Someone saved the minutes after the writer loaded them: nothing was saved, and ``stored``
    is what is there now, for the writer to merge with their own text."""

    def __init__(self, stored: Minutes) -> None:
        super().__init__("the minutes changed meanwhile")
        self.stored = stored


@transaction.atomic
def minutes_save(
    *,
    viewer: Viewer,
    conversation: Conversation,
    notes: dict[str, str],
    version: int,
    bases: dict[str, str] | None = None,
) -> Minutes:
    """Save the joint notes of the phases given in ``notes`` (the others are kept as stored), if
    nobody has saved since ``version``.

    One conditional UPDATE … WHERE version = ``version``: of two saves from the same version exactly
    one matches a row, whatever the database; the other raises ``MinutesConflict`` ("one wins, the
    other is told and loses nothing silently", docs/trust.md § No lost update). With ``bases``
    (the text of each given phase the writer started from), a save that crossed another is not a
    conflict when the other changed none of the writer's phases (one wrote phase 2 while the other
    wrote phase 3): it is saved on top of the newer version."""
    require_write(round_policies.may_edit_minutes(viewer, conversation))
    _check_round_open(conversation)
    concept_keys = set(conversation.round.concept.phases.values_list("key", flat=True))
    keys = [key for key in notes if key in concept_keys]
    for _attempt in range(3):
        minutes, _created = Minutes.objects.get_or_create(conversation=conversation)
        if minutes.version != version and bases is not None and _untouched(minutes.notes, bases, keys):
            version = minutes.version
        new_notes = _merge(minutes.notes, keys, notes)
        updated = Minutes.objects.filter(pk=minutes.pk, version=version).update(
            notes=new_notes, version=F("version") + 1, updated_at=timezone.now(), updated_by=viewer.person
        )
        if updated:
            break
        if bases is not None and minutes.version == version:
            continue  # another save came between the read and the update: read again
        raise MinutesConflict(Minutes.objects.select_related("updated_by").get(pk=minutes.pk))
    else:
        raise MinutesConflict(Minutes.objects.select_related("updated_by").get(pk=minutes.pk))
    audit_record(
        actor=viewer.user,
        action="conversations.minutes_saved",
        target=conversation,
        subject_person_id=conversation.employee_id,
        data={"version": version + 1},
    )
    minutes.refresh_from_db()
    return minutes


def _untouched(stored: dict[str, str], bases: dict[str, str], keys: list[str]) -> bool:
    """Whether the stored text of each of ``keys`` is still what the writer started from."""
    return all(stored.get(key, "").strip() == bases.get(key, "").strip() for key in keys)


def minutes_read_record(*, viewer: Viewer, conversation: Conversation) -> None:
    """An invited attendee, or a new leader the employee passed earlier minutes to, reads
    confidential content they did not write."""
    relations = conversation_relations(viewer, conversation)
    if Relation.SELF in relations:
        return
    wrote_them = conversation.held_with_id is None or conversation.held_with_id == viewer.person_id
    if Relation.PERSONNEL_LEADER in relations and wrote_them:
        return
    audit_record(
        actor=viewer.user,
        action="conversations.minutes_read",
        target=conversation,
        subject_person_id=conversation.employee_id,
    )


# Open items ------------------------------------------------------------------------------------


@transaction.atomic
def open_item_add(
    *, viewer: Viewer, conversation: Conversation, text: str, responsible: str, deadline: date
) -> OpenItem:
    """ "A goal that needs clarification … gets a deadline for the answer"
    (docs/domain.md § The conversation — six phases, phase 4); phase 6 agrees the deadlines for open
    items."""
    require_write(round_policies.may_use_open_items(viewer, conversation))
    _check_round_open(conversation)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The date has passed. Choose today or a later date.")})
    item = OpenItem.objects.create(
        conversation=conversation,
        text=text.strip(),
        responsible=responsible.strip(),
        deadline=deadline,
        created_by=viewer.person,
    )
    audit_record(
        actor=viewer.user,
        action="conversations.open_item_added",
        target=item,
        subject_person_id=conversation.employee_id,
    )
    return item


@transaction.atomic
def open_item_answer(*, viewer: Viewer, item: OpenItem, answer: str, notify: bool = True) -> OpenItem:
    """The answer to an open item; "the employee is told when one is answered (a link, never the
    answer)" (docs/domain.md § The meeting and its outcome), unless they answered it themself, or
    the caller tells them in its own words (``notify`` False: the answer to a seat request)."""
    require_write(round_policies.may_use_open_items(viewer, item.conversation))
    _check_round_open(item.conversation)
    before = item.answer
    now = timezone.now()
    if before and not answer.strip() and refused_by_any(answer_withdrawal_refused, conversation=item.conversation):
        # Taking the answer back would reopen an item under a plan already signed.
        raise ValidationError({"answer": _("The plan is signed: the answer cannot be taken back. Correct it instead.")})
    item.answer = answer.strip()
    item.answered_at = now if item.answer else None
    item.save(update_fields=["answer", "answered_at"])
    audit_record(
        actor=viewer.user,
        action="conversations.open_item_answered",
        target=item,
        subject_person_id=item.conversation.employee_id,
    )
    employee = item.conversation.employee
    if notify and item.answer and item.answer != before and viewer.person_id != employee.pk:
        outbox_enqueue(
            kind="conversations.open_item_answered",
            to_email=employee.email,
            language=getattr(employee.user, "language", "") or "da",
            context={"conversation": item.conversation_id, "person": employee.pk},
            dedupe_key=f"conversations.open_item_answered:{item.uuid}:{now.isoformat()}",
        )
    return item


@transaction.atomic
def open_item_remove(*, viewer: Viewer, item: OpenItem) -> None:
    """Before the conversation is held either side removes an item; after it, the item is the
    leader's to clarify (it holds up the plan's signatures), so only the leader removes it."""
    require_write(round_policies.may_use_open_items(viewer, item.conversation))
    if item.conversation.status == ConversationStatus.HELD:
        require_write(round_policies.may_record_outcome(viewer, item.conversation))
    audit_record(
        actor=viewer.user,
        action="conversations.open_item_removed",
        target=item,
        subject_person_id=item.conversation.employee_id,
    )
    item.delete()


# The outcome -----------------------------------------------------------------------------------


def held_on_suggestion(conversation: Conversation, *, today: date | None = None) -> date:
    """The day the outcome form suggests: the day it was recorded held, else the booked day once
    it has come, else today (a conversation is marked held after it, never ahead)."""
    today = today or timezone.localdate()
    if conversation.held_on is not None:
        return conversation.held_on
    if conversation.starts_at is not None:
        booked = timezone.localtime(conversation.starts_at).date()
        if booked <= today:
            return booked
    return today


def outcome_may_be_corrected(conversation: Conversation) -> bool:
    """Corrections are allowed until the employee has started the development plan (saved it
    once): the plan made when the conversation was marked held is empty until then, and goes
    with a correction to "not held" or an undo."""
    return not refused_by_any(outcome_correction_refused, conversation=conversation)


def _check_correctable(conversation: Conversation) -> None:
    if conversation.status in OVER and not outcome_may_be_corrected(conversation):
        raise ValidationError(_("The development plan has been started: the outcome can no longer be corrected."))


@transaction.atomic
def conversation_mark_held(*, viewer: Viewer, conversation: Conversation, held_on: date) -> Conversation:
    """ "The leader marks the conversation held …, which starts the plan's clock"
    (docs/domain.md § The meeting and its outcome): ``plan_due_on`` counts from ``held_on``. Not in
    the future, not before the round opened; ``held_with`` is the leader who held it. Held on
    another day than booked, the booked time moves to that day and everyone invited gets the
    calendar update."""
    require_write(round_policies.may_record_outcome(viewer, conversation))
    locked = _locked(conversation)
    _check_correctable(locked)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date is in the future. A conversation is marked held after it.")})
    if held_on < locked.round.opens_on:
        raise ValidationError({"held_on": _("The date is before the round opened.")})
    correction = locked.status in OVER
    scheduling.conversation_move_to_held_day(viewer=viewer, conversation=locked, held_on=held_on)
    locked.status = ConversationStatus.HELD
    locked.held_on = held_on
    locked.held_with = viewer.person
    locked.not_held_reason = ""
    locked.not_held_note = ""
    locked.save(update_fields=["status", "held_on", "held_with", "not_held_reason", "not_held_note"])
    # The plan starts here, in the same transaction: due the concept's days after the conversation.
    conversation_held.send(sender=Conversation, conversation=locked)
    conversations_changed.send(sender=Conversation, conversation_ids=[locked.pk])
    audit_record(
        actor=viewer.user,
        action="conversations.outcome_corrected" if correction else "conversations.outcome_recorded",
        target=locked,
        subject_person_id=locked.employee_id,
        data={"status": locked.status, "held_on": held_on.isoformat()},
    )
    return locked


@transaction.atomic
def conversation_mark_not_held(
    *, viewer: Viewer, conversation: Conversation, reason: str, note: str = ""
) -> Conversation:
    """ "… or not held, with a reason: long leave, left the organisation, declined". A time still
    ahead is taken off everyone's calendar."""
    require_write(round_policies.may_record_outcome(viewer, conversation))
    locked = _locked(conversation)
    _check_correctable(locked)
    if reason not in NotHeldReason.values:
        raise ValidationError({"reason": _("Choose why the conversation will not be held.")})
    if reason == NotHeldReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Write a short note about the reason.")})
    correction = locked.status in OVER
    scheduling.conversation_withdraw_from_calendars(viewer=viewer, conversation=locked)
    locked.status = ConversationStatus.NOT_HELD
    locked.held_on = None
    locked.held_with = None
    locked.not_held_reason = reason
    locked.not_held_note = note.strip()
    locked.save(update_fields=["status", "held_on", "held_with", "not_held_reason", "not_held_note"])
    conversation_unheld.send(sender=Conversation, conversation=locked)
    conversations_changed.send(sender=Conversation, conversation_ids=[locked.pk])
    audit_record(
        actor=viewer.user,
        action="conversations.outcome_corrected" if correction else "conversations.outcome_recorded",
        target=locked,
        subject_person_id=locked.employee_id,
        data={"status": locked.status, "reason": reason},  # the note may be personal: not in the trail
    )
    return locked


@transaction.atomic
def conversation_outcome_clear(*, viewer: Viewer, conversation: Conversation) -> Conversation:
    """Undo a recorded outcome (marked held by mistake): back to scheduled or to be scheduled."""
    require_write(round_policies.may_record_outcome(viewer, conversation))
    locked = _locked(conversation)
    if locked.status not in OVER:
        return locked
    _check_correctable(locked)
    locked.status = ConversationStatus.SCHEDULED if locked.starts_at else ConversationStatus.INVITED
    locked.held_on = None
    locked.held_with = None
    locked.not_held_reason = ""
    locked.not_held_note = ""
    locked.save(update_fields=["status", "held_on", "held_with", "not_held_reason", "not_held_note"])
    conversation_unheld.send(sender=Conversation, conversation=locked)
    conversations_changed.send(sender=Conversation, conversation_ids=[locked.pk])
    audit_record(
        actor=viewer.user,
        action="conversations.outcome_cleared",
        target=locked,
        subject_person_id=locked.employee_id,
        data={"status": locked.status},
    )
    return locked
