"""Who is told what from the start page and the outbox: management learns that a new round needs
its goals, the daily leader and the union representative find what employees invited them to or
shared with them, and a leader is not spoken to as an employee of the unit they lead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.services import attendees
from samtale.conversations.services.invitation import round_launch
from samtale.org.models import RoleKind
from samtale.outbox.delivery import outbox_deliver
from samtale.outbox.models import OutboxMessage
from samtale.plans.services.writing import plan_share
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.services.rounds import round_create
from samtale.testing import Org, build_round, make_role

pytestmark = pytest.mark.django_db


def english(*people: Any) -> None:
    for person in people:
        person.user.language = "en"
        person.user.save(update_fields=["language"])


def _draft_round(org: Org) -> Any:
    today = timezone.localdate()
    return round_create(
        viewer=viewer_for(org.user("hr")),
        name="MUS-2030",
        concept=default_concept_ensure(),
        opens_on=today + timedelta(days=10),
        held_by=today + timedelta(days=100),
        units=[org.root],
    )


def test_management_is_told_by_e_mail_that_a_new_round_needs_its_goals(org: Org) -> None:
    make_role(org.director, RoleKind.MANAGEMENT)
    english(org.director)
    round_ = _draft_round(org)
    messages = OutboxMessage.objects.filter(kind="rounds.goals_wanted")
    assert list(messages.values_list("to_email", flat=True)) == [org.director.email]

    outbox_deliver()
    [sent] = [m for m in mail.outbox if m.to == [org.director.email]]
    assert sent.subject == "MUS-2030 is being prepared: write the round's goals"
    assert reverse("rounds:goals", args=[round_.uuid]) in sent.body
    assert "Write the round's goals in Samtale before HR launches it." in sent.body


def test_the_goals_e_mail_is_dropped_once_the_round_is_launched(org: Org) -> None:
    from samtale.outbox.kinds import builder_for

    make_role(org.director, RoleKind.MANAGEMENT)
    round_ = _draft_round(org)
    message = OutboxMessage.objects.get(kind="rounds.goals_wanted")
    assert builder_for("rounds.goals_wanted")(message) is not None
    round_launch(viewer=viewer_for(org.user("hr")), round_=round_)
    assert builder_for("rounds.goals_wanted")(message) is None


def test_managements_start_page_shows_the_round_waiting_for_its_goals(org: Org) -> None:
    make_role(org.director, RoleKind.MANAGEMENT)
    english(org.director)
    client = org.client("director")
    assert "is being prepared" not in client.get("/").content.decode()  # no round yet

    round_ = _draft_round(org)
    page = client.get("/").content.decode()
    assert '<h2 id="goals-wanted-heading">MUS-2030 is being prepared</h2>' in page
    assert f'<a href="{reverse("rounds:goals", args=[round_.uuid])}">Write the round\'s goals</a>' in page
    assert "No goals are written yet." in page

    round_launch(viewer=viewer_for(org.user("hr")), round_=round_)
    assert "is being prepared" not in client.get("/").content.decode()


def test_only_management_is_shown_the_round_waiting_for_goals(org: Org) -> None:
    _draft_round(org)
    english(org.employee)
    assert "is being prepared" not in org.client("employee").get("/").content.decode()


def test_the_union_representative_finds_the_conversation_and_plan_they_were_given(org: Org) -> None:
    from samtale.testing.plans import as_, held_plan

    mus = build_round(org)
    english(org.union_rep)
    client = org.client("union_rep")
    conversation_link = reverse("conversations:detail", args=[mus.conversation.uuid])
    assert conversation_link not in client.get("/").content.decode()

    # The employee brings the union representative; until the leader summons them it is not theirs.
    attendees.union_rep_bring(viewer=as_(org, "employee"), conversation=mus.conversation, representative=org.union_rep)
    assert conversation_link not in client.get("/").content.decode()
    attendees.union_rep_summon(viewer=as_(org, "leader"), conversation=mus.conversation)
    page = client.get("/").content.decode()
    assert f'<a href="{conversation_link}">Emil Ærø\'s conversation in MUS-2027</a>' in page
    assert "As union representative" in page
    conversation_page = client.get(conversation_link)
    assert conversation_page.status_code == 200
    # The way back is their start page, where it is listed, not a team they do not have.
    assert '<li><a href="/">My conversations</a></li>' in conversation_page.content.decode()
    assert reverse("dashboards:team") not in conversation_page.content.decode().split("</nav>")[1]

    plan = held_plan(org, mus)
    plan_link = reverse("plans:detail", args=[plan.uuid])
    assert plan_link not in client.get("/").content.decode()
    plan_share(viewer=as_(org, "employee"), plan=plan, recipient="union_rep", share=True)
    assert f'<a href="{plan_link}">Emil Ærø\'s development plan from MUS-2027</a>' in client.get("/").content.decode()
    assert client.get(plan_link).status_code == 200

    plan_share(viewer=as_(org, "employee"), plan=plan, recipient="union_rep", share=False)
    assert plan_link not in client.get("/").content.decode()


def test_a_shared_plan_is_not_listed_for_a_union_representative_who_does_not_cover_the_employee(org: Org) -> None:
    from samtale.testing.plans import as_, held_plan

    make_role(org.outsider, RoleKind.UNION_REP, org.children)
    plan = held_plan(org, build_round(org))
    plan_share(viewer=as_(org, "employee"), plan=plan, recipient="union_rep", share=True)
    assert reverse("plans:detail", args=[plan.uuid]) not in org.client("outsider").get("/").content.decode()
    assert reverse("plans:detail", args=[plan.uuid]) in org.client("union_rep").get("/").content.decode()


def test_the_daily_leader_finds_the_plan_shared_with_them(org: Org) -> None:
    from samtale.testing.plans import as_, held_plan

    plan = held_plan(org, build_round(org))
    english(org.daily_leader)
    plan_share(viewer=as_(org, "employee"), plan=plan, recipient="daily_leader", share=True)
    page = org.client("daily_leader").get("/").content.decode()
    assert (
        f'<a href="{reverse("plans:detail", args=[plan.uuid])}">Emil Ærø\'s development plan from MUS-2027</a>' in page
    )


def test_a_leader_is_not_spoken_to_as_an_employee_of_the_unit_they_lead(org: Org) -> None:
    build_round(org)
    english(org.leader, org.employee)
    waiting = "Your leader has not written the unit's focus areas yet."
    assert waiting in org.client("employee").get("/").content.decode()
    page = org.client("leader").get("/").content.decode()
    assert waiting not in page
    assert "Your units in the round" in page  # the leader's own view of the unit's round


def test_the_start_page_asks_the_same_number_of_queries_whatever_is_shared(org: Org) -> None:
    from samtale.conversations.services.meeting import conversation_mark_held
    from samtale.plans.models import Plan
    from samtale.testing.plans import as_, held_plan
    from samtale.testing.queries import Page, assert_same_queries

    mus = build_round(org)
    # The first request of a client fills what is kept per process: the helper warms it first.
    start_page = Page(org.client("union_rep"), "/", name="the union representative's start page")
    plan_share(viewer=as_(org, "employee"), plan=held_plan(org, mus), recipient="union_rep", share=True)

    def another_shared_plan() -> None:
        conversation_mark_held(
            viewer=as_(org, "leader"), conversation=mus.colleague_conversation, held_on=timezone.localdate()
        )
        other = Plan.objects.get(conversation=mus.colleague_conversation)
        plan_share(viewer=as_(org, "colleague"), plan=other, recipient="union_rep", share=True)

    assert_same_queries(another_shared_plan, start_page, sizes=("one plan shared", "two"))
