from __future__ import annotations

from django.urls import reverse

from samtale.testing import Mus, Org


def test_the_employee_finds_their_conversation_on_the_start_page(org: Org, mus: Mus) -> None:
    home = org.client("employee").get(reverse("dashboards:home"))
    assert [c.pk for c in home.context["conversations"]] == [mus.conversation.pk]
    page = org.client("employee").get(reverse("conversations:detail", args=[mus.conversation.uuid]))
    assert page.status_code == 200
    assert page.context["phases"][0].heading == "Mål og forventninger til samtalen"
