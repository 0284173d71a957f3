"""Writing the plan walked in the browser by the demo's people, every page on a 390 px phone and at
1280 px (never scrolling sideways) with an axe-core audit (WCAG 2.1 A and AA) at both: the employee
finds the plan on their start page, writes a focus area, a goal with an activity in Danish weeks and
the follow-up, adds and removes a goal row (htmx), is told about a follow-up too late, and saves;
the leader finds it on the team overview and comments; the employee reads the comment beside the
form; HR extends the activity catalogue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.conversations.models import Conversation
from samtale.conversations.services import meeting
from samtale.demo.organisation import PERSONAS
from samtale.org.models import Person
from samtale.plans.models import ActivityType, Plan, PlanComment
from samtale.plans.services import writing
from samtale.testing import launch_demo_round
from samtale.testing.plans import follow_up_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, sign_in, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_the_employee_writes_the_plan_and_the_leader_comments(page: Page, live_server, demo, sign_in, fits) -> None:  # type: ignore[no-untyped-def]
    errors = watch_console(page)
    round_ = launch_demo_round()
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    leader = Person.objects.get(email=PERSONAS["leader"].email)
    hr = PERSONAS["hr"].email
    # Our new words are English until the lead translates them: these people read English.
    User.objects.filter(email__in=[employee.email, leader.email, hr]).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee=employee)
    leader_viewer = viewer_for(User.objects.get(email=leader.email))
    meeting.minutes_save(
        viewer=leader_viewer,
        conversation=conversation,
        notes={round_.concept.phases.order_by("order").first().key: "Lønsystemet skal kunne køres af flere"},
        version=0,
    )
    meeting.open_item_add(
        viewer=leader_viewer,
        conversation=conversation,
        text="Budget til kursus i lønsystemet",
        responsible="Lederen",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    meeting.conversation_mark_held(viewer=leader_viewer, conversation=conversation, held_on=timezone.localdate())
    plan = Plan.objects.get(conversation=conversation)

    # The employee finds the plan on their start page and opens the form.
    sign_in(page, employee.email)
    page.get_by_role("link", name=f"Your development plan ({round_.name})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Development plan for {employee.name}")
    fits(page)
    page.get_by_role("link", name="Write the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write your development plan")
    expect(page.get_by_text("Lønsystemet skal kunne køres af flere")).to_be_visible()
    expect(page.get_by_text("Budget til kursus i lønsystemet")).to_be_visible()
    fits(page)

    page.locator("#fa-0-text").fill("Flere opgaver i lønkørslen")
    page.locator("#goal-0-text").fill("Kan køre lønnen alene")
    page.locator("#goal-0-measure").fill("Har kørt lønnen tre måneder uden hjælp")
    page.locator("#goal-0-act-0-type").select_option(label="Peer training")
    page.locator("#goal-0-act-0-text").fill("Sidemandsoplæring")
    page.locator("#goal-0-act-0-from").fill("uge 10–16")
    page.locator("#goal-0-act-0-starts").fill("Min leder")
    page.locator("#goal-0-act-0-follow_up_how").fill("Evalueres på teammøde")
    # A second goal row, added in place; the text already written stays; then removed again.
    page.get_by_role("button", name="Add a goal").click()
    expect(page.locator("#goal-1-text")).to_be_focused()
    expect(page.locator("#goal-0-text")).to_have_value("Kan køre lønnen alene")
    fits(page)
    page.get_by_role("button", name="Remove the goal (goal 2)").click()
    expect(page.locator("#goal-1-text")).to_have_count(0)

    # A follow-up too late is refused with a clear message tied to its field.
    late = writing.add_months(timezone.localdate(), round_.concept.follow_up_within_months) + timedelta(days=1)
    page.locator("#follow_up").fill(late.isoformat())
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".error-summary")).to_contain_text("at most 6 months after the conversation")
    expect(page.locator("#follow_up")).to_have_attribute("aria-invalid", "true")
    fits(page)
    page.locator("#follow_up").fill(f"uge {follow_up_week()}")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The plan is saved.")).to_be_visible()
    fits(page)
    version = plan.versions.get()
    assert version.content["goals"][0]["activities"][0]["from"].endswith("-W10")
    assert version.content["goals"][0]["activities"][0]["to"].endswith("-W16")
    assert version.follow_up_week.endswith(f"-W{follow_up_week():02d}")

    # The leader finds the plan on the team overview, reads it and comments.
    switch_to(page, sign_in, leader.email)
    page.goto(live_server.url + reverse("dashboards:team"))
    fits(page)
    page.get_by_role("link", name=f"Being written ({employee.name})").click()
    expect(page.get_by_text("Kan køre lønnen alene")).to_be_visible()
    fits(page)
    page.get_by_label("Your comment or suggestion").fill("Skriv også hvornår vi følger op på målet")
    page.get_by_role("button", name="Save the comment").click()
    expect(page.get_by_text("Your comment is saved, and the employee is told.")).to_be_visible()
    fits(page)
    assert PlanComment.objects.get().text == "Skriv også hvornår vi følger op på målet"

    # The employee reads the comment beside the form.
    switch_to(page, sign_in, employee.email)
    page.goto(live_server.url + reverse("plans:edit", args=[plan.uuid]))
    expect(page.get_by_text("Skriv også hvornår vi følger op på målet")).to_be_visible()
    expect(page.locator("#goal-0-text")).to_have_value("Kan køre lønnen alene")
    fits(page)

    # HR adds an activity type of its own.
    switch_to(page, sign_in, hr)
    page.goto(live_server.url + reverse("rounds:list"))
    page.get_by_role("link", name="Development activities").click()
    fits(page)
    page.locator("#id_name").fill("Jobrotation")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("The activity type is added.")).to_be_visible()
    fits(page)
    assert ActivityType.objects.filter(name="Jobrotation", active=True).exists()
    # The refused follow-up answered 400, as a form with errors should; nothing else went wrong.
    assert [e for e in errors if "status of 400" not in e] == []


def test_the_plan_saves_itself_and_leaving_with_unsaved_text_asks_first(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits
) -> None:
    round_ = launch_demo_round()
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    User.objects.filter(email=employee.email).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee=employee)
    leader = viewer_for(User.objects.get(email=PERSONAS["leader"].email))
    meeting.conversation_mark_held(viewer=leader, conversation=conversation, held_on=timezone.localdate())
    plan = Plan.objects.get(conversation=conversation)
    sign_in(page, employee.email)
    page.goto(live_server.url + reverse("plans:edit", args=[plan.uuid]))
    fits(page)
    for field, text in (("#fa-0-text", "Flere opgaver i lønkørslen"), ("#goal-0-text", "Kan køre lønnen alene")):
        with page.expect_response(lambda response: response.request.method == "POST"):
            page.locator(field).fill(text)
        expect(page.locator("#save-status")).to_contain_text("Saved at")
    plan.refresh_from_db()
    content = plan.versions.get().content
    assert content["focus_areas"][0]["text"] == "Flere opgaver i lønkørslen"
    assert content["goals"][0]["text"] == "Kan køre lønnen alene"

    # Typed and not yet saved: leaving the page asks first (the browser's own question).
    asked: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#goal-0-measure").fill("Har kørt lønnen tre måneder")
    page.get_by_role("link", name="Back to the plan").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Write your development plan")  # stayed
