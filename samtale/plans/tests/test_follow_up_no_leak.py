"""No leak of the follow-up (docs/trust.md § No leak): a crawl as each persona, from the start page,
the plan's page and its follow-up page, finds the text of a progress note, a departure and the
follow-up's record only where the persona may read the follow-up (the employee, the leader, the
chain); and no e-mail of the follow-up carries any of it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samtale.plans.services import follow_up
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, crawl
from samtale.testing.follow_up import GOAL, as_, signed_plan

NOTE = "Fremskridt-hemmeligt-4417"
WHY = "Afvigelse-hemmelig-8820"
REACHED = "Opnaaet-hemmeligt-1299"
READERS = {"employee", "leader", "head", "director"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_follow_ups_text_reaches_only_its_readers(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    follow_up.progress_record(
        viewer=as_(org, "employee"), plan=plan, item=GOAL, status="under_way", note=NOTE, on=timezone.localdate()
    )
    follow_up.departure_register(viewer=as_(org, "leader"), plan=plan, why=WHY)
    follow_up.follow_up_mark_held(
        viewer=as_(org, "leader"), plan=plan, held_on=timezone.localdate(), reached=REACHED, carries_over=REACHED
    )
    for message in mail.outbox:
        text = message.subject + message.body + "".join(str(part[0]) for part in message.alternatives)
        assert not [secret for secret in (NOTE, WHY, REACHED) if secret in text]

    client = org.client(persona)
    pages: dict[str, str] = {}
    known: dict[str, tuple[str, bool]] = {}  # each page fetched once over the three crawls
    for start in ("/", reverse("plans:detail", args=[plan.uuid]), reverse("plans:follow_up", args=[plan.uuid])):
        pages |= crawl(client, start, limit=60, known=known)
    found = {secret for secret in (NOTE, WHY, REACHED) for text in pages.values() if secret in text}
    if persona in READERS:
        assert found == {NOTE, WHY, REACHED}, persona
    else:
        assert not found, f"{persona} read {found}"
