"""The start page as a to-do list (docs/domain.md § The start page): each role's things to do with
their dates and links, from the same rules as the reminders — every reminder the daily sweep would
send, on any day, has its line on the recipient's start page — in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.models import Conversation, ConversationStatus, EmployeePreparation
from samtale.conversations.services.reminders import prepare_reminders, schedule_reminders
from samtale.dashboards.todo import start_page_for, todo_list
from samtale.lib.todo import ToDo
from samtale.org.models import Person
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.outbox.services import Draft
from samtale.plans.models import Side
from samtale.plans.services import reminders as plan_reminders
from samtale.rounds.models import Round, RoundStatus
from samtale.testing import Mus, Org, make_person
from samtale.testing.queries import assert_same_queries
from samtale.testing.reminders import follow_up, hand_in, make_plan, open_item, sign


def todo_of(person: Person, *, now: datetime | None = None) -> list[ToDo]:
    assert person.user is not None
    viewer = viewer_for(person.user)
    return todo_list(viewer, start_page_for(viewer), now=now)


def kinds(items: list[ToDo]) -> list[str]:
    return [item.kind for item in items]


def booked(conversation: Conversation, *, in_days: float) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        status=ConversationStatus.SCHEDULED,
        starts_at=timezone.now() + timedelta(days=in_days),
        invitation_sent_at=timezone.now() - timedelta(days=3),
    )


def plant(org: Org, mus: Mus) -> None:
    """A round with something at every stage, for every kind of reminder over the coming weeks."""
    Round.objects.filter(pk=mus.round.pk).update(held_by=timezone.localdate() + timedelta(days=16))
    make_plan(mus.conversation, due_in=4)  # the employee writes; due, then overdue
    booked(mus.colleague_conversation, in_days=2.2)  # the colleague prepares
    of = {c.employee_id: c for c in Conversation.objects.filter(round=mus.round)}
    handed_in = make_plan(of[org.union_rep.pk], due_in=2)
    hand_in(handed_in, days_ago=5)  # waits for the leader's signature
    signed = make_plan(of[org.daily_leader.pk], due_in=-20, signed=True, follow_up_in=20)
    open_item(of[org.daily_leader.pk], deadline_in=3)
    follow_up(signed, status="to_be_called")
    leaders_plan = make_plan(of[org.leader.pk], due_in=6)
    hand_in(leaders_plan, days_ago=6)
    sign(leaders_plan, Side.LEADER, days_ago=4)  # the head has signed: the leader's turn


def expected(draft: Draft) -> tuple[int, set[str], int]:
    """Who a reminder goes to, which lines of their start page it may match, and the object."""
    context = draft.context
    if draft.kind == "conversations.prepare_reminder":
        conversation = Conversation.objects.get(pk=context["conversation"])
        return conversation.employee_id, {"conversation.prepare"}, conversation.pk
    kinds_by_reminder = {
        "conversations.schedule_reminder": ({"conversation.schedule"}, "round"),
        plan_reminders.DUE: ({"plan.write"}, "plan"),
        plan_reminders.OVERDUE: ({"plan.overdue", "plan.sign"}, "plan"),
        plan_reminders.SIGNATURE: ({"plan.sign"}, "plan"),
        plan_reminders.OPEN_ITEM: ({"plan.open_item"}, "item"),
        plan_reminders.FOLLOW_UP: ({"plan.follow_up"}, "plan"),
    }
    wanted, ref = kinds_by_reminder[draft.kind]
    return int(context["person"]), wanted, int(context[ref])


def reminders_on(now: datetime) -> list[Draft]:
    today = timezone.localdate(now)
    plans = plan_reminders.plan_reminders(now=now)
    return [
        *prepare_reminders(today=today, now=now),
        *schedule_reminders(today=today),
        *plans.due,
        *plans.overdue,
        *plans.signature,
        *plans.open_item,
        *plans.follow_up,
    ]


def test_every_reminder_on_any_day_has_its_line_on_the_recipients_start_page(org: Org, mus: Mus) -> None:
    plant(org, mus)
    start = timezone.now()
    seen: set[str] = set()
    for day in range(45):
        with time_machine.travel(start + timedelta(days=day, hours=1), tick=False):
            now = timezone.now()
            for draft in reminders_on(now):
                person_id, wanted, ref = expected(draft)
                lines = todo_of(Person.objects.get(pk=person_id), now=now)
                assert any(item.kind in wanted and item.ref == ref for item in lines), (day, draft, lines)
                seen.add(draft.kind)
    # The scenario reaches every kind of reminder, so the agreement is tested for each.
    assert seen == {
        "conversations.prepare_reminder",
        "conversations.schedule_reminder",
        plan_reminders.DUE,
        plan_reminders.OVERDUE,
        plan_reminders.SIGNATURE,
        plan_reminders.OPEN_ITEM,
        plan_reminders.FOLLOW_UP,
    }


def test_each_role_sees_what_waits_for_it_with_dates_and_late_things_first(org: Org, mus: Mus) -> None:
    plant(org, mus)
    employee = todo_of(org.employee)
    assert kinds(employee) == ["plan.write"]
    assert employee[0].due == timezone.localdate() + timedelta(days=4) and not employee[0].late

    colleague = todo_of(org.colleague)
    assert kinds(colleague) == ["conversation.prepare"]
    assert colleague[0].url == reverse("conversations:preparation", args=[mus.colleague_conversation.uuid])

    leader = todo_of(org.leader)
    assert {"plan.sign", "plan.open_item", "plan.follow_up", "conversation.hold"} <= set(kinds(leader))
    assert "plan.write" not in kinds(leader)
    # Her own plan waits for her signature, as an employee; her team's plan for her, as its leader.
    assert sum(item.kind == "plan.sign" for item in leader) == 2

    head = todo_of(org.head)
    assert "conversation.schedule" in kinds(head)

    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        employee = todo_of(org.employee)
        assert employee[0].late  # the plan's date has passed
        leader = todo_of(org.leader)
        assert leader[0].late
        assert {"plan.open_item", "round.open_unit"} <= {item.kind for item in leader if item.late}
        assert [item.late for item in leader] == sorted((item.late for item in leader), reverse=True)


def test_a_line_goes_when_the_thing_is_done(org: Org, mus: Mus) -> None:
    booked(mus.colleague_conversation, in_days=2)
    assert "conversation.prepare" in kinds(todo_of(org.colleague))
    EmployeePreparation.objects.update_or_create(
        conversation=mus.colleague_conversation, defaults={"shared_with_leader_at": timezone.now()}
    )
    assert "conversation.prepare" not in kinds(todo_of(org.colleague))


def test_the_chain_sees_the_units_below_that_are_behind_as_the_deadline_nears(org: Org, mus: Mus) -> None:
    assert "completion.behind" not in kinds(todo_of(org.head))  # 90 days left: not yet
    Round.objects.filter(pk=mus.round.pk).update(held_by=timezone.localdate() + timedelta(days=20))
    open_below = Conversation.objects.filter(
        round=mus.round, employee__unit__in=[org.payroll, org.accounting], status=ConversationStatus.INVITED
    ).count()
    behind = [item for item in todo_of(org.head) if item.kind == "completion.behind"]
    assert [item.ref for item in behind] == [org.economy.pk]
    assert f"{open_below} " in behind[0].text and org.economy.name in behind[0].text
    assert behind[0].url == reverse("oversight:unit", args=[mus.round.uuid, org.economy.uuid])
    assert org.client("head").get(behind[0].url).status_code == 200
    # The director sees the whole tree below; the leader of Løn has no units below hers.
    assert "completion.behind" in kinds(todo_of(org.director))
    assert "completion.behind" not in kinds(todo_of(org.leader))


def test_hr_is_asked_to_launch_the_round_being_prepared_and_to_see_to_parked_mail(org: Org) -> None:
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.services.rounds import round_create

    today = timezone.localdate()
    round_ = round_create(
        viewer=viewer_for(org.user("hr")),
        name="MUS-2028",
        concept=default_concept_ensure(),
        opens_on=today + timedelta(days=10),
        held_by=today + timedelta(days=100),
        units=[org.root],
    )
    assert round_.status == RoundStatus.DRAFT
    OutboxMessage.objects.create(
        kind="accounts.invitation", to_email="x@test.example", language="da", status=MessageStatus.FAILED
    )
    items = todo_of(org.hr)
    assert ("round.launch", round_.pk) in [(item.kind, item.ref) for item in items]
    assert "outbox.parked" in kinds(items)
    assert "round.launch" not in kinds(todo_of(org.employee))


def test_the_union_representative_sees_the_conversation_they_are_invited_to(org: Org, mus: Mus) -> None:
    booked(mus.conversation, in_days=5)
    Conversation.objects.filter(pk=mus.conversation.pk).update(union_rep=org.union_rep, union_rep_status="summoned")
    items = todo_of(org.union_rep)
    assert ("conversation.attend", mus.conversation.pk) in [(item.kind, item.ref) for item in items]
    assert org.employee.name in next(item.text for item in items if item.kind == "conversation.attend")


def test_the_start_page_shows_the_list_and_the_menu_its_count(org: Org, mus: Mus) -> None:
    plant(org, mus)
    client = org.client("leader")
    home = client.get(reverse("dashboards:home")).content.decode()
    count = len(todo_of(org.leader))
    assert 'id="todo-heading"' in home
    assert f'<span class="todo-count" id="todo-count">{count}<' in home
    team = client.get(reverse("dashboards:team")).content.decode()
    assert f'hx-get="{reverse("dashboards:todo_count")}"' in team  # other pages ask after loading
    answer = client.get(reverse("dashboards:todo_count"))
    assert f">{count}<" in answer.content.decode() and "no-store" in answer["Cache-Control"]
    assert org.client("outsider").get(reverse("dashboards:todo_count")).content.decode().strip() == (
        '<span id="todo-count"></span>'
    )


@pytest.mark.parametrize("persona", ["leader", "employee", "hr"])
def test_the_list_costs_the_same_queries_for_a_bigger_team(org: Org, mus: Mus, persona: str) -> None:
    plant(org, mus)

    def grow() -> None:
        from samtale.conversations.services.invitation import round_launch

        for index in range(6):
            make_person(f"Ny Medarbejder {index}", unit=org.payroll, leader=org.leader)
        round_launch(viewer=viewer_for(org.user("hr")), round_=mus.round)
        fresh = list(Conversation.objects.filter(round=mus.round, employee__name__startswith="Ny "))
        for index, conversation in enumerate(fresh[:3]):
            plan = make_plan(conversation, due_in=index - 1)
            hand_in(plan, days_ago=4)
            open_item(conversation, deadline_in=index)
        for conversation in fresh[3:]:
            booked(conversation, in_days=1 + len(fresh))

    viewer = viewer_for(org.user(persona))
    assert_same_queries(grow, lambda: todo_list(viewer, start_page_for(viewer)))
