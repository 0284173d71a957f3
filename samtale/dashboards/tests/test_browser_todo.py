"""The start page as a to-do list, in the browser: the leader reads what waits, follows a line to
the page where it is done, and the menu on every other page shows how many things wait (fetched
after the page has loaded). On a phone and at 1280 px, with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS
from samtale.testing import launch_demo_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_reads_what_to_do_follows_it_and_the_menu_counts_it(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits
) -> None:
    launch_demo_round()
    sign_in(page, PERSONAS["leader"].email)
    todo = page.get_by_role("region", name="Det skal du gøre")
    lines = todo.get_by_role("listitem")
    expect(lines.first).to_be_visible()
    count = lines.count()
    invite = todo.get_by_role("link", name=re.compile(r"^Invitér \d+ medarbejdere til samtale i MUS-2027$"))
    expect(invite).to_be_visible()
    expect(todo).to_contain_text("senest")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.locator(".todo-count")).to_have_text(re.compile(rf"^{count}"))
    fits(page)

    invite.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit team")
    # On this page the count is asked for after the page has loaded, and says the same.
    expect(menu.locator(".todo-count")).to_have_text(re.compile(rf"^{count}"))
    expect(menu.get_by_role("link", name=re.compile(rf"Mine samtaler {count} opgaver"))).to_be_visible()
