"""Each persona of the demo signs in through the browser, sees the navigation their role should
see, and every page they reach passes an axe-core audit (WCAG 2.1 A and AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAVIGATION = {
    "employee": ["Mine samtaler", "Kompetencer"],
    "leader": ["Mine samtaler", "Mit team", "MUS-runder", "Evalueringer", "Kompetencer", "Organisationen"],
    "department_head": ["Mine samtaler", "Mit team", "MUS-runder", "Evalueringer", "Kompetencer", "Organisationen"],
    "director": ["Mine samtaler", "Mit team", "MUS-runder", "Evalueringer", "Kompetencer", "Organisationen"],
    "management": ["Mine samtaler", "Mit team", "MUS-runder", "Evalueringer", "Kompetencer", "Organisationen"],
    "union_rep": ["Mine samtaler", "Kompetencer"],
    "hr": ["Mine samtaler", "MUS-runder", "Kompetencer", "Organisationen"],
}


@pytest.mark.parametrize("persona", list(NAVIGATION))
def test_each_persona_sees_the_navigation_of_their_role_and_every_page_reads_on_a_phone_and_a_laptop(
    page: Page,
    live_server,
    demo,
    sign_in,
    fits,
    persona: str,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(page, PERSONAS[persona].email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine samtaler")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav.get_by_role("link")).to_have_text(NAVIGATION[persona])
    fits(page)
    for label in NAVIGATION[persona][1:]:
        nav.get_by_role("link", name=label).click()
        expect(nav.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        fits(page)


def test_the_administrator_reaches_the_administration(page: Page, live_server, demo, sign_in) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "admin@vesterby.example")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_the_sign_in_pages_are_accessible_and_a_wrong_password_is_explained(
    page: Page,
    live_server,
    demo,
    audit,  # type: ignore[no-untyped-def]
) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    audit(page)
    page.get_by_label("E-mailadresse").fill(PERSONAS["employee"].email)
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".errorlist.nonfield")).to_be_visible()
    audit(page)
    page.get_by_role("link", name=re.compile("Glemt din adgangskode")).click()
    audit(page)
    page.get_by_label("E-mailadresse").fill(PERSONAS["employee"].email)
    page.get_by_role("button").last.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit(page)


def test_the_whole_app_works_by_keyboard_from_the_skip_link(page: Page, live_server, demo, sign_in) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["leader"].email)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indholdet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # On to the team by keyboard alone.
    page.goto(live_server.url + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Mit team":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit team")


def test_a_person_switches_to_english_and_it_is_remembered(page: Page, live_server, demo, sign_in) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["employee"].email)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My conversations")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Sign out").click()
    sign_in_english = page.get_by_role("button", name="Sign in")
    expect(sign_in_english).to_be_visible()


def test_a_leader_walks_their_unit_and_a_person_s_page(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["department_head"].email)
    page.get_by_role("link", name="Mit team").click()
    page.get_by_role("link", name="Mads Østergaard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mads Østergaard")
    audit(page)
    page.get_by_role("navigation", name="Du er her").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Løn og Regnskab")
    expect(page.get_by_role("rowheader", name="Freja Sørensen")).to_be_visible()
    audit(page)
    page.get_by_role("link", name="Organisationen").first.click()
    audit(page)


def test_hr_finds_a_person_with_live_search_and_changes_their_participation(
    page: Page,
    live_server,
    demo,
    sign_in,
    audit,  # type: ignore[no-untyped-def]
) -> None:
    sign_in(page, PERSONAS["hr"].email)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Organisationen").click()
    audit(page)
    page.get_by_role("searchbox").fill("freja sørensen")  # htmx filters as you type
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^1 "))
    page.get_by_role("link", name="Freja Sørensen").click()
    audit(page)
    page.get_by_label("Aldrig, uanset ansættelsestype").check()
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator(".errorlist")).to_be_visible()  # the reason is missing
    audit(page)
    page.get_by_label("Begrundelse").fill("Orlov hele året")
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.locator("dd", has_text="Orlov hele året")).to_be_visible()
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Organisationen").click()
    for tab in ("Enheder", "Import", "Roller"):
        page.get_by_role("navigation", name="Organisationen").get_by_role("link", name=tab).click()
        audit(page)


def test_the_organisation_tree_opens_in_place_by_keyboard(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["employee"].email)
    page.goto(live_server.url + "/organisation/")
    top = page.locator("details").first
    top.locator("summary").focus()
    page.keyboard.press("Enter")  # a summary opens with Enter, as a button does
    expect(top.locator(".subunits").get_by_role("link", name="Økonomi og Personale")).to_be_visible()
    nested = top.locator(".subunits details").first
    nested.locator("summary").click()
    expect(nested.locator(".subunits li").first).to_be_visible()
    audit(page)


def test_the_back_button_after_a_live_search_shows_the_whole_page(page: Page, live_server, demo, sign_in) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["hr"].email)
    page.goto(live_server.url + "/organisation/people/")
    page.get_by_role("searchbox").fill("freja sørensen")
    page.get_by_role("link", name="Freja Sørensen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Freja Sørensen")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    # Back through the searches htmx pushed onto the history: each restores the whole page.
    page.get_by_role("searchbox").fill("hanne")
    expect(page).to_have_url(re.compile("q=hanne"))
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
