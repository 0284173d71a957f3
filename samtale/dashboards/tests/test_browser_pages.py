"""The pages not walked by the persona tests: the account, the error pages and the
administration, each audited with axe-core and checked for Content Security Policy breaks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_my_account_and_the_password_change_are_accessible(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    errors = watch_console(page)
    sign_in(page, PERSONAS["employee"].email)
    page.get_by_role("link", name="Min konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min konto")
    audit(page)
    page.get_by_role("combobox", name="Sprog").select_option("en")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    page.get_by_role("link", name="Change your password").click()
    audit(page)
    page.get_by_label("Old password").fill("wrong")
    page.get_by_role("button", name="Save the password").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit(page)
    assert errors == []


def test_a_page_that_is_not_there_explains_itself_accessibly(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["employee"].email)
    response = page.goto(live_server.url + "/organisation/people/00000000-0000-0000-0000-000000000000/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden blev ikke fundet")
    audit(page)


def test_the_administration_works_under_the_content_security_policy(page: Page, live_server, demo, sign_in) -> None:  # type: ignore[no-untyped-def]
    errors = watch_console(page)
    sign_in(page, "admin@vesterby.example")
    page.get_by_role("link", name="Loghændelser").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(live_server.url + "/admin/org/person/")
    page.get_by_role("searchbox").fill("Freja")
    page.keyboard.press("Enter")
    expect(page.get_by_role("cell", name="Freja Sørensen")).to_be_visible()
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_a_new_person_s_first_page_the_invitation_is_accessible(page: Page, live_server, demo, audit) -> None:  # type: ignore[no-untyped-def]
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from samtale.accounts.models import User
    from samtale.accounts.tokens import invitation_token_generator

    user = User.objects.get(email=PERSONAS["employee"].email)
    user.set_unusable_password()
    user.save()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page.goto(f"{live_server.url}/activate/{uid}/{invitation_token_generator.make_token(user)}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samtale")
    audit(page)
    page.locator("#id_new_password1").fill("kort")
    page.locator("#id_new_password2").fill("kort")
    page.get_by_role("button").last.click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile("^Fejl: "))
    audit(page)


def test_the_not_allowed_page_is_accessible(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    from samtale.org.models import Unit

    sign_in(page, PERSONAS["employee"].email)
    unit = Unit.objects.get(code="VK-1.1.1")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/organisation/units/{unit.uuid}/leader/",
        form={"leader_number": "10001", "csrfmiddlewaretoken": token},
        headers={"Referer": live_server.url + "/"},
    )
    assert response.status == 403
    page.set_content(response.text())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ikke tilladt")
    audit(page)


def test_hr_changes_a_unit_s_leader_and_discards_an_import(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    sign_in(page, PERSONAS["hr"].email)
    page.goto(live_server.url + "/organisation/")
    page.get_by_role("link", name="Vesterby Kommune").click()
    page.locator("summary", has_text="Skift enhedens leder").click()
    page.get_by_label("Lederens medarbejdernummer").fill("99999999")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit(page)

    page.goto(live_server.url + "/organisation/import/")
    examples = Path(__file__).resolve().parents[3] / "examples"
    page.get_by_label("Fil fra HR-systemet").set_input_files(examples / "hr-eksport.csv")
    page.get_by_role("button", name="Kontrollér filen").click()
    page.get_by_role("button", name="Kassér").click()
    expect(page.get_by_role("status")).to_contain_text("kasseret")
    audit(page)


def test_what_waits_on_the_start_page_is_accessible_and_leads_on(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    """Management's round waiting for goals, and what is shared with the union representative."""
    from datetime import timedelta

    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.accounts.models import User
    from samtale.conversations.models import Conversation
    from samtale.conversations.services import attendees
    from samtale.demo.round import demo_round_seed
    from samtale.org.models import Person, Unit
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.services.rounds import round_create

    def as_(persona: str):  # type: ignore[no-untyped-def]
        return viewer_for(User.objects.get(email=PERSONAS[persona].email))

    current = demo_round_seed()
    today = timezone.localdate()
    round_create(
        viewer=as_("hr"),
        name="MUS-Næste",
        concept=default_concept_ensure(),
        opens_on=today + timedelta(days=200),
        held_by=today + timedelta(days=300),
        units=[Unit.objects.get(parent=None)],
    )
    conversation = Conversation.objects.get(round=current, employee__email=PERSONAS["employee"].email)
    attendees.union_rep_bring(
        viewer=as_("employee"),
        conversation=conversation,
        representative=Person.objects.get(email=PERSONAS["union_rep"].email),
    )
    attendees.union_rep_summon(viewer=as_("leader"), conversation=conversation)

    sign_in(page, PERSONAS["management"].email)
    expect(page.get_by_role("heading", name="MUS-Næste er under forberedelse")).to_be_visible()
    audit(page)
    page.get_by_role("link", name="Skriv rundens mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Målene for MUS-Næste")

    page.context.clear_cookies()
    sign_in(page, PERSONAS["union_rep"].email)
    shared = page.get_by_role("region", name="Delt med dig")
    expect(shared).to_contain_text("Som tillidsrepræsentant")
    audit(page)
    shared.get_by_role("link").first.click()
    expect(page.get_by_role("navigation", name="Du er her").get_by_role("link")).to_have_text("Mine samtaler")
    audit(page)
