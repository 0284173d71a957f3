"""Signing walked in the browser by the demo's people, every page on a 390 px phone and at 1280 px
(never scrolling sideways) with an axe-core audit (WCAG 2.1 A and AA) at both: the employee hands in
a complete plan; the leader asks for a change; the employee changes it in the form and hands it in
again; the leader mistypes the password, then signs; the employee signs; both download the PDF (the
employee's copy, the leader's original, read back with pdftotext); the versions and the signed
version's page."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.conversations.models import Conversation
from samtale.conversations.services import meeting
from samtale.demo.organisation import DEMO_PASSWORD, PERSONAS
from samtale.org.models import Person
from samtale.plans.models import Plan, PlanStatus, PlanVersion, Signature
from samtale.testing import launch_demo_round
from samtale.testing.signing import complete_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page: Page, sign_in, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    # A form sent back with its errors answers 400 on purpose; the browser logs that as an error.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" and "status of 400" not in message.text else None
        ),
    )
    return errors


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is missing: install poppler-utils (scripts/bootstrap dev does)")
    text = subprocess.run([pdftotext, str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603
    return " ".join(text.split())


def download(page: Page, link_name: str, tmp_path: Path, name: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = tmp_path / name
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    return pdf_text(path)


def test_handing_in_asking_for_a_change_signing_and_downloading(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits, tmp_path: Path
) -> None:
    errors = watch_console(page)
    round_ = launch_demo_round()
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    leader = Person.objects.get(email=PERSONAS["leader"].email)
    # Our new words are English until the lead translates them: these two read English.
    User.objects.filter(email__in=[employee.email, leader.email]).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee=employee)
    leader_viewer = viewer_for(User.objects.get(email=leader.email))
    held_on = timezone.localdate()
    meeting.conversation_mark_held(viewer=leader_viewer, conversation=conversation, held_on=held_on)
    plan = Plan.objects.get(conversation=conversation)
    # A complete plan, as the employee's form saves it (the writing area's browser test walks the form).
    PlanVersion.objects.filter(plan=plan, number=1).update(
        content=complete_content(), follow_up_on=held_on + timedelta(days=120)
    )
    detail = live_server.url + reverse("plans:detail", args=[plan.uuid])

    # The employee hands the plan in.
    sign_in(page, employee.email)
    page.goto(detail)
    fits(page)
    page.get_by_role("button", name="Hand in the plan to your leader").click()
    expect(page.get_by_text("The plan is handed in. Your leader is told.")).to_be_visible()
    fits(page)

    # The leader asks for a change.
    switch_to(page, sign_in, leader.email)
    page.goto(detail)
    fits(page)
    page.get_by_role("link", name="Ask for changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ask {employee.name} to change the plan")
    fits(page)
    page.get_by_role("button", name="Ask for changes").click()  # empty: told what is missing
    expect(page.locator(".error-summary")).to_contain_text("Say what should be changed.")
    fits(page)
    page.get_by_label("What should be changed").fill("Skriv hvornår målet er nået")
    page.get_by_role("button", name="Ask for changes").click()
    expect(page.get_by_text("You asked for changes. The employee is told.")).to_be_visible()
    fits(page)

    # The employee reads the request, changes the goal in the form and hands it in again.
    switch_to(page, sign_in, employee.email)
    page.goto(detail)
    expect(page.get_by_role("note").get_by_text("Skriv hvornår målet er nået")).to_be_visible()
    fits(page)
    page.goto(live_server.url + reverse("plans:edit", args=[plan.uuid]))
    page.locator("#goal-0-text").fill("Kan selv køre lønkørslen fra 1. maj")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The plan is saved.")).to_be_visible()
    page.goto(detail)
    page.get_by_role("button", name="Hand in the changed plan").click()
    expect(page.get_by_text("The plan is handed in. Your leader is told.")).to_be_visible()
    fits(page)

    # The leader signs: a mistyped password first.
    switch_to(page, sign_in, leader.email)
    page.goto(detail)
    page.get_by_role("link", name="Sign the plan").click()
    expect(page.get_by_text("Kan selv køre lønkørslen fra 1. maj")).to_be_visible()
    fits(page)
    page.get_by_label("Your password").fill("forkert")
    page.get_by_role("button", name="Sign the plan").click()
    expect(page.locator(".error-summary")).to_contain_text("The password is not right.")
    fits(page)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign the plan").click()
    expect(page.get_by_text("You have signed. The other side is asked to sign.")).to_be_visible()
    fits(page)

    # The employee signs, and downloads their copy.
    switch_to(page, sign_in, employee.email)
    page.goto(detail)
    page.get_by_role("link", name="Sign the plan").click()
    fits(page)
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign the plan").click()
    expect(page.get_by_text("You have signed. The plan is signed by both.")).to_be_visible()
    fits(page)
    plan.refresh_from_db()
    version = plan.versions.get()
    assert plan.status == PlanStatus.SIGNED and version.content_hash
    assert Signature.objects.filter(version=version).count() == 2
    copy = download(page, "Download the signed plan (version 1) as PDF", tmp_path, "copy.pdf")
    assert "Copy" in copy and "Original" not in copy
    assert "Kan selv køre lønkørslen fra 1. maj" in copy and version.content_hash in copy

    # The leader holds the original; the versions and the signed version read back.
    switch_to(page, sign_in, leader.email)
    page.goto(detail)
    original = download(page, "Download the signed plan (version 1) as PDF", tmp_path, "original.pdf")
    assert "Original" in original and leader.name in original and employee.name in original
    page.get_by_role("link", name="The plan's version and its history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions of the development plan")
    fits(page)
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_text(version.content_hash)).to_be_visible()
    fits(page)
    assert errors == []


def test_amending_a_signed_plan_shows_what_changed(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits
) -> None:
    from samtale.plans.services import signing

    errors = watch_console(page)
    round_ = launch_demo_round()
    employee = Person.objects.get(email=PERSONAS["employee"].email)
    leader = Person.objects.get(email=PERSONAS["leader"].email)
    User.objects.filter(email__in=[employee.email, leader.email]).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee=employee)
    as_employee = viewer_for(User.objects.get(email=employee.email))
    as_leader = viewer_for(User.objects.get(email=leader.email))
    meeting.conversation_mark_held(viewer=as_leader, conversation=conversation, held_on=timezone.localdate())
    plan = Plan.objects.get(conversation=conversation)
    PlanVersion.objects.filter(plan=plan, number=1).update(
        content=complete_content(), follow_up_on=timezone.localdate() + timedelta(days=120)
    )
    signing.plan_submit(viewer=as_employee, plan=plan)
    signing.plan_sign(viewer=as_leader, plan=plan, password=DEMO_PASSWORD)
    signing.plan_sign(viewer=as_employee, plan=plan, password=DEMO_PASSWORD)
    detail = live_server.url + reverse("plans:detail", args=[plan.uuid])

    # The leader starts an amendment, saying why.
    sign_in(page, leader.email)
    page.goto(detail)
    page.get_by_role("link", name="Amend the signed plan").click()
    fits(page)
    page.get_by_role("button", name="Start the amendment").click()
    expect(page.locator(".error-summary")).to_contain_text("Say why the plan is amended.")
    fits(page)
    page.get_by_label("Why the plan is amended").fill("Kurset er aflyst")
    page.get_by_role("button", name="Start the amendment").click()
    expect(page.get_by_text("The amendment is started as a new version. The other side is told.")).to_be_visible()
    fits(page)

    # The employee changes the goal, hands the amendment in; both sign it.
    switch_to(page, sign_in, employee.email)
    page.goto(live_server.url + reverse("plans:edit", args=[plan.uuid]))
    page.locator("#goal-0-text").fill("Kan selv køre lønkørslen uden kursus")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("The plan is saved.")).to_be_visible()
    page.goto(detail)
    page.get_by_role("button", name="Hand in the plan to your leader").click()
    expect(page.get_by_text("The plan is handed in. Your leader is told.")).to_be_visible()
    signing.plan_sign(viewer=as_leader, plan=plan, password=DEMO_PASSWORD)
    signing.plan_sign(viewer=as_employee, plan=plan, password=DEMO_PASSWORD)

    # Version 2 shows what changed against version 1, in words; version 1 stays readable.
    page.goto(detail)
    page.get_by_role("link", name="The plan's 2 versions and what changed").click()
    fits(page)
    page.get_by_role("link", name="Version 2", exact=True).click()
    changes = page.locator("section", has=page.get_by_role("heading", name="What changed since version 1"))
    expect(changes).to_contain_text("Changed:")
    expect(changes.locator("del")).to_contain_text("Kan selv køre lønkørslen")
    expect(changes.locator("ins")).to_contain_text("Kan selv køre lønkørslen uden kursus")
    fits(page)
    page.goto(live_server.url + reverse("plans:plan_version", args=[plan.uuid, 1]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 of the development plan")
    fits(page)
    assert errors == []
