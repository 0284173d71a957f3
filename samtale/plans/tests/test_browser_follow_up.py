"""The follow-up walked in the browser by the demo's people (docs/domain.md § Follow-up), every
page on a 390 px phone and at 1280 px (never scrolling sideways) with an axe-core audit (WCAG
2.1 A and AA) at both: with a signed plan, a month later both record
progress (and the employee meets the form's error summary first), the employee registers a
departure, the leader calls the follow-up conversation and marks it held, and the employee reads
what was reached; then HR moves the employee to another leader with the placement form, the new
leader sees the plan's follow-up while the former leader gets 404, and the employee passes the
minutes of the held conversation on to the new leader."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.accounts.models import User
from samtale.conversations.models import Conversation, MinutesConsent
from samtale.demo.organisation import DEMO_PASSWORD, PERSONAS
from samtale.org.models import Person, Unit
from samtale.plans.models import Departure, FollowUp, Progress
from samtale.testing import launch_demo_round, weekend_day
from samtale.testing.follow_up import ACTIVITY, GOAL, make_signed_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, sign_in, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def _another_leader(employee: Person) -> Person:
    """A leader of a team outside the employee's line, who is not above the employee's leader."""
    lineage = set(employee.unit.lineage_ids)
    above = {employee.personnel_leader_id}
    unit = (
        Unit.objects.filter(leader__isnull=False, children__isnull=True)
        .exclude(pk__in=lineage)
        .exclude(leader_id__in=above)
        .select_related("leader")
        .order_by("path")
        .first()
    )
    assert unit is not None and unit.leader is not None
    return unit.leader


def test_following_the_plan_up_and_changing_leader(page: Page, live_server, demo, sign_in, fits) -> None:  # type: ignore[no-untyped-def]
    round_ = launch_demo_round()
    employee = Person.objects.select_related("unit").get(email=PERSONAS["employee"].email)
    leader = Person.objects.get(email=PERSONAS["leader"].email)
    hr = Person.objects.get(email=PERSONAS["hr"].email)
    new_leader = _another_leader(employee)
    # Our new words are English until the lead translates them.
    User.objects.filter(email__in=[employee.email, leader.email, hr.email, new_leader.email]).update(language="en")
    # The new leader is one of the demo's many people: give them the demo's password to sign in.
    new_user = User.objects.get(email=new_leader.email)
    new_user.set_password(DEMO_PASSWORD)
    new_user.save(update_fields=["password"])
    conversation = Conversation.objects.get(round=round_, employee=employee)
    agreed = timezone.localdate() + timedelta(days=120)
    plan = make_signed_plan(conversation, leader=leader, follow_up_by=agreed)
    follow_up_url = live_server.url + reverse("plans:follow_up", args=[plan.uuid])

    with time_machine.travel(timezone.now() + timedelta(days=31), tick=True):
        today = timezone.localdate()

        # A month later the employee records progress; a date in the future is refused first.
        sign_in(page, employee.email)
        page.goto(follow_up_url)
        expect(page.get_by_role("heading", level=1)).to_have_text("The follow-up of your development plan")
        fits(page)
        page.get_by_role("link", name="Record progress (Kan køre lønnen alene)", exact=True).click()
        fits(page)
        page.get_by_label("Under way").check()
        page.get_by_label("Note").fill("Første lønkørsel sammen med Kåre")
        page.get_by_label("As of").fill((today + timedelta(days=1)).isoformat())
        page.get_by_role("button", name="Save the progress").click()
        expect(page.locator(".error-summary")).to_contain_text("The date is in the future")
        fits(page)
        page.get_by_label("As of").fill(today.isoformat())
        page.get_by_role("button", name="Save the progress").click()
        expect(page.get_by_text("The progress is recorded.")).to_be_visible()
        expect(page.get_by_text("Første lønkørsel sammen med Kåre")).to_be_visible()
        fits(page)
        # … and says the plan must be departed from, with why.
        page.get_by_role("link", name="Register that the plan must be departed from").click()
        fits(page)
        page.get_by_label("Why must the plan be departed from?").fill("Kurset i ferieloven er aflyst")
        page.get_by_role("button", name="Register and tell the other").click()
        expect(page.get_by_text("The departure is registered, and the other side is told.")).to_be_visible()
        fits(page)
        assert Departure.objects.filter(plan=plan, side="employee").count() == 1

        # The leader records progress, calls the follow-up and holds it.
        switch_to(page, sign_in, leader.email)
        page.goto(follow_up_url)
        expect(page.get_by_text("Kurset i ferieloven er aflyst")).to_be_visible()
        fits(page)
        page.get_by_role("link", name="Record progress (Sidemandsoplæring med Kåre)", exact=True).click()
        page.get_by_label("Done").check()
        page.get_by_label("Note").fill("Oplæringen er gennemført")
        page.get_by_role("button", name="Save the progress").click()
        expect(page.get_by_text("The progress is recorded.")).to_be_visible()
        assert {(p.item, p.status) for p in Progress.objects.filter(plan=plan)} == {
            (GOAL, "under_way"),
            (ACTIVITY, "done"),
        }
        page.get_by_role("link", name="Call the follow-up conversation").click()
        fits(page)
        # Later than agreed: refused, naming the date.
        page.get_by_label("Date").fill((agreed + timedelta(days=1)).isoformat())
        page.get_by_label("Time", exact=True).fill("10:00")
        page.get_by_label("Place").fill("Mødelokale 4")
        page.get_by_role("button", name="Save and send the invitation").click()
        expect(page.locator(".error-summary")).to_contain_text("The follow-up conversation must be held by")
        fits(page)
        # A Saturday or Sunday is asked about before anything is sent, and booked once confirmed.
        booked = weekend_day(7)
        page.get_by_label("Date").fill(booked.isoformat())
        page.get_by_role("button", name="Save and send the invitation").click()
        expect(page.locator(".error-summary")).to_contain_text("is a weekend day")
        assert not FollowUp.objects.filter(plan=plan, starts_at__isnull=False).exists()
        fits(page)
        page.get_by_label("Yes, the conversation is to be on a weekend day").check()
        page.get_by_role("button", name="Save and send the invitation").click()
        expect(page.get_by_text("The time is saved and the invitation is on its way.")).to_be_visible()
        assert timezone.localtime(FollowUp.objects.get(plan=plan).starts_at).date() == booked
        expect(page.get_by_text("Mødelokale 4")).to_be_visible()
        fits(page)
        ics = page.request.get(live_server.url + reverse("plans:follow_up_ics", args=[plan.uuid]))
        assert ics.ok and b"METHOD:REQUEST" in ics.body()

    with time_machine.travel(timezone.now() + timedelta(days=(booked - timezone.localdate()).days + 1), tick=True):
        # The day after the follow-up conversation (the session has expired meanwhile).
        switch_to(page, sign_in, leader.email)
        page.goto(follow_up_url)
        page.get_by_role("link", name="Mark the follow-up conversation held").click()
        fits(page)
        page.get_by_label("What was reached").fill("Emil kører lønnen alene")
        page.get_by_label("What carries over to the next round").fill("Ferieloven")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The follow-up conversation is recorded; the employee can read it.")).to_be_visible()
        fits(page)
        assert FollowUp.objects.get(plan=plan).status == "held"

        # The employee reads what was reached.
        switch_to(page, sign_in, employee.email)
        page.goto(follow_up_url)
        expect(page.get_by_text("Emil kører lønnen alene")).to_be_visible()
        fits(page)

        # HR moves the employee to another team and leader.
        switch_to(page, sign_in, hr.email)
        page.goto(live_server.url + reverse("org:person", args=[employee.uuid]))
        new_unit = Unit.objects.get(leader=new_leader, children__isnull=True)
        page.get_by_label("Unit code").fill(new_unit.code)
        page.get_by_label("Personnel leader's employee number").fill(new_leader.employee_number)
        page.get_by_label("Daily leader's employee number").fill("")
        page.get_by_role("button", name="Save the changes").click()
        page.wait_for_load_state()
        fits(page)
        employee.refresh_from_db()
        assert employee.personnel_leader_id == new_leader.pk

        # The new leader sees the plan's follow-up at once; the former leader gets 404.
        switch_to(page, sign_in, new_leader.email)
        response = page.goto(follow_up_url)
        assert response is not None and response.status == 200
        expect(page.get_by_text("Første lønkørsel sammen med Kåre")).to_be_visible()
        fits(page)
        try:
            plan_url = live_server.url + reverse("plans:detail", args=[plan.uuid])
        except NoReverseMatch:
            plan_url = ""
        if plan_url:
            response = page.goto(plan_url)
            assert response is not None and response.status == 200
            fits(page)
        switch_to(page, sign_in, leader.email)
        for url in (follow_up_url, plan_url):
            if url:
                response = page.goto(url)
                assert response is not None and response.status == 404
        fits(page)

        # The employee passes the minutes of the held conversation on to the new leader.
        switch_to(page, sign_in, employee.email)
        page.goto(live_server.url + reverse("plans:minutes_consent"))
        fits(page)
        page.get_by_role("button", name=re.compile(rf"^Pass them on\W+the minutes of {round_.name}$")).click()
        expect(page.get_by_text("Your leader can now read these minutes.")).to_be_visible()
        fits(page)
        assert MinutesConsent.objects.filter(conversation=conversation, leader=new_leader).exists()
