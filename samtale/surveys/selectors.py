"""Reads of surveys: what a person has to answer, how many have answered, and the results,
shown only for groups that meet the survey's threshold and cannot be worked out by subtraction
(``suppression``). Results exist only once the survey is closed.

The results never name a person: they are counted per unit (the evaluation) or per leader and
side (the 360), from ``Response`` rows that hold nothing else."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from samtale.access import survey_policies
from samtale.access.viewer import Viewer
from samtale.org.models import Person, Unit, path_ids
from samtale.rounds.models import Round, RoundStatus
from samtale.surveys.models import Answer, Invitation, Question, QuestionKind, Response, Side, Survey, SurveyStatus
from samtale.surveys.suppression import ROOT, shown_groups, shown_within

TEXTS_PER_PAGE = 50


# Surveys and invitations ------------------------------------------------------------------------


def survey_by_uuid(*, survey_uuid: UUID | str) -> Survey | None:
    return Survey.objects.select_related("round").filter(uuid=survey_uuid).first()


def surveys_all() -> QuerySet[Survey]:
    return Survey.objects.select_related("round").order_by("-created_at")


def surveys_with_results() -> QuerySet[Survey]:
    """Closed surveys (by status, or past their last day): the ones whose results can be read."""
    today = timezone.localdate()
    return surveys_all().filter(Q(status=SurveyStatus.CLOSED) | Q(status=SurveyStatus.OPEN, closes_on__lt=today))


def rounds_for_surveys() -> QuerySet[Round]:
    return Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-opens_on")


def invitation_by_uuid(*, invitation_uuid: UUID | str) -> Invitation | None:
    return Invitation.objects.select_related("survey__round", "subject").filter(uuid=invitation_uuid).first()


def invitations_waiting(*, person: Person, today: date | None = None) -> list[Invitation]:
    """What the person has still to answer, in surveys open today."""
    today = today or timezone.localdate()
    return list(
        Invitation.objects.filter(
            person=person, answered=False, survey__status=SurveyStatus.OPEN, survey__closes_on__gte=today
        )
        .select_related("survey__round", "subject")
        .order_by("survey__closes_on", "side", "subject__name")
    )


def question_list(*, survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "pk"))


@dataclass(frozen=True)
class Participation:
    """How many have answered: shown as a number only once it meets the threshold (a smaller
    count is itself a group under the threshold)."""

    asked: int
    answered: int
    threshold: int

    @property
    def shown(self) -> bool:
        return self.answered >= self.threshold

    @property
    def percent(self) -> int:
        return self.answered * 100 // self.asked if self.asked else 0


def participation(*, survey: Survey) -> Participation:
    figures = survey.invitations.aggregate(asked=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
    return Participation(asked=figures["asked"], answered=figures["answered"], threshold=survey.threshold)


# Results ----------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    # A scale: how many answered 1, 2, 3, 4, 5; yes or no: how many answered no and yes.
    distribution: list[int]
    texts: list[str] = field(default_factory=list)
    # A question about the conversation, in a group where too few whose conversation was held
    # answered: nothing of it is shown (the distribution is left empty).
    hidden: bool = False

    @property
    def count(self) -> int:
        return sum(self.distribution)

    @property
    def values(self) -> list[int]:
        return [1, 2, 3, 4, 5] if self.question.kind == QuestionKind.SCALE else [0, 1]

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return sum(v * n for v, n in zip(self.values, self.distribution, strict=True)) / self.count

    @property
    def spread(self) -> float | None:
        """The standard deviation of the answers."""
        mean = self.mean
        if mean is None:
            return None
        return math.sqrt(
            sum(n * (v - mean) ** 2 for v, n in zip(self.values, self.distribution, strict=True)) / self.count
        )

    @property
    def lowest(self) -> int | None:
        return next((v for v, n in zip(self.values, self.distribution, strict=True) if n), None)

    @property
    def highest(self) -> int | None:
        return next((v for v, n in reversed(list(zip(self.values, self.distribution, strict=True))) if n), None)

    @property
    def yes_percent(self) -> int | None:
        return self.distribution[1] * 100 // self.count if self.count else None

    # Positions on a 1-5 axis drawn 180 wide, for the report's picture.
    @property
    def mean_x(self) -> int:
        return round(((self.mean or 1) - 1) * 45)

    @property
    def band_x(self) -> int:
        return ((self.lowest or 1) - 1) * 45

    @property
    def band_width(self) -> int:
        return ((self.highest or 1) - (self.lowest or 1)) * 45

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(value, count, share in percent) for a chart."""
        total = self.count or 1
        return [(v, n, n * 100 // total) for v, n in zip(self.values, self.distribution, strict=True)]


def _empty(question: Question) -> list[int]:
    return [0] * (5 if question.kind == QuestionKind.SCALE else 2)


def _add(distribution: list[int], question: Question, value: int | None, count: int) -> None:
    if value is None:
        return
    index = value - 1 if question.kind == QuestionKind.SCALE else value
    if 0 <= index < len(distribution):
        distribution[index] += count


@dataclass
class GroupResult:
    """One shown group of the evaluation: the whole round (``unit`` None) or a unit with every
    unit below it."""

    unit: Unit | None
    responses: int
    results: list[QuestionResult]
    depth: int = 0
    not_held: int = 0  # of the answers, those saying the person's conversation has not been held

    @property
    def indent(self) -> range:
        return range(self.depth)

    def result(self, question: Question) -> QuestionResult:
        return next(r for r in self.results if r.question.pk == question.pk)


@dataclass
class EvaluationResults:
    questions: list[Question]
    groups: list[GroupResult]  # the shown groups in the viewer's scope, the round first, by the tree
    hidden_units: int  # units in the scope not shown (too few answers, or derivable)
    threshold: int


def _unit_rows() -> dict[int, tuple[int | None, str]]:
    return {pk: (parent_id, path) for pk, parent_id, path in Unit.objects.values_list("pk", "parent_id", "path")}


def _in_paths(path: str, paths: tuple[str, ...]) -> bool:
    return not paths or any(path.startswith(root) for root in paths)


@dataclass(frozen=True)
class Shown:
    groups: set[int]  # the shown units, and ROOT for the whole round
    units: dict[int, tuple[int | None, str]]  # every unit: its parent and path
    direct: dict[int, int]  # the answers given by people directly in each unit
    # Of the shown groups, those whose answers from people whose conversation was held are shown
    # too (the questions about the conversation), and the answers saying it was not, per unit.
    held: set[int] = field(default_factory=set)
    not_held: dict[int, int] = field(default_factory=dict)

    def hides(self, question: Question, group: int) -> bool:
        return question.about_conversation and group not in self.held


def evaluation_shown(*, survey: Survey) -> Shown:
    """The shown groups for the whole organisation, worked out once for everyone, so that no two
    viewers' pages can be combined into a group under the threshold.

    The questions about the conversation are answered only by those whose conversation was held,
    so a shown group shows them only when its answers from those people meet the threshold and
    cannot be worked out by subtraction either (``suppression.shown_within``)."""
    units = _unit_rows()
    direct: dict[int, int] = defaultdict(int)
    held: dict[int, int] = defaultdict(int)
    not_held: dict[int, int] = {}
    rows = survey.responses.values("unit_id", "conversation_held").annotate(n=Count("pk"))
    for unit_id, conversation_held, n in rows.values_list("unit_id", "conversation_held", "n"):
        direct[unit_id] += n
        if conversation_held is False:
            not_held[unit_id] = n
        else:  # held, or not asked (answered before the question existed): asked everything
            held[unit_id] += n
    parents = {pk: parent for pk, (parent, _path) in units.items()}
    groups = shown_groups(parents=parents, direct=direct, threshold=survey.threshold)
    held_groups = shown_within(parents=parents, part=held, shown=groups, threshold=survey.threshold)
    return Shown(groups=groups, units=units, direct=dict(direct), held=held_groups, not_held=not_held)


def evaluation_results(*, survey: Survey, unit_paths: tuple[str, ...]) -> EvaluationResults:
    """The results of every shown group in the part of the organisation under ``unit_paths``
    (empty: the whole organisation, with the round's total on top). A constant number of queries."""
    questions = question_list(survey=survey)
    found = evaluation_shown(survey=survey)
    shown, units = found.groups, found.units
    visible = {pk for pk in shown if pk != ROOT and _in_paths(units[pk][1], unit_paths)}
    if not unit_paths and ROOT in shown:
        visible.add(ROOT)
    by_question = {q.pk: q for q in questions}
    distributions: dict[int, dict[int, list[int]]] = defaultdict(dict)
    responses: dict[int, int] = defaultdict(int)
    for unit_id, n in found.direct.items():
        for group in _groups_of(unit_id, units, visible):
            responses[group] += n
    not_held: dict[int, int] = defaultdict(int)
    for unit_id, n in found.not_held.items():
        for group in _groups_of(unit_id, units, visible):
            not_held[group] += n
    rows = (
        Answer.objects.filter(response__survey=survey, value__isnull=False)
        .values("response__unit_id", "question_id", "value")
        .annotate(n=Count("pk"))
        .values_list("response__unit_id", "question_id", "value", "n")
    )
    for unit_id, question_id, value, n in rows:
        question = by_question.get(question_id)
        if question is None:
            continue
        for group in _groups_of(unit_id, units, visible):
            distribution = distributions[group].setdefault(question_id, _empty(question))
            _add(distribution, question, value, n)
    shown_units = {u.pk: u for u in Unit.objects.filter(pk__in=visible - {ROOT})}
    order = sorted(visible, key=lambda pk: "" if pk == ROOT else units[pk][1])
    top_depth = min((shown_units[pk].depth for pk in shown_units), default=0)
    groups = [
        GroupResult(
            unit=shown_units.get(pk),
            responses=responses[pk],
            results=[
                QuestionResult(question=q, distribution=_empty(q), hidden=True)
                if found.hides(q, pk)
                else QuestionResult(question=q, distribution=distributions[pk].get(q.pk, _empty(q)))
                for q in questions
                if q.kind != QuestionKind.TEXT
            ],
            depth=0 if pk == ROOT else shown_units[pk].depth - top_depth + (0 if unit_paths else 1),
            not_held=not_held[pk],
        )
        for pk in order
    ]
    in_scope = sum(1 for _parent, path in units.values() if _in_paths(path, unit_paths))
    return EvaluationResults(
        questions=questions,
        groups=groups,
        hidden_units=in_scope - len(visible - {ROOT}),
        threshold=survey.threshold,
    )


def _groups_of(unit_id: int, units: dict[int, tuple[int | None, str]], visible: set[int]) -> list[int]:
    """The visible groups an answer from the unit counts in: the unit, the units above it, the
    round."""
    lineage = path_ids(units[unit_id][1]) if unit_id in units else []
    return [group for group in (ROOT, *lineage) if group in visible]


def evaluation_group(
    *, survey: Survey, unit_paths: tuple[str, ...], unit: Unit | None, text_page: str | int | None = 1
) -> tuple[GroupResult, list[tuple[Question, Page | None]]] | None:
    """One shown group in the viewer's scope (``unit`` None: the whole round, for a viewer of the
    whole organisation), with every question and a page of each free-text question's answers (no
    page for a question about the conversation the group may not show). None when the group is
    hidden or outside the scope."""
    found = evaluation_shown(survey=survey)
    shown = found.groups
    if unit is None:
        if unit_paths or ROOT not in shown:
            return None
        responses = Response.objects.filter(survey=survey)
    else:
        if unit.pk not in shown or not _in_paths(unit.path, unit_paths):
            return None
        responses = Response.objects.filter(survey=survey, unit__path__startswith=unit.path)
    group_id = ROOT if unit is None else unit.pk
    questions = question_list(survey=survey)
    hidden = {q.pk for q in questions if found.hides(q, group_id)}
    distributions = {q.pk: _empty(q) for q in questions if q.kind != QuestionKind.TEXT}
    by_question = {q.pk: q for q in questions}
    rows = (
        Answer.objects.filter(response__in=responses, value__isnull=False)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .values_list("question_id", "value", "n")
    )
    for question_id, value, n in rows:
        if question_id in distributions and question_id not in hidden:
            _add(distributions[question_id], by_question[question_id], value, n)
    # Free texts in an order that says nothing about who wrote them or when: by the random id of
    # their response.
    texts: list[tuple[Question, Page | None]] = [
        (
            q,
            None
            if q.pk in hidden
            else Paginator(
                Answer.objects.filter(response__in=responses, question=q)
                .order_by("response_id")
                .values_list("text", flat=True),
                TEXTS_PER_PAGE,
            ).get_page(text_page),
        )
        for q in questions
        if q.kind == QuestionKind.TEXT
    ]
    in_group = {pk for pk, (_parent, path) in found.units.items() if unit is None or path.startswith(unit.path)}
    group = GroupResult(
        unit=unit,
        responses=responses.count(),
        results=[
            QuestionResult(question=q, distribution=distributions[q.pk], hidden=q.pk in hidden)
            for q in questions
            if q.pk in distributions
        ],
        not_held=sum(n for unit_id, n in found.not_held.items() if unit_id in in_group),
    )
    return group, texts


# The 360-degree evaluation ----------------------------------------------------------------------


@dataclass
class SideResult:
    """A leader's self-assessment, or their own leader's, question by question."""

    values: dict[int, int]
    texts: dict[int, str]


@dataclass
class LeaderReport:
    leader: Person
    team_answers: int
    shown: bool  # the team's answers meet the threshold
    questions: list[Question]
    team: list[QuestionResult]
    self_side: SideResult | None
    leader_side: SideResult | None
    threshold: int

    @property
    def rows(self) -> list[tuple[QuestionResult, int | None, int | None]]:
        """Per rating question: the team's result, the leader's own answer, their leader's."""
        own = self.self_side.values if self.self_side else {}
        above = self.leader_side.values if self.leader_side else {}
        return [
            (r, own.get(r.question.pk), above.get(r.question.pk))
            for r in self.team
            if r.question.kind != QuestionKind.TEXT
        ]

    @property
    def text_rows(self) -> list[tuple[QuestionResult, str, str]]:
        own = self.self_side.texts if self.self_side else {}
        above = self.leader_side.texts if self.leader_side else {}
        return [
            (r, own.get(r.question.pk, ""), above.get(r.question.pk, ""))
            for r in self.team
            if r.question.kind == QuestionKind.TEXT
        ]


def leader_report(*, survey: Survey, leader: Person) -> LeaderReport:
    """The report on one leader: nothing but the fact that there are too few answers unless the
    team's answers meet the threshold."""
    questions = question_list(survey=survey)
    responses = Response.objects.filter(survey=survey, subject=leader)
    team_answers = responses.filter(side=Side.TEAM).count()
    report = LeaderReport(
        leader=leader,
        team_answers=0,
        shown=team_answers >= survey.threshold,
        questions=questions,
        team=[],
        self_side=None,
        leader_side=None,
        threshold=survey.threshold,
    )
    if not report.shown:
        return report
    report.team_answers = team_answers
    distributions = {q.pk: _empty(q) for q in questions if q.kind != QuestionKind.TEXT}
    by_question = {q.pk: q for q in questions}
    texts: dict[int, list[str]] = defaultdict(list)
    sides: dict[str, SideResult] = {}
    rows = (
        Answer.objects.filter(response__in=responses)
        .order_by("response_id")
        .values_list("response__side", "question_id", "value", "text")
    )
    for side, question_id, value, text in rows:
        if side == Side.TEAM:
            if value is not None and question_id in distributions:
                _add(distributions[question_id], by_question[question_id], value, 1)
            elif text:
                texts[question_id].append(text)
        else:
            result = sides.setdefault(side, SideResult(values={}, texts={}))
            if value is not None:
                result.values[question_id] = value
            elif text:
                result.texts[question_id] = text
    report.team = [
        QuestionResult(question=q, distribution=distributions.get(q.pk, []), texts=texts.get(q.pk, []))
        for q in questions
    ]
    report.self_side = sides.get(Side.SELF)
    report.leader_side = sides.get(Side.LEADER)
    return report


def leaders_evaluated(*, survey: Survey) -> QuerySet[Person]:
    """The leaders a 360 asks about (each has a self-assessment invitation)."""
    return Person.objects.filter(
        pk__in=Invitation.objects.filter(survey=survey, side=Side.SELF).values("subject_id")
    ).select_related("unit")


def leader_reports_visible(*, viewer: Viewer, survey: Survey) -> list[Person]:
    """The leaders whose report the viewer may read: themself, and the leaders they lead
    directly or further down."""
    if viewer.person is None:
        return []
    near = Q(pk=viewer.person.pk) | Q(personnel_leader=viewer.person)
    for unit in viewer.led_units:
        near |= Q(unit__path__startswith=unit.path)
    return [
        leader
        for leader in leaders_evaluated(survey=survey).filter(near).order_by("name")
        if survey_policies.may_view_leader_report(viewer, leader)
    ]


@dataclass
class LeaderAggregates:
    leaders: int  # leaders asked about in the scope
    shown: int  # of those, the ones whose team answers meet the threshold
    team: list[QuestionResult]  # the answers of those teams together
    own: dict[int, float]  # the leaders' mean self-assessment per question, if enough leaders
    threshold: int

    @property
    def rows(self) -> list[tuple[QuestionResult, float | None]]:
        return [(r, self.own.get(r.question.pk)) for r in self.team]


def leader_aggregates(*, survey: Survey, unit_paths: tuple[str, ...]) -> LeaderAggregates:
    """Across the leaders in HR's coverage, only the teams that meet the threshold count: what
    can be derived is then a union of shown groups. The leaders' own answers are averaged only
    over at least ``threshold`` leaders."""
    questions = [q for q in question_list(survey=survey) if q.kind != QuestionKind.TEXT]
    leaders = leaders_evaluated(survey=survey)
    if unit_paths:
        scope = Q(pk__in=[])
        for path in unit_paths:
            scope |= Q(unit__path__startswith=path)
        leaders = leaders.filter(scope)
    leader_ids = set(leaders.values_list("pk", flat=True))
    team_counts = (
        Response.objects.filter(survey=survey, side=Side.TEAM, subject_id__in=leader_ids)
        .values("subject_id")
        .annotate(n=Count("pk"))
        .values_list("subject_id", "n")
    )
    shown = {subject for subject, n in team_counts if n >= survey.threshold}
    distributions = {q.pk: _empty(q) for q in questions}
    by_question = {q.pk: q for q in questions}
    own_sum: dict[int, int] = defaultdict(int)
    own_n: dict[int, int] = defaultdict(int)
    rows = (
        Answer.objects.filter(response__survey=survey, response__subject_id__in=shown, value__isnull=False)
        .filter(response__side__in=(Side.TEAM, Side.SELF))
        .values("response__side", "question_id", "value")
        .annotate(n=Count("pk"))
        .values_list("response__side", "question_id", "value", "n")
    )
    for side, question_id, value, n in rows:
        if question_id not in distributions:
            continue
        if side == Side.TEAM:
            _add(distributions[question_id], by_question[question_id], value, n)
        else:
            own_sum[question_id] += (value or 0) * n
            own_n[question_id] += n
    own = {pk: own_sum[pk] / own_n[pk] for pk in own_sum if own_n[pk]} if len(shown) >= survey.threshold else {}
    return LeaderAggregates(
        leaders=len(leader_ids),
        shown=len(shown),
        team=[QuestionResult(question=q, distribution=distributions[q.pk]) for q in questions] if shown else [],
        own=own,
        threshold=survey.threshold,
    )
