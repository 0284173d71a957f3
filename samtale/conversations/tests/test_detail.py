"""The conversation's page: what each person reads on it, in words meant for them, and no heading
without something under it, before the conversation and after."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.services import meeting
from samtale.testing import Mus, Org
from samtale.testing.scheduling import english


def test_the_employee_finds_their_conversation_on_the_start_page(org: Org, mus: Mus) -> None:
    home = org.client("employee").get(reverse("dashboards:home"))
    assert [c.pk for c in home.context["conversations"]] == [mus.conversation.pk]
    page = org.client("employee").get(reverse("conversations:detail", args=[mus.conversation.uuid]))
    assert page.status_code == 200
    assert page.context["phases"][0].heading == "Mål og forventninger til samtalen"


def _detail(org: Org, persona: str, mus: Mus) -> str:
    return html.unescape(
        org.client(persona).get(reverse("conversations:detail", args=[mus.conversation.uuid])).content.decode()
    )


def _headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", page, re.DOTALL)]


def test_each_reads_about_the_daily_leader_in_their_own_words(org: Org, mus: Mus) -> None:
    english(org.employee, org.leader)
    assert "Your daily leader" in _headings(_detail(org, "employee", mus))
    leaders = _headings(_detail(org, "leader", mus))
    assert "The employee's daily leader" in leaders
    assert "Your daily leader" not in leaders


@pytest.mark.parametrize("persona", ["employee", "leader"])
@pytest.mark.parametrize("held", [False, True])
def test_no_heading_on_the_conversations_page_stands_empty(org: Org, mus: Mus, persona: str, held: bool) -> None:
    english(org.employee, org.leader)
    if held:
        meeting.conversation_mark_held(
            viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
        )
    page = _detail(org, persona, mus)
    main = page[page.index("<main") : page.index("</main>")]
    # Every heading is followed by something before the next heading or the end of its section.
    assert not re.search(r"</h[1-6]>\s*(<h[1-6][\s>]|</section>)", main)


def test_after_the_conversation_the_employee_reads_who_did_not_take_part(org: Org, mus: Mus) -> None:
    english(org.employee)
    meeting.conversation_mark_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
    )
    page = _detail(org, "employee", mus)
    assert "You have not asked for your daily leader to take part." in page
    assert "You have not chosen to bring a union representative." in page
