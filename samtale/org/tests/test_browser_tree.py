"""The organisation's tree as a screen reader hears it: each "Units below" names its unit
("Underliggende enheder (Vesterby Kommune)"), without a stray space before a colon — the hidden
part of a name is positioned out of the flow, so the browser sets it apart with a space."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_units_below_names_its_unit(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, PERSONAS["hr"].email)
    page.goto(live_server.url + "/organisation/")
    expect(page.locator("summary").first).to_be_visible()
    tree = page.locator("main ul.tree").aria_snapshot()
    assert "Underliggende enheder (Vesterby Kommune)" in tree, tree
    assert " : " not in tree, tree
    audit(page)
