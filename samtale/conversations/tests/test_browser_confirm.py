"""Asked first, in the browser (samtale/lib/confirm.py): cancelling a booked time, which e-mails
everyone invited, opens a dialog that says what will happen; "No" and Escape leave everything as
it was, "Yes" does it. The dialog passes axe, and works by keyboard alone."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.services.scheduling import conversation_schedule
from samtale.demo.organisation import PERSONAS
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.testing import launch_demo_round, working_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cancelling_a_time_is_asked_first_in_a_dialog(page: Page, live_server, demo, sign_in, audit) -> None:  # type: ignore[no-untyped-def]
    round_ = launch_demo_round()
    leader = User.objects.get(email=PERSONAS["leader"].email)
    User.objects.filter(pk=leader.pk).update(language="en")
    conversation = Conversation.objects.get(round=round_, employee__email=PERSONAS["employee"].email)
    when = timezone.make_aware(datetime.combine(working_day(7), time(10)))
    conversation_schedule(
        viewer=viewer_for(leader), conversation=conversation, when=TimeAndPlace(when, 60, location="Rum 2")
    )
    sign_in(page, leader.email)
    page.goto(live_server.url + reverse("conversations:schedule", args=[conversation.uuid]))
    page.wait_for_load_state()  # htmx ready: the question comes as a dialog

    page.get_by_role("button", name="Cancel the time").click()
    dialog = page.get_by_role("dialog", name=f"Cancel the time of the conversation with {conversation.employee.name}?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Everyone invited gets an e-mail")
    audit(page)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    dialog.page.get_by_role("button", name="Cancel the time").click()
    page.get_by_role("dialog").get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert Conversation.objects.get(pk=conversation.pk).status == ConversationStatus.SCHEDULED

    page.get_by_role("button", name="Cancel the time").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, cancel the time").click()
    expect(page.get_by_text("The time is cancelled and everyone invited is told.")).to_be_visible()
    assert Conversation.objects.get(pk=conversation.pk).status == ConversationStatus.INVITED
