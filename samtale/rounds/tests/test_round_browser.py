"""The round walked in the browser by the demo's people, with an axe-core audit (WCAG 2.1 A and
AA) on every page: HR creates the round, checks the participants and launches it; management
writes a goal; the leader writes the unit's focus areas and opens the round there; the employee
proposes a topic (an empty one is explained); the leader declines it with a word of why, and the
employee reads the answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samtale.accounts.models import User
from samtale.conversations.models import Conversation
from samtale.demo.organisation import PERSONAS
from samtale.outbox.models import OutboxMessage
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import ProposalStatus, Round, RoundStatus, TopicProposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, sign_in, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def main_menu(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="Main menu")


def test_the_round_from_hr_through_the_goals_and_focus_areas_to_a_proposed_topic_and_its_answer(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, audit
) -> None:
    default_concept_ensure()  # the data migration's concept (the test database is emptied between tests)
    # Our new words are English until the lead translates them: these people read English.
    User.objects.filter(email__in=[p.email for p in PERSONAS.values()]).update(language="en")

    # HR creates the round; a first try without a name is explained.
    sign_in(page, PERSONAS["hr"].email)
    main_menu(page).get_by_role("link", name="MUS rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MUS rounds")
    audit(page)
    page.get_by_role("link", name="New round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New round")
    audit(page)
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("alert")).to_contain_text("Name: This field is required.")
    expect(page).to_have_title(re.compile("^Error: "))
    audit(page)
    page.get_by_label("Name").fill("MUS-2027")
    # A unit at any depth, found by typing part of its name: choosing it adds its code.
    find = page.get_by_label("Find a unit")
    find.press_sequentially("Vesterby")
    expect(page.locator("#unit-options option[value='VK']")).to_have_count(1)
    find.fill("VK")
    find.dispatch_event("change")
    expect(page.get_by_label("More units, by their codes")).to_have_value("VK")
    expect(find).to_have_value("")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MUS-2027")
    expect(page.get_by_role("status")).to_contain_text("The round MUS-2027 is created.")
    audit(page)

    # The participants, and those left out with the reason why.
    page.get_by_role("navigation", name="The round MUS-2027").get_by_role("link", name="Participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants in MUS-2027")
    audit(page)
    page.get_by_label("Show").select_option("out")
    expect(page.locator("#participants caption")).to_contain_text("Not taking part")
    expect(page.locator("#participants")).to_contain_text("Employment type")
    audit(page)

    # The launch, after a confirmation.
    page.get_by_role("navigation", name="The round MUS-2027").get_by_role("link", name="Launch").click()
    audit(page)
    page.get_by_role("button", name="Launch the round").click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm that the round may be launched.")
    audit(page)
    page.get_by_label("I have checked the participants, and the round may be launched").check()
    page.get_by_role("button", name="Launch the round").click()
    expect(page.get_by_role("status")).to_contain_text("The round is launched")
    audit(page)
    round_ = Round.objects.get(name="MUS-2027")
    assert round_.status == RoundStatus.LAUNCHED
    assert Conversation.objects.filter(round=round_).exists()

    # Management writes a goal, and sharpens it.
    switch_to(page, sign_in, PERSONAS["management"].email)
    main_menu(page).get_by_role("link", name="MUS rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The goals of MUS-2027")
    audit(page)
    page.get_by_role("textbox", name="Goal").fill("Medarbejderne kommer med ambitiøse forslag")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_role("status")).to_contain_text("The goal is added.")
    audit(page)
    page.get_by_role("link", name="Edit goal 1").click()
    audit(page)
    page.get_by_role("textbox", name="Goal").fill(
        "Medarbejderne kommer med ambitiøse og realistiske forslag til procesforbedring"
    )
    page.get_by_role("button", name="Save the goal").click()
    expect(page.locator(".goals")).to_contain_text("realistiske forslag til procesforbedring")

    # The leader writes what the goals mean, a focus area, and opens the round in the unit.
    switch_to(page, sign_in, PERSONAS["leader"].email)
    expect(page.get_by_role("heading", name="Your units in the round")).to_be_visible()
    audit(page)
    main_menu(page).get_by_role("link", name="MUS rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MUS-2027 in Løn og Regnskab")
    expect(page.get_by_text("realistiske forslag til procesforbedring")).to_be_visible()
    audit(page)
    page.get_by_role("button", name="Open the round in the unit").click()
    expect(page.get_by_role("alert")).to_contain_text("Write at least one focus area first")
    audit(page)
    page.get_by_role("textbox", name="What the goals mean for the unit").fill("Vi ser på vores lønprocesser sammen.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("What the goals mean for the unit is saved.")
    page.get_by_role("textbox", name="Focus area").fill("Vidensdeling om nye lønsystemer")
    page.get_by_role("button", name="Add the focus area").click()
    expect(page.get_by_role("status")).to_contain_text("The focus area is added.")
    page.get_by_role("textbox", name="Focus area").fill("Opgaveudvikling")
    page.get_by_role("button", name="Add the focus area").click()
    page.get_by_role("button", name="Move up focus area 2").click()
    expect(page.locator("#focus-areas ol > li").first).to_contain_text("Opgaveudvikling")
    audit(page)
    page.get_by_role("link", name="Edit focus area 2").click()
    audit(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Open the round in the unit").click()
    expect(page.get_by_role("status")).to_contain_text("The round is open in the unit.")
    audit(page)
    assert OutboxMessage.objects.filter(kind="rounds.unit_opened", to_email=PERSONAS["employee"].email).exists()

    # The employee meets the round on the start page and proposes a topic; too long is explained.
    switch_to(page, sign_in, PERSONAS["employee"].email)
    expect(page.get_by_role("heading", name=re.compile("The round in your unit"))).to_be_visible()
    expect(page.get_by_text("Vidensdeling om nye lønsystemer")).to_be_visible()
    audit(page)
    page.get_by_role("link", name="Propose a topic for your unit's conversations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MUS-2027 in Løn og Regnskab")
    audit(page)
    # The field takes at most 2,000 characters (the server refuses more, tested elsewhere); empty is explained.
    expect(page.get_by_role("textbox", name="Your proposed topic")).to_have_attribute("maxlength", "2000")
    page.get_by_role("button", name="Propose the topic").click()
    expect(page.get_by_role("alert")).to_contain_text("Write something first.")
    audit(page)
    page.get_by_role("textbox", name="Your proposed topic").fill("Mulighed for deltid i spidsbelastninger")
    page.get_by_role("button", name="Propose the topic").click()
    expect(page.get_by_role("status")).to_contain_text("Your topic is proposed.")
    expect(page.locator("#my-proposals")).to_contain_text("Proposed")
    audit(page)

    # The leader declines it with a word of why.
    switch_to(page, sign_in, PERSONAS["leader"].email)
    main_menu(page).get_by_role("link", name="MUS rounds").click()
    proposals = page.get_by_role("region", name="Proposed topics")
    expect(proposals).to_contain_text("Mulighed for deltid i spidsbelastninger")
    audit(page)
    proposals.get_by_label("Decline the topic").check()
    proposals.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Say in a few words why the topic is declined.")
    audit(page)
    proposals = page.get_by_role("region", name="Proposed topics")
    proposals.get_by_label("Decline the topic").check()
    proposals.get_by_role("textbox", name="Why").fill("Det tager vi op i jeres egne samtaler i stedet.")
    proposals.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_role("status")).to_contain_text("Your answer is saved")
    audit(page)
    assert TopicProposal.objects.get().status == ProposalStatus.DECLINED

    # The employee reads the answer.
    switch_to(page, sign_in, PERSONAS["employee"].email)
    page.get_by_role("link", name="Propose a topic for your unit's conversations").click()
    expect(page.locator("#my-proposals")).to_contain_text("Det tager vi op i jeres egne samtaler i stedet.")
    audit(page)
