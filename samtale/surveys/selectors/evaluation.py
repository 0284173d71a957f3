"""The results of the round's evaluation, per unit with every unit below it: only the groups that
meet the survey's threshold and cannot be worked out by subtraction (``suppression``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count

from samtale.lib.suppression import ROOT, shown_groups, shown_within
from samtale.org.models import Unit, path_ids
from samtale.surveys.models import Answer, Question, QuestionKind, Response, Survey
from samtale.surveys.selectors.results import QuestionResult, add_answers, empty_distribution
from samtale.surveys.selectors.surveys import question_list

TEXTS_PER_PAGE = 50


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
            distribution = distributions[group].setdefault(question_id, empty_distribution(question))
            add_answers(distribution, question, value, n)
    shown_units = {u.pk: u for u in Unit.objects.filter(pk__in=visible - {ROOT})}
    order = sorted(visible, key=lambda pk: "" if pk == ROOT else units[pk][1])
    top_depth = min((shown_units[pk].depth for pk in shown_units), default=0)
    groups = [
        GroupResult(
            unit=shown_units.get(pk),
            responses=responses[pk],
            results=[
                QuestionResult(question=q, distribution=empty_distribution(q), hidden=True)
                if found.hides(q, pk)
                else QuestionResult(question=q, distribution=distributions[pk].get(q.pk, empty_distribution(q)))
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
    distributions = {q.pk: empty_distribution(q) for q in questions if q.kind != QuestionKind.TEXT}
    by_question = {q.pk: q for q in questions}
    rows = (
        Answer.objects.filter(response__in=responses, value__isnull=False)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .values_list("question_id", "value", "n")
    )
    for question_id, value, n in rows:
        if question_id in distributions and question_id not in hidden:
            add_answers(distributions[question_id], by_question[question_id], value, n)
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
