"""The 360-degree evaluation of leaders: the report on one leader (their team's answers, their own
and their leader's), who may read it, and the figures across leaders for HR."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from samtale.access import survey_policies
from samtale.access.viewer import Viewer
from samtale.org.models import Person
from samtale.surveys.models import Answer, Invitation, Question, QuestionKind, Response, Side, Survey
from samtale.surveys.selectors.results import QuestionResult, add_answers, empty_distribution
from samtale.surveys.selectors.surveys import question_list


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
    distributions = {q.pk: empty_distribution(q) for q in questions if q.kind != QuestionKind.TEXT}
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
                add_answers(distributions[question_id], by_question[question_id], value, 1)
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
    distributions = {q.pk: empty_distribution(q) for q in questions}
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
            add_answers(distributions[question_id], by_question[question_id], value, n)
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
