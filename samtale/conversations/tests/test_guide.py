"""The meeting guide (docs/domain.md § The conversation — six phases): the phases in order with
their guidance and inspiration questions, room for notes, and in phase 6 the check against phase 1's
goals and the open items."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.models import DailyLeaderStatus, Minutes
from samtale.conversations.services import meeting
from samtale.testing import Mus, Org, make_person
from samtale.testing.queries import Page, assert_same_queries


def _url(mus: Mus, phase: str = "all") -> str:
    return reverse("conversations:guide", args=[mus.conversation.uuid]) + (f"?phase={phase}" if phase else "")


def test_the_whole_guide_shows_the_six_phases_in_order_with_guidance_and_questions(org: Org, mus: Mus) -> None:
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
        assert f'href="?phase={phase.key}"' in text  # the step bar
    assert text.count('type="submit" form="minutes"') == 1  # one button for the notes, not six


def test_on_a_shared_screen_the_guide_shows_one_phase_with_its_steps_and_the_way_on(org: Org, mus: Mus) -> None:
    phases = list(mus.concept.phases.order_by("order"))
    meeting.minutes_save(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, notes={phases[0].key: "Mål"}, version=0
    )
    text = org.client("leader").get(_url(mus, phase="")).content.decode()
    # The first phase, alone, with its guidance beside its notes.
    assert f'id="phase-{phases[0].key}"' in text and f'id="phase-{phases[1].key}"' not in text
    assert f'name="notes_{phases[0].key}"' in text and f'name="notes_{phases[1].key}"' not in text
    # The step bar: every phase, the current one marked, a tick on the phase with notes.
    steps = text.split('class="phase-steps')[1].split("</nav>")[0]
    for phase in phases:
        assert f'href="?phase={phase.key}"' in steps
    assert f'<li class="phase-done"><a href="?phase={phases[0].key}" aria-current="step">' in steps
    assert steps.count("phase-done") == 1
    # The way on: the next phase, by link and by the arrow key; no way back from the first.
    pager = text.split('class="phase-pager')[1].split("</nav>")[0]
    assert f'href="?phase={phases[1].key}" rel="next" data-key="ArrowRight"' in pager and 'rel="prev"' not in pager
    middle = org.client("leader").get(_url(mus, phase=phases[2].key)).content.decode()
    assert (
        f'href="?phase={phases[1].key}" rel="prev"' in middle and f'href="?phase={phases[3].key}" rel="next"' in middle
    )
    # The planned time of a booked conversation, for the timer.
    assert "data-timer" not in text  # not booked yet


def test_a_phase_autosaves_and_its_form_learns_the_new_version(org: Org, mus: Mus) -> None:
    phases = list(mus.concept.phases.order_by("order"))
    client = org.client("leader")
    data = {"version": 0, "shown": phases[1].key, f"notes_{phases[1].key}": "Ros", f"base_{phases[1].key}": ""}
    answer = client.post(_url(mus, phase=""), {**data, "autosave": "1"}, headers={"HX-Request": "true"})
    text = answer.content.decode()
    assert answer.status_code == 200 and ("Saved at" in text or "Gemt kl." in text)
    assert '<input type="hidden" name="version" value="1" id="id_version" form="minutes" hx-swap-oob="true">' in text
    assert f'name="base_{phases[1].key}" value="Ros"' in text
    # The other, at the same time, writes another phase from version 0: no conflict, both kept.
    other = {"version": 0, "shown": phases[2].key, f"notes_{phases[2].key}": "Nye opgaver", f"base_{phases[2].key}": ""}
    answer = org.client("employee").post(
        _url(mus, phase=""), {**other, "autosave": "1"}, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    minutes = Minutes.objects.get(conversation=mus.conversation)
    assert minutes.notes == {phases[1].key: "Ros", phases[2].key: "Nye opgaver"} and minutes.version == 2
    # Writing the same phase from a stale start is told at once, and nothing is saved over it.
    stale = {"version": 0, "shown": phases[1].key, f"notes_{phases[1].key}": "Kritik", f"base_{phases[1].key}": ""}
    answer = org.client("employee").post(
        _url(mus, phase=""), {**stale, "autosave": "1"}, headers={"HX-Request": "true"}
    )
    assert "error-text" in answer.content.decode()
    minutes.refresh_from_db()
    assert minutes.notes[phases[1].key] == "Ros"


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
        assert _url(mus, phase="") in org.client(persona).get(detail).content.decode()
    for persona in ("head", "director"):  # the chain sees the agenda, not the minutes
        assert _url(mus, phase="") not in org.client(persona).get(detail).content.decode()


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
