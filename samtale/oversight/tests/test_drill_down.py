"""The drill-down into a unit's people filters, sorts and cuts its pages in SQL: every filter,
sort and page gives the rows the classification in Python gives (the rule before it moved to
SQL), ties and all, before and after the round's deadline; a page reads only its rows; the
queries stay the same whatever the size."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.completion.counters import completion_rebuild
from samtale.conversations.models import Conversation, ConversationStatus, NotHeldReason
from samtale.conversations.services.invitation import round_launch
from samtale.org.models import Person
from samtale.oversight import views
from samtale.oversight.selectors.drill_down import SORTS, STEP_ORDER, unit_people
from samtale.oversight.selectors.scope import Scope, oversight_scope
from samtale.plans.models import FollowUp, FollowUpStatus, Plan, PlanStatus
from samtale.rounds.models import Round
from samtale.testing import Mus, Org, grow_org, make_person, make_unit
from samtale.testing.oversight import deadline_passed, plant_states
from samtale.testing.queries import Page, assert_same_queries
from samtale.testing.signing import english

WHOLE = Scope(whole_organisation=True)
PER_PAGE = 16

# Every state a conversation can be in (by day from today; None: no such date) ...
CONVERSATIONS = [
    (ConversationStatus.INVITED, None, None),
    (ConversationStatus.SCHEDULED, 3, None),  # (status, starts in days, held in days)
    (ConversationStatus.SCHEDULED, -2, None),  # the time has passed, not marked held
    (ConversationStatus.HELD, -30, -30),
    (ConversationStatus.HELD, None, -3),
    (ConversationStatus.NOT_HELD, -1, None),
]
# ... with every state of its plan and follow-up: (plan status, due, handed in, signed, follow-up
# by, follow-up status, follow-up held), in days from today.
PLANS: list[tuple[Any, ...] | None] = [
    None,
    (PlanStatus.DRAFT, -5, None, None, None, None, None),
    (PlanStatus.DRAFT, 5, None, None, None, None, None),
    (PlanStatus.SUBMITTED, -1, -2, None, -1, None, None),
    (PlanStatus.CHANGES_ASKED, 0, -3, None, None, None, None),  # due today: not late yet
    (PlanStatus.SIGNED, -20, -25, -19, -1, None, None),
    (PlanStatus.SIGNED, -20, -25, -3, 30, FollowUpStatus.TO_BE_CALLED, None),
    (PlanStatus.SIGNED, -20, -25, -19, 0, FollowUpStatus.SCHEDULED, None),
    (PlanStatus.SIGNED, -20, -25, -19, -10, FollowUpStatus.HELD, -12),
    (PlanStatus.SIGNED, -20, -25, -19, None, FollowUpStatus.HELD, -3),
]
# Few names, so that many rows tie on the name (and on the state and the latest date).
NAMES = ["Åse Ø", "anna A", "Anna A", "Bo B", "Zoe Z"]


def _day(today: date, days: int | None) -> date | None:
    return None if days is None else today + timedelta(days=days)


def _moment(today: date, days: int | None) -> datetime | None:
    """Ten in the morning of the day (local time), a moment that is on the same day in UTC."""
    if days is None:
        return None
    return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(10)))


def _populate(org: Org, mus: Mus, today: date) -> None:
    """A person in a conversation of each state, with a plan and follow-up of each state, in three
    units (in Børn, every other one in the leader's team); every date relative to today."""
    teams = [
        make_unit("T1", "Hold 1", parent=org.economy),
        make_unit("T2", "Hold 2", parent=org.accounting),
        org.children,
    ]
    cases = list(itertools.product(CONVERSATIONS, PLANS))
    people = []
    for index, _case in enumerate(cases):
        unit = teams[index % len(teams)]
        leader = {"T1": org.head, "T2": org.former_leader}.get(unit.code, org.leader if index % 2 else org.other_head)
        people.append(make_person(NAMES[index % len(NAMES)], unit=unit, leader=leader, password=None))
    round_launch(viewer=viewer_for(org.user("hr")), round_=mus.round)
    for person, ((status, starts, held), plan) in zip(people, cases, strict=True):
        conversation = Conversation.objects.get(round=mus.round, employee=person)
        Conversation.objects.filter(pk=conversation.pk).update(
            status=status,
            starts_at=_moment(today, starts),
            held_on=_day(today, held),
            not_held_reason=NotHeldReason.OTHER if status == ConversationStatus.NOT_HELD else "",
        )
        if plan is None:
            continue
        plan_status, due, submitted, signed, follow_up_by, follow_up, follow_up_held = plan
        created = Plan.objects.create(
            conversation=conversation,
            employee=person,
            status=plan_status,
            due_on=_day(today, due),
            submitted_at=_moment(today, submitted),
            signed_at=_moment(today, signed),
            follow_up_by=_day(today, follow_up_by),
        )
        if follow_up is not None:
            FollowUp.objects.create(plan=created, status=follow_up, held_on=_day(today, follow_up_held))
    # Written straight to the tables, as a bulk writer would: recount.
    completion_rebuild(rounds=[mus.round])


@dataclass(frozen=True)
class Fact:
    """One participant as the drill-down's rules classify them, worked out here in Python."""

    uuid: Any
    path: str
    leader_id: int | None
    step: str
    late: tuple[str, ...]
    latest: date | None


def _facts(round_: Round, today: date) -> list[Fact]:
    """Every conversation of the round, classified as the drill-down did in Python before its
    filters and sorts moved to SQL."""
    deadline_passed = round_.held_by < today
    facts = []
    for conversation in Conversation.objects.filter(round=round_).select_related("employee__unit"):
        plan = Plan.objects.filter(conversation=conversation).first()
        follow_up = FollowUp.objects.filter(plan=plan).first() if plan else None
        follow_up_status = follow_up.status if follow_up else None
        if follow_up_status == FollowUpStatus.HELD:
            step = "follow_up_held"
        elif plan and plan.signed_at:
            step = "plan_signed"
        elif plan and plan.submitted_at:
            step = "plan_submitted"
        else:
            step = conversation.status
        late = []
        if deadline_passed and conversation.status == ConversationStatus.INVITED:
            late.append("overdue_scheduling")
        if deadline_passed and conversation.status in (ConversationStatus.INVITED, ConversationStatus.SCHEDULED):
            late.append("overdue_held")
        if plan and plan.signed_at is None and plan.due_on < today:
            late.append("overdue_plan")
        if plan and plan.follow_up_by and plan.follow_up_by < today and follow_up_status != FollowUpStatus.HELD:
            late.append("overdue_follow_up")
        moments = [
            conversation.starts_at.date() if conversation.starts_at else None,  # the date in UTC, as read
            conversation.held_on,
            plan.submitted_at.date() if plan and plan.submitted_at else None,
            plan.signed_at.date() if plan and plan.signed_at else None,
            follow_up.held_on if follow_up else None,
        ]
        days = [moment for moment in moments if moment is not None]
        facts.append(
            Fact(
                uuid=conversation.employee.uuid,
                path=conversation.employee.unit.path,
                leader_id=conversation.employee.personnel_leader_id,
                step=step,
                late=tuple(late),
                latest=max(days) if days else None,
            )
        )
    return facts


def _expected(
    facts: list[Fact], *, path: str, leader_id: int | None, step: str, overdue: bool, sort: str, today: date
) -> list[tuple[Any, str, tuple[str, ...]]]:
    """The rows below ``path`` (of the leader's team), filtered and sorted as the drill-down did."""
    # Ties on the name go by the employee number: the database's order of names (its collation).
    by_name = {
        uuid: place
        for place, uuid in enumerate(Person.objects.order_by("name", "employee_number").values_list("uuid", flat=True))
    }
    rows = [
        fact
        for fact in facts
        if fact.path.startswith(path)
        and (leader_id is None or fact.leader_id == leader_id)
        and (not step or fact.step == step)
        and (not overdue or fact.late)
    ]
    keys = {
        "name": lambda fact: (by_name[fact.uuid],),
        "state": lambda fact: (STEP_ORDER.index(fact.step), by_name[fact.uuid]),
        "date": lambda fact: (fact.latest is None, fact.latest or today, by_name[fact.uuid]),
    }
    return [(fact.uuid, fact.step, fact.late) for fact in sorted(rows, key=keys[sort])]


def _check(people: Any, expected: list[Any], combination: tuple[Any, ...]) -> None:
    """Every page, a page beyond the last, and every row at once equal the expected rows."""
    paginator = Paginator(people, PER_PAGE)
    assert paginator.count == len(expected), combination
    read = []
    for number in paginator.page_range:
        rows = [(row.person_uuid, row.step, row.overdue) for row in paginator.page(number)]
        assert rows == expected[(number - 1) * PER_PAGE : number * PER_PAGE], (*combination, number)
        read += rows
    assert read == expected, combination
    # A page beyond the last shows the last (as Django's pager does); the rows beyond it, none.
    assert paginator.get_page(paginator.num_pages + 1).number == paginator.num_pages
    assert people[len(expected) : len(expected) + PER_PAGE] == [], combination
    # Every row at once (the exports), in the same order.
    assert [(row.person_uuid, row.step, row.overdue) for row in people] == expected, combination


def test_every_filter_sort_and_page_gives_the_rows_of_the_rules(org: Org, mus: Mus) -> None:
    today = timezone.localdate()
    _populate(org, mus, today)
    leader_scope = oversight_scope(viewer_for(org.user("leader")))
    assert leader_scope is not None
    # The whole organisation (the only top unit: no unit to check), a department (most of the
    # round: SQLite reads the round in order), a small team (SQLite starts from its people), and a
    # leader's team members in a unit outside the leader's own (counted in SQL, the others from
    # the counters).
    places = [
        (WHOLE, org.root, None),
        (WHOLE, org.economy, None),
        (WHOLE, org.payroll, None),
        (leader_scope, org.children, org.leader.pk),
    ]
    participants = Conversation.objects.filter(round=mus.round)
    below = {
        unit.code: participants.filter(employee__unit__path__startswith=unit.path).count()
        for unit in (org.economy, org.payroll)
    }
    assert below["OKO"] * 4 >= participants.count() > below["LON"] * 4
    # The deadline passed yesterday, passes today (not late yet) and is ahead.
    for deadline in (-1, 0, 1):
        Round.objects.filter(pk=mus.round.pk).update(
            opens_on=today - timedelta(days=60), held_by=today + timedelta(days=deadline)
        )
        mus.round.refresh_from_db()
        facts = _facts(mus.round, today)
        assert {fact.step for fact in facts} == set(STEP_ORDER)
        assert {step for fact in facts for step in fact.late} == (
            {"overdue_scheduling", "overdue_held", "overdue_plan", "overdue_follow_up"}
            if deadline < 0
            else {"overdue_plan", "overdue_follow_up"}
        )
        # On each side of the deadline and on its day: those late, in every sort. The steps do not
        # depend on the deadline: every step in every sort once (deadline ahead), and every step
        # together with "late" once the deadline has passed. (Each combination pages through all
        # its rows: the whole product on PostgreSQL took minutes.)
        combinations = list(itertools.product(places, [""], [True], SORTS))
        if deadline > 0:
            combinations += itertools.product(places, ["", *STEP_ORDER], [False], SORTS)
        if deadline < 0:
            combinations += itertools.product(places, STEP_ORDER, [True], ["name"])
        for (scope, unit, leader_id), step, overdue, sort in combinations:
            expected = _expected(
                facts, path=unit.path, leader_id=leader_id, step=step, overdue=overdue, sort=sort, today=today
            )
            people = unit_people(
                round_=mus.round, scope=scope, unit=unit, step=step, overdue=overdue, sort=sort, today=today
            )
            _check(people, expected, (deadline, unit.code, step, overdue, sort))
    nonsense = unit_people(round_=mus.round, scope=WHOLE, unit=org.root, step="nonsense", today=today)
    _check(nonsense, [], ("nonsense",))


def test_a_page_reads_only_its_own_rows(org: Org, mus: Mus, monkeypatch: pytest.MonkeyPatch) -> None:
    plant_states(org, mus)
    deadline_passed(mus.round)
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    url = reverse("oversight:unit", args=[mus.round.uuid, org.root.uuid])
    client = org.client("hr")
    client.get(url)
    for query in ("", "?sort=date&overdue=on", "?step=invited&sort=state&page=2"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url + query).status_code == 200
        read = [q["sql"] for q in queries if "conversations_conversation" in q["sql"] and "COUNT(" not in q["sql"]]
        assert read, query
        assert all((limit := re.search(r"LIMIT (\d+)", sql)) and int(limit[1]) <= 4 for sql in read), read


def test_the_pages_of_the_whole_organisation_make_the_same_queries_for_a_bigger_one(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    root = reverse("oversight:unit", args=[mus.round.uuid, org.root.uuid])
    department = reverse("oversight:unit", args=[mus.round.uuid, org.economy.uuid])
    urls = [root, root + "?page=2", root + "?overdue=on&sort=date", root + "?step=held&sort=state&page=9"]
    urls += [department, department + "?overdue=on&sort=state"]

    def grow() -> None:
        grow_org(org, 12)
        round_launch(viewer=viewer_for(org.user("hr")), round_=mus.round)
        assert Conversation.objects.filter(round=mus.round).count() > 60

    assert_same_queries(grow, *(Page(org.client("hr"), url) for url in urls))


def test_a_page_beyond_the_last_shows_the_last(org: Org, mus: Mus, monkeypatch: pytest.MonkeyPatch) -> None:
    english(org, "hr")
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    url = reverse("oversight:unit", args=[mus.round.uuid, org.root.uuid])
    participants = Conversation.objects.filter(round=mus.round).count()
    last = -(-participants // 4)
    page = org.client("hr").get(url + "?page=99").content.decode()
    assert f"Page {last} of {last}" in page
    assert f"{participants} participants" in page
