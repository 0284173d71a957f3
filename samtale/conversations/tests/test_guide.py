"""The meeting guide (docs/domain.md § The conversation — six phases): the phases in order with
their guidance and inspiration questions, room for notes, and in phase 6 the check against phase 1's
goals and the open items."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.models import DailyLeaderStatus
from samtale.conversations.services import meeting
from samtale.testing import Mus, Org, make_person
from samtale.testing.queries import Page, assert_same_queries


def _url(mus: Mus) -> str:
    return reverse("conversations:guide", args=[mus.conversation.uuid])


def test_the_guide_shows_the_six_phases_in_order_with_guidance_and_questions(org: Org, mus: Mus) -> None:
    page = org.client("employee").get(_url(mus))
    assert page.status_code == 200
    text = page.content.decode()
    phases = list(mus.concept.phases.order_by("order"))
    assert len(phases) == 6
    positions = [text.index(f'id="phase-{phase.key}"') for phase in phases]
    assert positions == sorted(positions)
    for phase in phases:
        assert phase.heading in text
        assert phase.guidance[:60] in text
        for question in phase.question_list:
            assert question in text
        assert f'name="notes_{phase.key}"' in text
        assert f'href="#phase-{phase.key}"' in text  # the in-page navigation of a shared screen


def test_phase_six_checks_against_the_goals_written_in_phase_one(org: Org, mus: Mus) -> None:
    meeting.minutes_save(
        viewer=viewer_for(org.user("employee")),
        conversation=mus.conversation,
        notes={"goals": "Afklare min rolle i projektet"},
        version=0,
    )
    text = org.client("leader").get(_url(mus)).content.decode()
    summary = text[text.index('id="phase-summary"') :]
    assert "Afklare min rolle i projektet" in summary
    assert 'id="open-items"' in summary


def test_the_leader_finds_the_outcome_from_the_guide_and_the_employee_does_not(org: Org, mus: Mus) -> None:
    outcome = reverse("conversations:outcome", args=[mus.conversation.uuid])
    assert outcome in org.client("leader").get(_url(mus)).content.decode()
    assert outcome not in org.client("employee").get(_url(mus)).content.decode()


def test_invited_attendees_see_no_open_items_and_no_forms(org: Org, mus: Mus) -> None:
    meeting.open_item_add(
        viewer=viewer_for(org.user("leader")),
        conversation=mus.conversation,
        text="Kursusbudget-5521",
        responsible="Lederen",
        deadline=timezone.localdate() + timedelta(days=7),
    )
    mus.conversation.daily_leader = org.daily_leader
    mus.conversation.daily_leader_status = DailyLeaderStatus.AGREED
    mus.conversation.save(update_fields=["daily_leader", "daily_leader_status"])
    text = org.client("daily_leader").get(_url(mus)).content.decode()
    assert "Kursusbudget-5521" not in text
    assert 'id="open-items"' not in text
    assert 'method="post"' not in text.split("<main", 1)[1]
    assert "Kursusbudget-5521" in org.client("employee").get(_url(mus)).content.decode()


def test_the_conversation_page_links_the_guide_for_those_who_may_use_it(org: Org, mus: Mus) -> None:
    detail = reverse("conversations:detail", args=[mus.conversation.uuid])
    for persona in ("employee", "leader"):
        assert _url(mus) in org.client(persona).get(detail).content.decode()
    for persona in ("head", "director"):  # the chain sees the agenda, not the minutes
        assert _url(mus) not in org.client(persona).get(detail).content.decode()


def test_the_guide_makes_the_same_number_of_queries_with_more_notes_items_and_people(org: Org, mus: Mus) -> None:
    def grow() -> None:
        leader = viewer_for(org.user("leader"))
        meeting.minutes_save(
            viewer=leader,
            conversation=mus.conversation,
            notes={phase.key: "noter" for phase in mus.concept.phases.all()},
            version=0,
        )
        for index in range(8):
            meeting.open_item_add(
                viewer=leader,
                conversation=mus.conversation,
                text=f"Punkt {index}",
                responsible="",
                deadline=timezone.localdate() + timedelta(days=index),
            )
            make_person(f"Ny {index}", unit=org.payroll, leader=org.leader)

    guides = [
        Page(org.client(persona), _url(mus), name=f"the guide, as {persona}") for persona in ("employee", "leader")
    ]
    assert_same_queries(grow, *guides, sizes=("few notes, items and people", "more"))
