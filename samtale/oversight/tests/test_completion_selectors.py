"""The completion overview's reads: the counts per step, rolled up the tree, late steps, the
scope each viewer has, and that no content column is ever read."""

from __future__ import annotations

import itertools

from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from samtale.access.viewer import viewer_for
from samtale.conversations.models import Conversation, EmployeePreparation, ImprovementNotice, Minutes, OpenItem
from samtale.conversations.services.invitation import round_launch
from samtale.oversight.selectors.drill_down import unit_people
from samtale.oversight.selectors.overview import Counts, completion_overview
from samtale.oversight.selectors.scope import Scope, oversight_scope
from samtale.oversight.selectors.timeline import round_timeline
from samtale.plans.models import Departure, FollowUp, Plan, PlanComment, PlanVersion, Progress
from samtale.testing import Mus, Org, grow_org, make_person, make_unit
from samtale.testing.oversight import deadline_passed, plant_states
from samtale.testing.queries import assert_same_queries

WHOLE = Scope(whole_organisation=True)


def _rows(org: Org, mus: Mus, scope: Scope = WHOLE) -> dict[str, Counts]:
    overview = completion_overview(round_=mus.round, scope=scope)
    return {row.code: row.counts for row in overview.rows}


def test_each_step_is_counted_for_the_unit(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    payroll = _rows(org, mus)["LON"]
    assert payroll == Counts(
        participants=5,
        invited=3,
        scheduled=3,
        held=2,
        not_held=1,
        plan_submitted=2,
        plan_signed=1,
        follow_up_held=1,
        overdue_scheduling=0,
        overdue_held=0,
        overdue_plan=1,
        overdue_follow_up=1,
    )
    assert payroll.percent("held") == 40
    assert payroll.percent("plan_signed") == 20


def test_units_roll_up_the_tree(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    rows = _rows(org, mus)
    assert rows["OKO"].participants == rows["LON"].participants + rows["REG"].participants + 1  # the head
    assert rows["OKO"].held == rows["LON"].held
    assert rows["KOM"].participants == Conversation.objects.filter(round=mus.round).count()
    overview = completion_overview(round_=mus.round, scope=WHOLE)
    assert overview.total == rows["KOM"]
    assert [row.code for row in overview.rows] == ["KOM", "OKO", "LON", "REG", "BOR", "HRA"]
    assert [row.depth for row in overview.rows] == [0, 1, 2, 2, 1, 1]


def test_conversations_still_open_after_the_deadline_are_late(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    assert _rows(org, mus)["LON"].overdue_held == 0
    deadline_passed(mus.round)
    payroll = _rows(org, mus)["LON"]
    assert payroll.overdue_scheduling == 1  # the daily leader's
    assert payroll.overdue_held == 2  # and the colleague's, scheduled but not held


def test_hr_covering_one_unit_sees_only_that_unit(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    scope = oversight_scope(viewer_for(org.user("regional_hr")))
    assert scope is not None
    rows = _rows(org, mus, scope)
    assert list(rows) == ["BOR"]
    assert rows["BOR"].participants == 3


def test_a_leader_sees_their_team_and_the_chain_its_subtree(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    leader = oversight_scope(viewer_for(org.user("leader")))
    head = oversight_scope(viewer_for(org.user("head")))
    assert leader is not None and head is not None
    assert {code: c.participants for code, c in _rows(org, mus, leader).items()} == {"LON": 5}
    assert {code: c.participants for code, c in _rows(org, mus, head).items()} == {"OKO": 7, "LON": 5, "REG": 1}


def test_a_team_member_outside_the_leaders_units_is_shown_in_their_own_unit(org: Org, mus: Mus) -> None:
    org.outsider.personnel_leader = org.leader
    org.outsider.save(update_fields=["personnel_leader"])
    scope = oversight_scope(viewer_for(org.user("leader")))
    assert scope is not None
    assert {code: c.participants for code, c in _rows(org, mus, scope).items()} == {"LON": 5, "BOR": 1}


def test_employees_and_strangers_have_no_scope(org: Org, mus: Mus) -> None:
    for persona in ("employee", "colleague", "daily_leader", "union_rep", "admin"):
        assert oversight_scope(viewer_for(org.user(persona))) is None, persona


def test_the_people_of_a_unit_carry_states_dates_and_late_steps(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    deadline_passed(mus.round)
    rows = {row.name: row for row in list(unit_people(round_=mus.round, scope=WHOLE, unit=org.payroll))}
    assert rows[org.employee.name].step == "follow_up_held"
    assert rows[org.leader.name].overdue == ("overdue_plan", "overdue_follow_up")
    assert rows[org.daily_leader.name].overdue == ("overdue_scheduling", "overdue_held")
    late = list(unit_people(round_=mus.round, scope=WHOLE, unit=org.payroll, overdue=True))
    assert {row.name for row in late} == {org.leader.name, org.daily_leader.name, org.colleague.name}
    scheduled = list(unit_people(round_=mus.round, scope=WHOLE, unit=org.payroll, step="scheduled"))
    assert [row.name for row in scheduled] == [org.colleague.name]
    by_state = list(unit_people(round_=mus.round, scope=WHOLE, unit=org.payroll, sort="state"))
    assert by_state[0].name == org.daily_leader.name and by_state[-1].name == org.employee.name


def _content_columns() -> list[str]:
    """Every text or JSON column of the models that hold what people wrote."""
    columns = []
    for model in (
        Conversation,
        Minutes,
        EmployeePreparation,
        ImprovementNotice,
        OpenItem,
        Plan,
        PlanVersion,
        PlanComment,
        Progress,
        Departure,
        FollowUp,
    ):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField | models.JSONField) or field.name in ("not_held_note", "location"):
                columns.append(f'"{model._meta.db_table}"."{field.column}"')
    return columns


def test_no_query_reads_a_content_column(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    columns = _content_columns()
    assert '"plans_followup"."reached"' in columns and '"conversations_minutes"."notes"' in columns
    with CaptureQueriesContext(connection) as queries:
        completion_overview(round_=mus.round, scope=WHOLE)
        list(unit_people(round_=mus.round, scope=WHOLE, unit=org.root))
    sql = "\n".join(query["sql"] for query in queries)
    assert "plans_followup" in sql  # the follow-up's state is read, its text is not
    for column in columns:
        assert column not in sql, column
    for word in ("content", "notes", "answers", "reached", "carries_over"):
        assert f'."{word}"' not in sql, word


def test_the_overview_makes_the_same_number_of_queries_for_a_bigger_organisation(org: Org, mus: Mus) -> None:
    def overview() -> None:
        completion_overview(round_=mus.round, scope=WHOLE)
        list(unit_people(round_=mus.round, scope=WHOLE, unit=org.root))

    def grow() -> None:
        grow_org(org, 12)
        round_launch(viewer=viewer_for(org.user("hr")), round_=mus.round)
        assert Conversation.objects.filter(round=mus.round).count() > 60

    (small,) = assert_same_queries(grow, overview, names=["the overview and its people"])
    assert len(small) == 4  # counters, late days, units; the people


def test_the_round_over_time_adds_up_held_and_signed_week_by_week(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    timeline = round_timeline(round_=mus.round, scope=WHOLE)
    assert timeline.participants == Conversation.objects.filter(round=mus.round).count()
    assert timeline.points[0].week_ending >= mus.round.opens_on
    assert timeline.points[-1].week_ending >= mus.round.held_by
    last = timeline.points[-1]
    assert (last.held, last.signed) == (2, 1)
    assert all(a.held <= b.held and a.signed <= b.signed for a, b in itertools.pairwise(timeline.points))
    # The chart: lines up to this week only, as shares of the participants, the deadline marked.
    chart = timeline.chart
    assert len(timeline.shown) < len(timeline.points)  # the round runs for weeks yet
    held, signed = chart.lines
    assert held.points.count(",") == len(timeline.shown) == signed.points.count(",")
    assert chart.marker is not None and chart.left < chart.marker.x <= chart.right
    assert [tick.label for tick in chart.y_ticks] == ["0\u00a0%", "25\u00a0%", "50\u00a0%", "75\u00a0%", "100\u00a0%"]
    # 2 of the participants held: the line ends at that share of the height.
    bottom_y = float(held.points.split()[-1].split(",")[1])
    expected = chart.bottom - 2 * (chart.bottom - chart.top) / timeline.participants
    assert abs(bottom_y - expected) < 0.2


def test_the_round_over_time_keeps_to_the_scope(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    scope = oversight_scope(viewer_for(org.user("regional_hr")))
    assert scope is not None
    timeline = round_timeline(round_=mus.round, scope=scope)
    assert timeline.participants == 3
    assert timeline.points[-1].held == 0


def test_three_levels_are_shown_and_a_deeper_unit_opens_on_its_own(org: Org, mus: Mus) -> None:
    team = make_unit("LONA", "Løn A", parent=org.payroll)
    make_person("Dybe Dorte", unit=team, leader=org.leader)
    round_launch(viewer=viewer_for(org.user("hr")), round_=mus.round)
    overview = completion_overview(round_=mus.round, scope=WHOLE)
    rows = {row.code: row for row in overview.rows}
    assert "LONA" not in rows
    assert rows["LON"].has_more and not rows["REG"].has_more
    assert rows["LON"].counts.participants == 6  # Løn A is counted in Løn
    opened = completion_overview(round_=mus.round, scope=WHOLE, under=org.payroll)
    assert [(row.code, row.depth, row.counts.participants) for row in opened.rows] == [("LON", 0, 6), ("LONA", 1, 1)]
    assert opened.total.participants == 6


def test_hr_who_also_leads_a_team_sees_both(org: Org, mus: Mus) -> None:
    org.colleague.personnel_leader = org.regional_hr
    org.colleague.save(update_fields=["personnel_leader"])
    scope = oversight_scope(viewer_for(org.user("regional_hr")))
    assert scope is not None
    assert {code: c.participants for code, c in _rows(org, mus, scope).items()} == {"BOR": 3, "LON": 1}


def test_a_scope_of_units_at_two_levels_starts_at_the_highest_with_anyone_counted(org: Org, mus: Mus) -> None:
    """The database adds up below the levels shown, so the top level is known before: the
    scope's highest unit with anyone below it (one more query when its units are at two levels)."""
    from samtale.org.models import Unit

    plant_states(org, mus)
    root = Unit.objects.get(parent=None)
    empty = make_unit("TOM", "Tom enhed", parent=root)
    assert empty.depth < org.payroll.depth
    scope = Scope(unit_paths=(empty.path, org.payroll.path))
    overview = completion_overview(round_=mus.round, scope=scope)
    assert [(row.code, row.depth, row.counts.participants) for row in overview.rows] == [("LON", 0, 5)]
    both = Scope(unit_paths=(org.payroll.parent.path, org.payroll.path))  # a unit and one below it
    overview = completion_overview(round_=mus.round, scope=both)
    assert [(row.code, row.depth) for row in overview.rows][:2] == [(org.payroll.parent.code, 0), ("LON", 1)]
    assert overview.total.participants == sum(row.counts.participants for row in overview.rows if row.depth == 0)
