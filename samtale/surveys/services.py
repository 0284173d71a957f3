"""Changes to surveys: HR creates one for a round with the default questions, edits them, opens
it (everyone asked gets one e-mail with their link), reminds those who have not answered and
closes it; a person asked answers once.

An answer is written without anything that leads back to its author (see ``models``): the
invitation is only marked answered, in the same transaction, and no audit event is written for
it, since the event's time would pair it with the answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samtale.access import survey_policies
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.conversations.models import Conversation
from samtale.lib.bulk import insert_rows
from samtale.org.models import Person, employed_q
from samtale.outbox.models import OutboxMessage
from samtale.outbox.services import outbox_enqueue_many, outbox_message_build
from samtale.rounds.models import Round, RoundStatus
from samtale.surveys.defaults import default_questions
from samtale.surveys.models import (
    MIN_THRESHOLD,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Side,
    Survey,
    SurveyStatus,
)

INVITATION = "surveys.invitation"
REMINDER = "surveys.reminder"


class SurveyClosedError(Exception):
    """The survey takes no answers (not open yet, or past its last day)."""


class AlreadyAnsweredError(Exception):
    """The person has answered already: each answers once."""


def _require_manager(viewer: Viewer) -> None:
    if not survey_policies.may_manage_surveys(viewer):
        raise PermissionDenied


def _check_settings(*, closes_on: date, threshold: int, today: date) -> None:
    errors: dict[str, str] = {}
    if closes_on < today:
        errors["closes_on"] = _("The last day to answer cannot be in the past.")
    if threshold < MIN_THRESHOLD:
        errors["threshold"] = _("At least %(min)d answers must be needed to show a group's results.") % {
            "min": MIN_THRESHOLD
        }
    if errors:
        raise ValidationError(errors)


def survey_create(*, viewer: Viewer, round_: Round, kind: str, closes_on: date, threshold: int) -> Survey:
    """A survey for a launched or closed round, with the default questions in HR's language."""
    _require_manager(viewer)
    _check_settings(closes_on=closes_on, threshold=threshold, today=timezone.localdate())
    round_.refresh_from_db(fields=["status"])
    if round_.status == RoundStatus.DRAFT:
        raise ValidationError({"round": _("The round has not been launched yet.")})
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                round=round_, kind=kind, closes_on=closes_on, threshold=threshold, created_by=viewer.user
            )
            Question.objects.bulk_create(
                Question(survey=survey, position=position, kind=question_kind, text=text, about_conversation=about)
                for position, (question_kind, text, about) in enumerate(
                    default_questions(kind, language=get_language() or settings.LANGUAGE_CODE), start=1
                )
            )
            audit_record(actor=viewer.user, action="survey.create", target=survey, data={"kind": kind})
    except IntegrityError:
        raise ValidationError({"kind": _("The round already has an evaluation of this kind.")}) from None
    return survey


def survey_settings_update(*, viewer: Viewer, survey: Survey, closes_on: date, threshold: int) -> None:
    """The last day (while the survey is being prepared or open) and the threshold (only while it
    is prepared: changing it later would show groups that were hidden before, or the opposite)."""
    _require_manager(viewer)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        state = survey.state()
        if state == SurveyStatus.CLOSED:
            raise ValidationError(_("The evaluation is closed."))
        if state == SurveyStatus.OPEN and threshold != survey.threshold:
            raise ValidationError({"threshold": _("The threshold cannot change once the evaluation is open.")})
        _check_settings(closes_on=closes_on, threshold=threshold, today=timezone.localdate())
        survey.closes_on, survey.threshold = closes_on, threshold
        survey.save(update_fields=["closes_on", "threshold"])
        audit_record(
            actor=viewer.user,
            action="survey.settings",
            target=survey,
            data={"closes_on": closes_on.isoformat(), "threshold": threshold},
        )


def survey_questions_save(*, viewer: Viewer, survey: Survey, questions: Iterable[tuple[str, str, bool]]) -> None:
    """Replace the questions, as (kind of answer, text, only if the conversation was held), while
    the survey is being prepared (no answer refers to them yet). A 360 asks nobody about a
    conversation."""
    _require_manager(viewer)
    questions = [(kind, text.strip(), about and not survey.is_360) for kind, text, about in questions if text.strip()]
    if not questions:
        raise ValidationError(_("An evaluation needs at least one question."))
    if any(kind not in QuestionKind.values for kind, _text, _about in questions):
        raise ValidationError(_("Choose a kind of answer for every question."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != SurveyStatus.DRAFT:
            raise ValidationError(_("The questions cannot change once the evaluation is open."))
        survey.questions.all().delete()
        Question.objects.bulk_create(
            Question(survey=survey, position=position, kind=kind, text=text, about_conversation=about)
            for position, (kind, text, about) in enumerate(questions, start=1)
        )
        audit_record(actor=viewer.user, action="survey.questions", target=survey, data={"questions": len(questions)})


def _evaluation_rows(survey: Survey, today: date) -> list[dict[str, Any]]:
    """Everyone who took part in the round and is still employed, in the unit they are in now."""
    rows = (
        Conversation.objects.filter(round_id=survey.round_id)
        .filter(employed_q("employee__", on=today))
        .values_list("employee_id", "employee__unit_id")
        .distinct()
    )
    return [
        {"survey_id": survey.pk, "person_id": person_id, "unit_id": unit_id, "side": Side.PARTICIPANT}
        for person_id, unit_id in rows
    ]


def _leader_360_rows(survey: Survey, today: date) -> list[dict[str, Any]]:
    """Every leader with at least one employee: the leader about themself, each of their
    employees, and the leader's own leader."""
    people = {
        pk: (leader_id, unit_id)
        for pk, leader_id, unit_id in Person.objects.filter(employed_q(on=today))
        .values_list("pk", "personnel_leader_id", "unit_id")
        .iterator(chunk_size=5000)
    }
    rows: list[dict[str, Any]] = []
    leaders: set[int] = set()
    for pk, (leader_id, unit_id) in people.items():
        if leader_id in people:
            leaders.add(leader_id)
            rows.append({"person_id": pk, "subject_id": leader_id, "unit_id": unit_id, "side": Side.TEAM})
    for leader_id in leaders:
        own_leader, unit_id = people[leader_id]
        rows.append({"person_id": leader_id, "subject_id": leader_id, "unit_id": unit_id, "side": Side.SELF})
        if own_leader in people:
            rows.append(
                {
                    "person_id": own_leader,
                    "subject_id": leader_id,
                    "unit_id": people[own_leader][1],
                    "side": Side.LEADER,
                }
            )
    for row in rows:
        row["survey_id"] = survey.pk
    return rows


def survey_open(*, viewer: Viewer, survey: Survey) -> int:
    """Ask everyone (bulk SQL) and put one e-mail per person in the outbox, its links made when it
    is sent. Returns how many people are asked."""
    _require_manager(viewer)
    today = timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != SurveyStatus.DRAFT:
            raise ValidationError(_("The evaluation is open already."))
        if survey.closes_on < today:
            raise ValidationError({"closes_on": _("The last day to answer cannot be in the past.")})
        if not survey.questions.exists():
            raise ValidationError(_("An evaluation needs at least one question."))
        rows = _leader_360_rows(survey, today) if survey.is_360 else _evaluation_rows(survey, today)
        insert_rows(Invitation, rows)
        people = {row["person_id"] for row in rows}
        survey.status, survey.opened_at = SurveyStatus.OPEN, timezone.now()
        survey.save(update_fields=["status", "opened_at"])
        _enqueue(survey, people, kind=INVITATION, key=f"{INVITATION}:{survey.pk}")
        audit_record(
            actor=viewer.user,
            action="survey.open",
            target=survey,
            data={"invitations": len(rows), "people": len(people)},
        )
    return len(people)


def _enqueue(survey: Survey, people: set[int], *, kind: str, key: str) -> int:
    addresses = Person.objects.filter(pk__in=people).values_list("pk", "email", "user__language")
    drafts = [
        outbox_message_build(
            kind=kind,
            to_email=email,
            language=language or settings.LANGUAGE_CODE,
            context={"survey": survey.pk, "person": pk},
            dedupe_key=f"{key}:{pk}",
        )
        for pk, email, language in addresses.iterator(chunk_size=5000)
    ]
    return outbox_enqueue_many(messages=drafts)


@dataclass(frozen=True)
class ReminderResult:
    waiting: int  # people asked who have not answered
    sent: int  # of those, the ones not reminded already today


def survey_remind(*, viewer: Viewer, survey: Survey, today: date | None = None) -> ReminderResult:
    """One reminder per person with a form still to answer, at most once a day."""
    _require_manager(viewer)
    today = today or timezone.localdate()
    if not survey.takes_answers(today):
        raise ValidationError(_("The evaluation takes no answers."))
    with transaction.atomic():
        waiting = set(survey.invitations.filter(answered=False).values_list("person_id", flat=True))
        key = f"{REMINDER}:{survey.pk}:{today.isoformat()}"
        already = {
            int(str(dedupe).rsplit(":", 1)[1])
            for dedupe in OutboxMessage.objects.filter(dedupe_key__startswith=f"{key}:").values_list(
                "dedupe_key", flat=True
            )
        }
        sent = _enqueue(survey, waiting - already, kind=REMINDER, key=key)
        audit_record(
            actor=viewer.user, action="survey.remind", target=survey, data={"waiting": len(waiting), "sent": sent}
        )
    return ReminderResult(waiting=len(waiting), sent=sent)


def survey_close(*, viewer: Viewer, survey: Survey) -> None:
    """Close before the last day: no more answers, and the results can be read."""
    _require_manager(viewer)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.state() != SurveyStatus.OPEN:
            raise ValidationError(_("The evaluation is not open."))
        survey.status, survey.closed_at = SurveyStatus.CLOSED, timezone.now()
        survey.save(update_fields=["status", "closed_at"])
        audit_record(actor=viewer.user, action="survey.close", target=survey)


def survey_answer(
    *, viewer: Viewer, invitation: Invitation, values: Mapping[int, Any], conversation_held: bool | None = None
) -> None:
    """Store one answer, by question id (an int for a scale or yes/no, a string for free text),
    with nothing that leads back to the person; the invitation is marked answered in the same
    transaction, so a second answer (a second tab, a double click) is refused.

    The evaluation of a round needs ``conversation_held``: someone whose conversation has not been
    held answers only the questions that are not about it (any others are left out)."""
    if not survey_policies.may_answer(viewer, invitation):
        raise PermissionDenied
    if conversation_held is None and not invitation.survey.is_360:
        raise ValidationError(_("Say whether your conversation has been held."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        if invitation.answered:
            raise AlreadyAnsweredError
        if not invitation.survey.takes_answers():
            raise SurveyClosedError
        held = None if invitation.survey.is_360 else conversation_held
        questions = [q for q in invitation.survey.questions.all() if held is not False or not q.about_conversation]
        answers = []
        for question in questions:
            value = values.get(question.pk)
            if question.kind == QuestionKind.TEXT:
                text = str(value or "").strip()
                if text:
                    answers.append(Answer(question=question, text=text))
            elif value is not None:
                answers.append(Answer(question=question, value=int(value)))
        updated = Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True)
        if not updated:
            raise AlreadyAnsweredError
        response = Response.objects.create(
            survey_id=invitation.survey_id,
            unit_id=invitation.unit_id,
            subject_id=invitation.subject_id,
            side=invitation.side,
            conversation_held=held,
        )
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
