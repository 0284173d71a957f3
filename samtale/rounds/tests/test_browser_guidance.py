"""The guidance in the browser: the employee opens *Om MUS* from the header, reads the appreciative
conversation with its two dialogues and goes on to the next topic; HR adapts a text of the
concept and the employee reads it. On a 390 px phone and at 1280 px, with axe at both."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS
from samtale.testing import launch_demo_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_guidance_is_read_from_the_header_and_adapted_by_hr(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits
) -> None:
    launch_demo_round()
    sign_in(page, PERSONAS["employee"].email)
    page.get_by_role("link", name="Om MUS").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Om MUS")
    fits(page)
    page.get_by_role("link", name="Den værdsættende samtale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Den værdsættende samtale")
    expect(page.locator("dl.dialogue")).to_have_count(2)  # the seed's two examples
    fits(page)
    page.get_by_role("link", name="Sådan forbereder du dig →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sådan forbereder du dig")

    page.context.clear_cookies()
    sign_in(page, PERSONAS["hr"].email)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="MUS-runder").click()
    page.get_by_role("link", name="Koncepter").click()
    page.get_by_role("link", name="MUS med mening").first.click()
    page.get_by_role("link", name="Tilpas vejledningen").click()
    fits(page)
    page.locator("#prepare-text").fill("Hos os forbereder du dig sammen med dit team.")
    page.get_by_role("button", name="Gem vejledningen").click()
    expect(page.get_by_role("status")).to_contain_text("Vejledningen er gemt.")

    page.context.clear_cookies()
    sign_in(page, PERSONAS["employee"].email)
    page.goto(live_server.url + "/rounds/guide/prepare/")
    expect(page.get_by_text("Hos os forbereder du dig sammen med dit team.")).to_be_visible()
