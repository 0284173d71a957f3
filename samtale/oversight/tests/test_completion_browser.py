"""The completion overview walked in the browser, with an axe-core audit (WCAG 2.1 A and AA) on
every page, bars included: HR opens it from the rounds area, drills down to a unit, filters its
people and reminds the leaders of late conversations; a leader opens their own from My team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.accounts.models import User
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.demo.organisation import PERSONAS
from samtale.outbox.models import OutboxMessage
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Round
from samtale.testing import launch_demo_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_follows_the_round_drills_down_and_reminds_the_leaders(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, audit
) -> None:
    default_concept_ensure()
    User.objects.filter(email__in=[p.email for p in PERSONAS.values()]).update(language="en")
    round_ = launch_demo_round()
    today = timezone.localdate()
    held = Conversation.objects.filter(round=round_).order_by("pk")[:10].values_list("pk", flat=True)
    Conversation.objects.filter(pk__in=list(held)).update(status=ConversationStatus.HELD, held_on=today)
    Round.objects.filter(pk=round_.pk).update(opens_on=today - timedelta(days=60), held_by=today - timedelta(days=1))

    sign_in(page, PERSONAS["hr"].email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="MUS rounds").click()
    page.get_by_role("navigation", name="MUS rounds").get_by_role("link", name="Completion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Completion of the rounds")
    audit(page)
    page.get_by_role("link", name="MUS-2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Completion of MUS-2027")
    expect(page.locator("table.completion tbody tr").first).to_be_visible()
    audit(page)

    # The first unit's people, then only those late.
    unit_name = page.locator("table.completion tbody th a").nth(1).inner_text()
    page.locator("table.completion tbody th a").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{unit_name} in MUS-2027")
    audit(page)
    page.get_by_label("Only those late").check()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tbody")).to_contain_text("Not held by the deadline")
    audit(page)
    page.get_by_label("State").select_option("held")
    page.get_by_label("Only those late").uncheck()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_be_visible()
    audit(page)

    # Back to the overview, to remind the leaders.
    page.get_by_role("navigation", name="You are here").get_by_role("link", name="MUS-2027").click()
    page.wait_for_load_state()  # htmx ready: the question comes as a dialog
    page.get_by_role("button", name="Remind their leaders by e-mail").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, send the reminders").click()
    expect(page.get_by_role("status")).to_contain_text("A reminder goes to")
    audit(page)
    assert OutboxMessage.objects.filter(kind="oversight.nudge").exists()

    # A leader finds their own part of it from My team.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["leader"].email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My team").click()
    page.get_by_role("link", name="Completion of MUS-2027 in your team and units").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Completion of MUS-2027")
    expect(page.get_by_role("button", name="Remind their leaders by e-mail")).to_have_count(0)
    audit(page)
