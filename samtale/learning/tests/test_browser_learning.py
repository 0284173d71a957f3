"""The loop of issue 16 in the browser, on a 390 px phone and at 1280 px with axe at both: the
employee persona sees the level that differs from her leader's, registers another; the leader
settles the difference; the employee asks for a seat from her plan's course activity; the leader
approves; the education consultant enrols her; after the course she marks it completed and finds it
in her education record; HR reads the overview."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.competences.models import CourseSession, Registration
from samtale.conversations.models import Conversation
from samtale.demo.competences import demo_competences_seed
from samtale.demo.organisation import PERSONAS
from samtale.learning.models import RequestStatus, SeatRequest
from samtale.org.models import Person
from samtale.testing import launch_demo_round
from samtale.testing.follow_up import make_signed_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_register_to_the_education_record(page: Page, live_server, demo, sign_in, fits) -> None:  # type: ignore[no-untyped-def]
    round_ = launch_demo_round()
    demo_competences_seed()
    employee = Person.objects.select_related("personnel_leader").get(email=PERSONAS["employee"].email)
    conversation = Conversation.objects.get(round=round_, employee=employee)
    assert employee.personnel_leader is not None
    plan = make_signed_plan(
        conversation, leader=employee.personnel_leader, held_on=timezone.localdate() - timedelta(days=20)
    )
    nav = page.get_by_role("navigation", name="Hovedmenu")

    # The employee: the difference to settle, and a level of her own.
    sign_in(page, PERSONAS["employee"].email)
    nav.get_by_role("link", name="Kompetencer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine kompetencer")
    expect(page.get_by_text("I er uenige om niveauet for 1 kompetence.")).to_be_visible()
    fits(page)
    page.get_by_role("link", name="Samarbejde", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samarbejde")
    page.get_by_role("radio", name=re.compile(r"^3 Øvet")).check()
    page.get_by_label("Et kort eksempel").fill("Jeg planlagde teamets ferieafvikling sammen med de andre.")
    fits(page)
    page.get_by_role("button", name="Gem dit niveau").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt: Samarbejde.")
    page.get_by_role("link", name="Mit uddannelseskort").click()
    fits(page)

    # The leader settles the differing level, as they agreed before the MUS.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["leader"].email)
    nav.get_by_role("link", name="Kompetencer").click()
    page.get_by_role("link", name="Mit teams kompetencer").click()
    fits(page)
    page.get_by_role("link", name=PERSONAS["employee"].name).click()
    page.get_by_role("link", name="Økonomisystemets lønmodul").first.click()
    page.get_by_role("group", name="Det niveau, I er blevet enige om").get_by_role(
        "radio", name=re.compile(r"^4 Erfaren")
    ).check()
    fits(page)
    page.get_by_role("button", name="Registrér det aftalte niveau").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt: Økonomisystemets lønmodul.")
    settled = Registration.objects.get(person=employee, competence__code="F04")
    assert (settled.employee_level, settled.leader_level) == (4, 4)

    # The employee asks for a seat from her plan's course activity.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["employee"].email)
    page.goto(f"{live_server.url}/plans/{plan.uuid}/")
    page.get_by_role("link", name="Kurser i planen: bed om en plads, og se svaret").click()
    fits(page)
    page.get_by_role("link", name="Bed om en plads").click()
    page.get_by_label("Kursus").select_option(label="Ferieloven i praksis")
    page.get_by_role("button", name="Se kursets hold").click()
    page.get_by_role("radio").first.check()
    page.get_by_label("Hvorfor dette kursus (til din leder)").fill("Ferieloven fylder i lønkørslen.")
    fits(page)
    page.get_by_role("button", name="Bed om pladsen").click()
    expect(page.get_by_role("status")).to_contain_text("Din leder er blevet spurgt.")
    seat = SeatRequest.objects.get(person=employee)

    # The leader approves within the budget.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["leader"].email)
    page.goto(f"{live_server.url}/learning/requests/{seat.uuid}/")
    page.get_by_role("radio", name="Godkend pladsen").check()
    fits(page)
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_role("status")).to_contain_text("Pladsen er godkendt.")

    # The education consultant enrols her.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["educator"].email)
    nav.get_by_role("link", name="Kompetencer").click()
    page.get_by_role("link", name="Tilmelding").click()
    fits(page)
    page.get_by_role("button", name=f"Tilmeld {PERSONAS['employee'].name}").click()
    expect(page.get_by_role("status")).to_contain_text("er tilmeldt og får kalenderinvitationen.")
    seat.refresh_from_db()
    assert seat.status == RequestStatus.ENROLLED

    # After the course she marks it completed, and finds it in her education record.
    today = timezone.localdate()
    CourseSession.objects.filter(pk=seat.session_id).update(
        starts_on=today - timedelta(days=3),
        ends_on=today - timedelta(days=2),
        registration_deadline=today - timedelta(days=10),
    )
    page.context.clear_cookies()
    sign_in(page, PERSONAS["employee"].email)
    page.goto(f"{live_server.url}/learning/requests/{seat.uuid}/")
    fits(page)
    page.get_by_role("button", name="Markér som gennemført").click()
    expect(page.get_by_role("status")).to_contain_text("Kurset er gennemført")
    page.goto(f"{live_server.url}/competences/")
    page.get_by_role("link", name="Mit uddannelseskort").click()
    expect(page.get_by_role("link", name="Ferieloven i praksis")).to_be_visible()
    fits(page)

    # HR reads the overview and the catalogues.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["hr"].email)
    nav.get_by_role("link", name="Kompetencer").click()
    tabs = page.get_by_role("navigation", name="Kompetencer og kurser")
    tabs.get_by_role("link", name="Overblik").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Kompetencerne i"))).to_be_visible()
    fits(page)
    tabs.get_by_role("link", name="Kurser").click()
    fits(page)
    page.get_by_role("link", name="Ferieloven i praksis").click()
    fits(page)
    page.goto(f"{live_server.url}/competences/catalogue/")
    fits(page)
    page.goto(f"{live_server.url}/competences/import/")
    fits(page)
    course = seat.session.course
    for path in (
        "/competences/scales/new/",
        "/competences/profiles/new/",
        "/competences/catalogue/new/",
        "/competences/courses/new/",
        f"/competences/courses/{course.uuid}/edit/",
        f"/competences/courses/{course.uuid}/sessions/new/",
        f"/learning/sessions/{seat.session.uuid}/",
    ):
        page.goto(f"{live_server.url}{path}")
        fits(page)
