"""Changes to conversation concepts: HR copies a concept into a new family of its own, and edits
one. A concept that a round uses is never changed underneath the round: the edit becomes a new
version of the same family, and the round keeps the version it was created with
(docs/domain.md § Concepts: "A concept in use by a round is never changed underneath it").

The keys of phases and questions stay the same across versions, because the minutes of a phase
and the answers to a question are stored under them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.rounds.models import (
    Concept,
    ConceptPhase,
    ConversationKind,
    PreparationForm,
    PreparationQuestion,
    Round,
)

PLAN_DUE_DAYS = (1, 90)
FOLLOW_UP_MONTHS = (1, 24)
NAME_MAX = 200
HEADING_MAX = 200
QUESTION_MAX = 500
LONG_TEXT_MAX = 5000  # description, guidance, inspiration questions
HELP_MAX = 2000
PHASES_MAX = 20
QUESTIONS_MAX = 40
KEY_MAX = 40
# Keys are ASCII; Danish letters are spelled out as Danes do when they cannot be typed.
_SPELLED_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


@dataclass(frozen=True)
class PhaseInput:
    """A phase as HR submits it; ``key`` is empty for a new phase."""

    heading: str
    guidance: str = ""
    questions: str = ""
    key: str = ""


@dataclass(frozen=True)
class QuestionInput:
    """A preparation question as HR submits it; ``key`` is empty for a new question."""

    text: str
    help: str = ""
    key: str = ""


@dataclass(frozen=True)
class ConceptInput:
    name: str
    kind: str
    description: str
    plan_due_days: int
    follow_up_within_months: int
    phases: Sequence[PhaseInput]
    employee_questions: Sequence[QuestionInput]
    leader_questions: Sequence[QuestionInput]


@dataclass(frozen=True)
class ConceptChange:
    concept: Concept  # the version that is current after the change
    changed: bool
    new_version: bool


def _lines(text: str) -> str:
    """Inspiration questions one per line, without blank lines or trailing spaces."""
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").splitlines() if line.strip())


def _normalise(data: ConceptInput) -> ConceptInput:
    return ConceptInput(
        name=data.name.strip(),
        kind=data.kind,
        description=data.description.strip(),
        plan_due_days=data.plan_due_days,
        follow_up_within_months=data.follow_up_within_months,
        phases=[
            PhaseInput(
                heading=p.heading.strip(), guidance=p.guidance.strip(), questions=_lines(p.questions), key=p.key.strip()
            )
            for p in data.phases
        ],
        employee_questions=[
            QuestionInput(text=q.text.strip(), help=q.help.strip(), key=q.key.strip()) for q in data.employee_questions
        ],
        leader_questions=[
            QuestionInput(text=q.text.strip(), help=q.help.strip(), key=q.key.strip()) for q in data.leader_questions
        ],
    )


def _check_name(name: str, *, family: UUID | None) -> None:
    if not name:
        raise ValidationError({"name": _("Give the concept a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("The name can be at most %(max)d characters.") % {"max": NAME_MAX}})
    others = Concept.objects.filter(is_current=True, name__iexact=name)
    if family is not None:
        others = others.exclude(family=family)
    if others.exists():
        raise ValidationError({"name": _("There is already a concept called %(name)s.") % {"name": name}})


def _validate(data: ConceptInput, *, family: UUID) -> None:
    """Every rule of a concept, with a message that says what to do. Raises one ValidationError
    with every problem found, keyed by the part of the form it belongs to."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        _check_name(data.name, family=family)
    except ValidationError as error:
        errors.update(error.message_dict)
    if data.kind not in ConversationKind.values:
        add("kind", _("Choose which kind of conversation this is."))
    if len(data.description) > LONG_TEXT_MAX:
        add("description", _("The description can be at most %(max)d characters.") % {"max": LONG_TEXT_MAX})
    low, high = PLAN_DUE_DAYS
    if not low <= data.plan_due_days <= high:
        add(
            "plan_due_days",
            _("The plan must be due between %(low)d and %(high)d days after the conversation.")
            % {"low": low, "high": high},
        )
    low, high = FOLLOW_UP_MONTHS
    if not low <= data.follow_up_within_months <= high:
        add(
            "follow_up_within_months",
            _("The follow-up must be held between %(low)d and %(high)d months after the conversation.")
            % {"low": low, "high": high},
        )

    if not data.phases:
        add("phases", _("A concept needs at least one phase."))
    if len(data.phases) > PHASES_MAX:
        add("phases", _("A concept can have at most %(max)d phases.") % {"max": PHASES_MAX})
    for number, phase in enumerate(data.phases, start=1):
        if not phase.heading:
            add("phases", _("Phase %(number)d needs a heading.") % {"number": number})
        elif len(phase.heading) > HEADING_MAX:
            add(
                "phases",
                _("The heading of phase %(number)d can be at most %(max)d characters.")
                % {"number": number, "max": HEADING_MAX},
            )
        if len(phase.guidance) > LONG_TEXT_MAX or len(phase.questions) > LONG_TEXT_MAX:
            add(
                "phases",
                _("The guidance and the questions of phase %(number)d can be at most %(max)d characters each.")
                % {"number": number, "max": LONG_TEXT_MAX},
            )

    for field, questions, label in (
        ("employee_questions", data.employee_questions, _("the employee's preparation")),
        ("leader_questions", data.leader_questions, _("the leader's preparation")),
    ):
        if len(questions) > QUESTIONS_MAX:
            add(field, _("A preparation form can have at most %(max)d questions.") % {"max": QUESTIONS_MAX})
        for number, question in enumerate(questions, start=1):
            where = {"number": number, "form": label}
            if not question.text:
                add(field, _("Question %(number)d in %(form)s needs a text.") % where)
            elif len(question.text) > QUESTION_MAX:
                add(
                    field,
                    _("Question %(number)d in %(form)s can be at most %(max)d characters.")
                    % {**where, "max": QUESTION_MAX},
                )
            if len(question.help) > HELP_MAX:
                add(
                    field,
                    _("The help for question %(number)d in %(form)s can be at most %(max)d characters.")
                    % {**where, "max": HELP_MAX},
                )
    if errors:
        raise ValidationError(errors)


def _keys(texts: Iterable[tuple[str, str]], *, known: set[str], fallback: str) -> list[str]:
    """A key for each (submitted key, text): a key the concept already has is kept (once); a new
    row gets one made from its text, unique within the concept."""
    rows = list(texts)
    used: set[str] = set()
    keys: list[str] = []
    for key, _text in rows:
        keep = key if key in known and key not in used else ""
        used.add(keep)
        keys.append(keep)
    for index, (_key, text) in enumerate(rows):
        if keys[index]:
            continue
        base = slugify(text.translate(_SPELLED_OUT))[: KEY_MAX - 4].strip("-") or fallback
        key, number = base, 2
        while key in used:
            key, number = f"{base}-{number}", number + 1
        used.add(key)
        keys[index] = key
    return keys


def _content(
    *,
    name: str,
    kind: str,
    description: str,
    plan_due_days: int,
    follow_up_within_months: int,
    phases: Iterable[tuple[str, str, str]],
    employee_questions: Iterable[tuple[str, str]],
    leader_questions: Iterable[tuple[str, str]],
) -> str:
    """What a concept says, without its keys: two equal contents are the same concept."""
    return json.dumps(
        [
            name,
            kind,
            description,
            plan_due_days,
            follow_up_within_months,
            [list(p) for p in phases],
            [list(q) for q in employee_questions],
            [list(q) for q in leader_questions],
        ],
        ensure_ascii=False,
    )


def _content_of_concept(concept: Concept) -> str:
    """Uses ``phases`` and ``questions`` as prefetched (ordered by the models' Meta)."""
    questions = list(concept.questions.all())
    return _content(
        name=concept.name,
        kind=concept.kind,
        description=concept.description,
        plan_due_days=concept.plan_due_days,
        follow_up_within_months=concept.follow_up_within_months,
        phases=[(p.heading, p.guidance, p.questions) for p in concept.phases.all()],
        employee_questions=[(q.text, q.help) for q in questions if q.form == PreparationForm.EMPLOYEE],
        leader_questions=[(q.text, q.help) for q in questions if q.form == PreparationForm.LEADER],
    )


def _content_of_input(data: ConceptInput) -> str:
    return _content(
        name=data.name,
        kind=data.kind,
        description=data.description,
        plan_due_days=data.plan_due_days,
        follow_up_within_months=data.follow_up_within_months,
        phases=[(p.heading, p.guidance, p.questions) for p in data.phases],
        employee_questions=[(q.text, q.help) for q in data.employee_questions],
        leader_questions=[(q.text, q.help) for q in data.leader_questions],
    )


def concept_fingerprint(concept: Concept) -> str:
    """A short digest of what the concept says. The edit form carries it, so that a save over
    someone else's newer save is told instead of overwriting it."""
    return hashlib.sha256(_content_of_concept(concept).encode()).hexdigest()[:32]


def _with_children(pk: int) -> Concept:
    return Concept.objects.prefetch_related("phases", "questions").get(pk=pk)


def _create_children(concept: Concept, data: ConceptInput, *, source: Concept | None) -> None:
    known_phases = {p.key for p in source.phases.all()} if source else set()
    known_questions: dict[str, set[str]] = {PreparationForm.EMPLOYEE: set(), PreparationForm.LEADER: set()}
    if source:
        for question in source.questions.all():
            known_questions[question.form].add(question.key)
    phase_keys = _keys(((p.key, p.heading) for p in data.phases), known=known_phases, fallback="phase")
    ConceptPhase.objects.bulk_create(
        ConceptPhase(
            concept=concept, order=index, key=key, heading=p.heading, guidance=p.guidance, questions=p.questions
        )
        for index, (p, key) in enumerate(zip(data.phases, phase_keys, strict=True), start=1)
    )
    rows: list[PreparationQuestion] = []
    for form, questions in (
        (PreparationForm.EMPLOYEE, data.employee_questions),
        (PreparationForm.LEADER, data.leader_questions),
    ):
        keys = _keys(((q.key, q.text) for q in questions), known=known_questions[form], fallback="question")
        rows.extend(
            PreparationQuestion(concept=concept, form=form, order=index, key=key, text=q.text, help=q.help)
            for index, (q, key) in enumerate(zip(questions, keys, strict=True), start=1)
        )
    PreparationQuestion.objects.bulk_create(rows)


def concept_input_of(concept: Concept) -> ConceptInput:
    """What the concept says, as input for a copy or an edit (with its keys)."""
    questions = list(concept.questions.all())
    return ConceptInput(
        name=concept.name,
        kind=concept.kind,
        description=concept.description,
        plan_due_days=concept.plan_due_days,
        follow_up_within_months=concept.follow_up_within_months,
        phases=[PhaseInput(p.heading, p.guidance, p.questions, p.key) for p in concept.phases.all()],
        employee_questions=[
            QuestionInput(q.text, q.help, q.key) for q in questions if q.form == PreparationForm.EMPLOYEE
        ],
        leader_questions=[QuestionInput(q.text, q.help, q.key) for q in questions if q.form == PreparationForm.LEADER],
    )


@transaction.atomic
def concept_copy(*, viewer: Viewer, concept: Concept, name: str) -> Concept:
    """ "HR can copy and edit a concept for their organisation": the copy starts a family of its
    own (version 1) with the same phases, questions and deadlines, and the same keys."""
    require_write(round_policies.may_manage_concepts(viewer))
    name = name.strip()
    _check_name(name, family=None)
    source = _with_children(concept.pk)
    copy = Concept.objects.create(
        family=uuid4(),
        version=1,
        name=name,
        kind=source.kind,
        description=source.description,
        plan_due_days=source.plan_due_days,
        follow_up_within_months=source.follow_up_within_months,
        guide=source.guide,
        created_by=viewer.user,
    )
    data = concept_input_of(source)
    _create_children(copy, data, source=source)
    audit_record(
        actor=viewer.user,
        action="rounds.concept_copied",
        target=copy,
        data={"from": str(source.uuid), "from_version": source.version, "name": name},
    )
    return copy


@transaction.atomic
def concept_update(
    *, viewer: Viewer, concept: Concept, data: ConceptInput, fingerprint: str | None = None
) -> ConceptChange:
    """Change a concept: its name, kind, description, deadlines, phases and preparation questions.

    If a round uses the concept, the change becomes a new version of the family, and the rounds
    keep the one they have; otherwise the concept is changed in place. ``fingerprint`` is the one
    the edit form was opened with: a save over a change someone made in between is refused with
    a message, never silently lost. Saving what the concept already says changes nothing, so a
    form sent twice makes one change."""
    require_write(round_policies.may_manage_concepts(viewer))
    data = _normalise(data)
    locked = Concept.objects.select_for_update().get(pk=concept.pk)
    _validate(data, family=locked.family)
    if not locked.is_current:
        current = Concept.objects.prefetch_related("phases", "questions").get(family=locked.family, is_current=True)
        if _content_of_concept(current) == _content_of_input(data):
            return ConceptChange(concept=current, changed=False, new_version=False)
        raise ValidationError(
            _(
                "A newer version of this concept (version %(version)d) was saved after you opened it. "
                "Your changes are not saved: open the newest version and make them there."
            )
            % {"version": current.version}
        )
    old = _with_children(locked.pk)
    if _content_of_concept(old) == _content_of_input(data):
        return ConceptChange(concept=old, changed=False, new_version=False)
    if fingerprint is not None and fingerprint != concept_fingerprint(old):
        raise ValidationError(
            _(
                "Someone else saved this concept after you opened it. Your changes are not saved: "
                "open the concept again to see theirs, then make yours."
            )
        )

    in_use = Round.objects.filter(concept=old).exists()
    fields = {
        "name": data.name,
        "kind": data.kind,
        "description": data.description,
        "plan_due_days": data.plan_due_days,
        "follow_up_within_months": data.follow_up_within_months,
    }
    if in_use:
        # The rounds keep this version; the family's current version moves to the new one.
        old.is_current = False
        old.save(update_fields=["is_current"])
        latest = Concept.objects.filter(family=old.family).aggregate(latest=Max("version"))["latest"] or 0
        target = Concept.objects.create(
            family=old.family, version=latest + 1, is_current=True, created_by=viewer.user, guide=old.guide, **fields
        )
    else:
        target = old
        for field, value in fields.items():
            setattr(target, field, value)
        target.save(update_fields=list(fields))
        ConceptPhase.objects.filter(concept=target).delete()
        PreparationQuestion.objects.filter(concept=target).delete()
    _create_children(target, data, source=old)
    audit_record(
        actor=viewer.user,
        action="rounds.concept_versioned" if in_use else "rounds.concept_updated",
        target=target,
        data={"family": str(old.family), "version": target.version, "from_version": old.version},
    )
    return ConceptChange(concept=target, changed=True, new_version=in_use)
