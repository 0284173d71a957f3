"""The pages not walked by the persona tests: the account, the error pages and the
administration, each audited with axe-core and checked for Content Security Policy breaks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samtale.org.demo import PERSONAS

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
