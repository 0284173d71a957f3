"""HR makes the shipped concept their organisation's own, in the browser: copies "MUS med
mening", renames a phase, adds a question to the employee's preparation, saves; later, with a
round using the copy, edits it again and sees a new version while the round keeps the old one.
Every page passes an axe-core audit (WCAG 2.1 A and AA)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from samtale.accounts.models import User
from samtale.demo.organisation import PERSONAS
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Concept, PreparationForm, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_copies_the_default_concept_edits_it_and_sees_the_new_version(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, audit
) -> None:
    default_concept_ensure()  # the data migration's concept (the test database is emptied between tests)
    User.objects.filter(email=PERSONAS["hr"].email).update(language="en")
    sign_in(page, PERSONAS["hr"].email)

    page.goto(live_server.url + "/rounds/")
    page.get_by_role("navigation", name="MUS rounds").get_by_role("link", name="Concepts").click()
    expect(page.get_by_role("heading", name="Conversation concepts")).to_be_visible()
    audit(page)

    page.get_by_role("link", name="MUS med mening", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("MUS med mening")
    expect(page.get_by_role("heading", name="The conversation in 6 phases")).to_be_visible()
    expect(page.get_by_label("Hvad lærte du?")).to_be_disabled()  # the employee's form, as they will see it
    audit(page)

    page.get_by_role("link", name=re.compile("^Copy")).click()
    audit(page)
    page.get_by_label("Name of the copy").fill("Vesterbys MUS")
    page.get_by_role("button", name="Make the copy").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Vesterbys MUS")
    expect(page.get_by_role("status")).to_contain_text("The copy is saved.")
    audit(page)
    phases = page.get_by_role("region", name="Phases of the conversation")
    phases.get_by_role("group", name="Phase 2").get_by_label("Heading").fill("Feedback begge veje")

    employee = page.get_by_role("region", name="The employee's preparation")
    employee.get_by_role("button", name="Add a question for the employee").click()
    new_question = page.get_by_role("region", name="The employee's preparation").get_by_role(
        "group", name="Question 10"
    )
    expect(new_question.get_by_label(re.compile("^Question"))).to_be_focused()
    # What was typed before the page came back is still there.
    expect(
        page.get_by_role("region", name="Phases of the conversation")
        .get_by_role("group", name="Phase 2")
        .get_by_label("Heading")
    ).to_have_value("Feedback begge veje")
    audit(page)
    new_question.get_by_label(re.compile("^Question")).fill("Hvad vil du gerne lære det kommende år?")
    new_question.get_by_label("Help").fill("Fx et fag, en metode eller et nyt område.")
    page.get_by_role("button", name="Save the concept").first.click()

    expect(page.get_by_role("status")).to_contain_text("The changes are saved.")
    expect(page.get_by_role("heading", name="Feedback begge veje")).to_be_visible()
    expect(page.get_by_label("Hvad vil du gerne lære det kommende år?")).to_be_visible()
    audit(page)
    copy = Concept.objects.get(name="Vesterbys MUS")
    assert copy.version == 1  # no round used it: changed in place
    assert copy.questions.filter(form=PreparationForm.EMPLOYEE).count() == 10
    assert Concept.objects.get(name="MUS med mening").phases.get(key="feedback").heading != "Feedback begge veje"

    # A round starts using the copy; the next edit becomes version 2 and the round keeps version 1.
    Round.objects.create(name="MUS-2028", concept=copy, opens_on=date(2027, 10, 15), held_by=date(2028, 3, 31))
    page.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.locator(".alert")).to_contain_text("Version 1 is used by the round MUS-2028")
    page.get_by_label("Days to hand in the plan").fill("21")
    page.get_by_role("button", name="Save the concept").last.click()

    expect(page.get_by_role("status")).to_contain_text("The changes are saved as version 2.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 2")
    versions = page.get_by_role("table", name="Versions")
    expect(versions.get_by_role("row")).to_have_count(3)
    expect(versions).to_contain_text("MUS-2028")
    audit(page)

    page.get_by_role("navigation", name="MUS rounds").get_by_role("link", name="Concepts").click()
    expect(page.get_by_role("link", name=re.compile("^Version 2"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Version 1 \(Vesterbys MUS\)"))).to_be_visible()
    audit(page)
    assert Round.objects.get(name="MUS-2028").concept_id == copy.pk
