"""Everything Samtale holds about a person, in one ZIP (GDPR Art. 15 and 20; docs/trust.md § Right of
access): ``samtale-data.json`` for machines and ``samtale-data.html`` to read, built from the same
structure.

What is theirs is there in full: their person record and roles, their conversations with times and
attendees, their own preparations, the special topics, the minutes and open items, the must-improve
notice, every plan version with its comments and signatures, progress, departures and the follow-up,
the evaluations they were asked to answer (not the answers: those are anonymous), the e-mails sent
to them, and the audit events about their records (who read or changed what, when). The leader's
private preparation is listed with its date; its text only when the data protection officer has
decided so (``PrivacySetting``). Of anyone else only names already shown to the person appear.

Each record is written field by field from the model's own metadata, so a field added tomorrow is
in the export without anyone remembering to add it.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samtale.audit.models import AuditEvent
from samtale.competences.models import EducationEntry, Registration
from samtale.conversations.models import Conversation
from samtale.learning.models import SeatRequest
from samtale.org.models import Person
from samtale.outbox.kinds import builder_for
from samtale.outbox.models import OutboxMessage
from samtale.plans.models import Plan
from samtale.privacy.models import PrivacySetting
from samtale.rounds.models import PreparationQuestion
from samtale.surveys.models import Invitation

# Fields that are bookkeeping, not information about the person.
_SKIPPED = {"id", "calendar_sequence", "revision", "dedupe_key", "claim", "claimed_until", "language"}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, dict, int, float, bool)) or value is None:
        return value
    return str(value)


def record(instance: models.Model, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One row as ``{field label: value}``: a person it points at by name, choices by their label."""
    fields: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIPPED or field.name in skip:
            continue
        if isinstance(field, models.ForeignKey):
            target = getattr(instance, field.name)
            if isinstance(target, Person) or target is None:
                fields[str(field.verbose_name)] = target.name if target is not None else None
            continue  # a key to anything else (the round, the plan) is the structure itself
        if field.choices:
            value: Any = getattr(instance, f"get_{field.name}_display")()
        else:
            value = getattr(instance, field.attname)
        if value in ("", None, {}, []):
            continue
        fields[str(field.verbose_name)] = _value(value)
    return fields


def _questions(concept_ids: set[int]) -> dict[tuple[int, str], str]:
    return {
        (concept_id, key): text
        for concept_id, key, text in PreparationQuestion.objects.filter(concept_id__in=concept_ids).values_list(
            "concept_id", "key", "text"
        )
    }


def _answers(answers: dict[str, Any], concept_id: int, questions: dict[tuple[int, str], str]) -> list[dict[str, Any]]:
    return [
        {"question": questions.get((concept_id, key), key), "answer": text} for key, text in answers.items() if text
    ]


def _plan(plan: Plan) -> dict[str, Any]:
    versions = []
    for version in plan.versions.order_by("number"):
        versions.append(
            {
                **record(version),
                "comments": [record(c) for c in version.comments.select_related("author").order_by("created_at")],
                "signatures": [record(s) for s in version.signatures.select_related("person").order_by("signed_at")],
            }
        )
    follow_up = getattr(plan, "follow_up", None)
    return {
        **record(plan),
        "versions": versions,
        "progress": [record(p) for p in plan.progress.select_related("recorded_by").order_by("recorded_at")],
        "departures": [record(d) for d in plan.departures.select_related("raised_by").order_by("created_at")],
        "follow_up": record(follow_up) if follow_up is not None else None,
    }


def _conversation(
    conversation: Conversation, questions: dict[tuple[int, str], str], leader_text: bool
) -> dict[str, Any]:
    concept_id = conversation.round.concept_id
    entry: dict[str, Any] = {
        "round": conversation.round.name,
        **record(conversation, skip=frozenset({"round", "employee"})),
        "special_topics": [record(t) for t in conversation.special_topics.select_related("raised_by")],
        "open_items": [record(i) for i in conversation.open_items.select_related("created_by")],
    }
    employee_preparation = getattr(conversation, "employee_preparation", None)
    if employee_preparation is not None:
        entry["my_preparation"] = {
            **record(employee_preparation, skip=frozenset({"answers", "conversation"})),
            "answers": _answers(employee_preparation.answers, concept_id, questions),
        }
    leader_preparation = getattr(conversation, "leader_preparation", None)
    if leader_preparation is not None:
        entry["leader_preparation"] = {"exists": True, "last_changed": _value(leader_preparation.updated_at)}
        if leader_text:
            entry["leader_preparation"].update(record(leader_preparation, skip=frozenset({"conversation", "answers"})))
            entry["leader_preparation"]["answers"] = _answers(leader_preparation.answers, concept_id, questions)
    minutes = getattr(conversation, "minutes", None)
    if minutes is not None:
        entry["minutes"] = record(minutes, skip=frozenset({"conversation"}))
    notice = getattr(conversation, "improvement_notice", None)
    if notice is not None:
        entry["improvement_notice"] = record(notice, skip=frozenset({"conversation"}))
    plan = getattr(conversation, "plan", None)
    if plan is not None:
        entry["plan"] = _plan(plan)
    return entry


def _email(message: OutboxMessage) -> dict[str, Any]:
    entry = record(message, skip=frozenset({"to_email", "last_error", "next_attempt_at", "attempts", "failures"}))
    try:
        with translation.override(message.language):
            email = builder_for(message.kind)(message)
    except Exception:
        email = None
    if email is not None:
        entry["subject"], entry["text"] = str(email.subject), str(email.body)
    else:
        entry["kind"] = message.kind
    return entry


def _actor_names(events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    return dict(Person.objects.filter(user_id__in=ids).values_list("user_id", "name"))


def person_data(person: Person) -> dict[str, Any]:
    """The whole of it as one structure (the JSON of the export)."""
    leader_text = PrivacySetting.current().export_leader_preparation_text
    conversations = list(
        Conversation.objects.filter(employee=person)
        .select_related(
            "round",
            "daily_leader",
            "union_rep",
            "held_with",
            "employee_preparation",
            "leader_preparation",
            "minutes__updated_by",
            "improvement_notice__given_by",
            "plan__follow_up__held_with",
        )
        .order_by("round__opens_on", "pk")
    )
    questions = _questions({c.round.concept_id for c in conversations})
    events = list(AuditEvent.objects.filter(subject_person_id=person.pk).order_by("at", "pk"))
    names = _actor_names(events)
    roles = person.roles.prefetch_related("units").order_by("kind")
    return {
        "exported_at": _value(timezone.now()),
        "person": {
            **record(person, skip=frozenset({"user", "eligibility_override"})),
            "unit": person.unit.name,
            "roles": [
                {"role": role.get_kind_display(), "units": [u.name for u in role.units.all()], "region": role.region}
                for role in roles
            ],
        },
        "conversations": [_conversation(c, questions, leader_text) for c in conversations],
        "evaluations_asked": [
            {"evaluation": str(i.survey), **record(i, skip=frozenset({"survey", "person", "subject", "unit"}))}
            for i in Invitation.objects.filter(person=person).select_related("survey").order_by("pk")
        ],
        "competences": [
            {
                "competence": r.competence.name,
                **record(r, skip=frozenset({"competence", "person"})),
                "history": [record(c, skip=frozenset({"registration"})) for c in r.changes.all()],
            }
            for r in Registration.objects.filter(person=person)
            .select_related("competence", "assessed_by")
            .prefetch_related("changes__by")
            .order_by("competence__name")
        ],
        "education_record": [
            {**record(e, skip=frozenset({"person", "source"})), "competences": [c.name for c in e.competences.all()]}
            for e in EducationEntry.objects.filter(person=person)
            .prefetch_related("competences")
            .order_by("completed_on")
        ],
        "seat_requests": [
            {
                "course": str(r.session),
                **record(r, skip=frozenset({"person", "session", "plan", "open_item", "activity"})),
            }
            for r in SeatRequest.objects.filter(person=person).select_related("session__course", "decided_by")
        ],
        "emails": [
            _email(m) for m in OutboxMessage.objects.filter(to_email__iexact=person.email).order_by("created_at")
        ],
        "audit_events": [
            {
                "at": _value(e.at),
                "who": names.get(e.actor_id or 0, "Samtale" if e.actor_id is None else e.actor_label),
                "action": e.action,
                "outcome": e.get_outcome_display(),
                "object": e.target_type,
            }
            for e in events
        ],
    }


# The headings of the readable page for the JSON's own keys.
HEADINGS = {
    "person": _("You"),
    "roles": _("Roles"),
    "conversations": _("Conversations"),
    "round": _("Round"),
    "special_topics": _("Special topics"),
    "open_items": _("Open items"),
    "my_preparation": _("Your preparation"),
    "answers": _("Answers"),
    "question": _("Question"),
    "answer": _("Answer"),
    "leader_preparation": _("The leader's preparation"),
    "exists": _("Exists"),
    "last_changed": _("Last changed"),
    "minutes": _("Minutes"),
    "improvement_notice": _("Must-improve notice"),
    "plan": _("Development plan"),
    "versions": _("Versions"),
    "comments": _("Comments"),
    "signatures": _("Signatures"),
    "progress": _("Progress"),
    "departures": _("Departures from the plan"),
    "follow_up": _("Follow-up conversation"),
    "evaluations_asked": _("Evaluations you were asked to answer"),
    "evaluation": _("Evaluation"),
    "emails": _("E-mails sent to you"),
    "competences": _("Your registered competences"),
    "competence": _("Competence"),
    "history": _("History"),
    "education_record": _("Education record"),
    "seat_requests": _("Seats on courses you asked for"),
    "course": _("Course"),
    "subject": _("Subject"),
    "text": _("Text"),
    "kind": _("Kind"),
    "audit_events": _("Who read or changed your records"),
    "at": pgettext_lazy("point in time", "When"),
    "who": _("Who"),
    "action": _("Action"),
    "outcome": _("Outcome"),
    "object": _("Object"),
    "exported_at": _("Exported"),
    "unit": _("Unit"),
    "units": _("Units"),
    "role": _("Role"),
    "region": _("Region"),
}


def _tree(value: Any) -> dict[str, Any]:
    """The data as nodes the readable page draws with one recursive template."""
    if isinstance(value, dict):
        return {
            "kind": "dict",
            "items": [
                (str(HEADINGS.get(key, key)), _tree(item)) for key, item in value.items() if item not in (None, [], {})
            ],
        }
    if isinstance(value, list):
        return {"kind": "list", "items": [_tree(item) for item in value]}
    if value is True:
        return {"kind": "text", "value": str(_("Yes"))}
    if value is False:
        return {"kind": "text", "value": str(_("No"))}
    return {"kind": "text", "value": str(value)}


def person_export(person: Person) -> bytes:
    """The ZIP: the JSON and the same as a page to read."""
    data = person_data(person)
    sections = [(str(HEADINGS.get(key, key)), _tree(value)) for key, value in data.items()]
    html = render_to_string("privacy/export.html", {"sections": sections, "person": person})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("samtale-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("samtale-data.html", html)
    return buffer.getvalue()
