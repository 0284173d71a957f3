"""Preparation and the conversation walked in the browser by the demo's people, every page on a
390 px phone and at 1280 px (never scrolling sideways) with an axe-core audit (WCAG 2.1 A and
AA) at both: the employee prepares (autosaved) and shares; the
leader reads it and prepares; both open the guide and write notes; an open item is added; the
leader marks the conversation held and sees it on the team overview. The print view is audited
on screen and as printed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.accounts.models import User
from samtale.conversations.models import (
    Conversation,
    ConversationStatus,
    EmployeePreparation,
    LeaderPreparation,
    Minutes,
    OpenItem,
)
from samtale.demo.organisation import PERSONAS
from samtale.org.models import Person
from samtale.testing import launch_demo_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, sign_in, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_preparing_and_holding_the_conversation(page: Page, live_server, demo, sign_in, fits) -> None:  # type: ignore[no-untyped-def]
    errors = watch_console(page)
    round_ = launch_demo_round()
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    leader = Person.objects.get(email=PERSONAS["leader"].email)
    # Our new words are English until the lead translates them: these two read English.
    User.objects.filter(email__in=[employee.email, leader.email]).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee=employee)
    detail = live_server.url + reverse("conversations:detail", args=[conversation.uuid])
    questions = list(round_.concept.questions.filter(form="employee").order_by("order"))
    leader_questions = list(round_.concept.questions.filter(form="leader").order_by("order"))
    phases = list(round_.concept.phases.order_by("order"))

    # The employee prepares: the answer saves itself, and nothing is shared yet.
    sign_in(page, employee.email)
    page.goto(detail)
    fits(page)
    page.get_by_role("link", name="My preparation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My preparation")
    fits(page)
    page.get_by_label(questions[0].text).fill("Da vi fik den nye lønmodul i luften")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    prepared = EmployeePreparation.objects.get(conversation=conversation)
    assert prepared.answers == {questions[0].key: "Da vi fik den nye lønmodul i luften"}
    assert prepared.shared_with_leader_at is None
    fits(page)
    # The Save button works too, and the page comes back with the answer.
    page.get_by_label(questions[1].text).fill("Vi hjalp hinanden")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your preparation is saved.")).to_be_visible()
    expect(page.get_by_label(questions[1].text)).to_have_value("Vi hjalp hinanden")
    page.wait_for_load_state()  # htmx ready: the question comes as a dialog
    page.get_by_role("button", name="Share with your leader").click()
    # Asked first, with how much is written.
    dialog = page.get_by_role("dialog", name="Share your preparation with your leader?")
    expect(dialog).to_contain_text("You have answered")
    fits(page)
    dialog.get_by_role("button", name="Yes, share it").click()
    expect(page.get_by_text("Your leader can now read your preparation.")).to_be_visible()
    fits(page)

    # The leader reads what was shared, and prepares in private.
    switch_to(page, sign_in, leader.email)
    page.goto(detail)
    fits(page)
    page.get_by_role("link", name=f"{employee.name}'s preparation").click()
    expect(page.get_by_text("Da vi fik den nye lønmodul i luften")).to_be_visible()
    fits(page)
    page.goto(detail)
    page.get_by_role("link", name="My preparation as leader").click()
    expect(page).to_have_url(re.compile(r"/leader-preparation/$"))
    fits(page)
    page.get_by_label(leader_questions[0].text).fill("En god snak om fremtiden")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    assert LeaderPreparation.objects.get(conversation=conversation).answers == {
        leader_questions[0].key: "En god snak om fremtiden"
    }
    page.get_by_role("link", name="Print this preparation").click()
    expect(page.get_by_text("En god snak om fremtiden")).to_be_visible()
    fits(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    fits(page)
    page.emulate_media(media="screen")

    # Both open the guide; the leader writes the goals and an open item.
    page.goto(detail)
    page.get_by_role("link", name="The meeting guide and notes").click()
    expect(page.get_by_role("heading", level=2, name=phases[0].heading)).to_be_visible()
    fits(page)
    steps = page.get_by_role("navigation", name="The six phases")
    expect(steps.get_by_role("link", name=re.compile(phases[0].heading))).to_have_attribute("aria-current", "step")
    fits(page)
    # Written, the notes save themselves; the form learns the new version, so saving again works.
    page.get_by_label(f"Notes on “{phases[0].heading}”").fill("At få en plan")
    expect(page.locator("#minutes-status")).to_contain_text("Saved at")
    page.get_by_label(f"Notes on “{phases[0].heading}”").fill("At få en plan for lønsystemet")
    page.get_by_role("button", name="Save the notes").click()
    expect(page.get_by_text("The notes are saved.")).to_be_visible()
    # Keyboard: the right arrow key (when not writing) goes on to the next phase — once the saved
    # page has loaded its script (pressed before, the key reaches a page that does not listen yet).
    page.wait_for_load_state()
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    expect(steps.get_by_role("link", name=re.compile(phases[1].heading))).to_have_attribute("aria-current", "step")
    expect(steps.get_by_role("link", name=re.compile(phases[0].heading))).to_contain_text("has notes")
    steps.get_by_role("link", name=re.compile(phases[-1].heading)).click()
    page.get_by_label("What must be clarified").fill("Budget til kursus i lønsystemet")
    page.get_by_label("Who answers").fill("Lederen")
    page.get_by_label("Answer by").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Add the open item").click()
    expect(page.get_by_text("The open item is added.")).to_be_visible()
    # Phase 6 shows the goals of phase 1 and the open item.
    summary = page.locator(f"#phase-{phases[-1].key}")
    expect(summary.get_by_text("At få en plan for lønsystemet")).to_be_visible()
    expect(summary.get_by_text("Budget til kursus i lønsystemet", exact=True)).to_be_visible()
    fits(page)

    switch_to(page, sign_in, employee.email)
    page.goto(detail)
    page.get_by_role("link", name="The meeting guide and notes").click()
    expect(page.get_by_label(f"Notes on “{phases[0].heading}”")).to_have_value("At få en plan for lønsystemet")
    page.get_by_role("navigation", name="The six phases").get_by_role(
        "link", name=re.compile(phases[1].heading)
    ).click()
    page.get_by_label(f"Notes on “{phases[1].heading}”").fill("Projektet gik godt")
    page.get_by_role("button", name="Save the notes").click()
    expect(page.get_by_text("The notes are saved.")).to_be_visible()
    # The whole guide, to read or print.
    page.get_by_role("link", name="The whole guide, to read or print").click()
    expect(page.get_by_role("heading", level=2, name=phases[-1].heading)).to_be_visible()
    fits(page)
    minutes = Minutes.objects.get(conversation=conversation)
    assert minutes.notes == {phases[0].key: "At få en plan for lønsystemet", phases[1].key: "Projektet gik godt"}
    assert minutes.version == 3
    assert OpenItem.objects.filter(conversation=conversation).count() == 1

    # The leader marks the conversation held; the plan's due date shows; the team overview too.
    switch_to(page, sign_in, leader.email)
    page.goto(detail)
    page.get_by_role("link", name="Mark the conversation held").click()
    fits(page)
    # Only the answer "held" and its date show; "why not" is folded under the other answer.
    expect(page.get_by_label("Held on")).to_be_visible()
    expect(page.get_by_label("Why not")).to_be_hidden()
    expect(page.get_by_label("Note")).to_be_hidden()
    page.get_by_text("No, it will not be held").click()
    expect(page.get_by_label("Why not")).to_be_visible()
    page.get_by_text("No, it will not be held").click()
    expect(page.get_by_label("Why not")).to_be_hidden()
    page.get_by_label("Held on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save: it was held").click()
    expect(page.get_by_text("The outcome is saved.")).to_be_visible()
    expect(page.get_by_text("The development plan is due on")).to_be_visible()
    fits(page)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HELD
    assert conversation.held_with_id == leader.pk
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My team").click()
    row = page.get_by_role("row").filter(has_text=employee.name).first
    expect(row).to_contain_text("Held")
    expect(row.get_by_role("link", name="Shared with you")).to_be_visible()
    fits(page)
    assert not errors, errors


def test_a_held_conversation_leaves_the_preparation_readable_and_printable(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits
) -> None:
    round_ = launch_demo_round()
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    User.objects.filter(email=employee.email).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee=employee)
    question = round_.concept.questions.filter(form="employee").order_by("order").first()
    EmployeePreparation.objects.create(conversation=conversation, answers={question.key: "Mit svar"})
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.HELD, held_on=timezone.localdate())
    sign_in(page, employee.email)
    page.goto(live_server.url + reverse("conversations:preparation", args=[conversation.uuid]))
    expect(page.get_by_text("The conversation is over")).to_be_visible()
    expect(page.get_by_text("Mit svar")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    fits(page)
    page.get_by_role("link", name="Print this preparation").click()
    page.emulate_media(media="print")
    expect(page.get_by_text("Mit svar")).to_be_visible()
    fits(page)
