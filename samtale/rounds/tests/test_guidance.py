"""The guidance for employees and leaders (docs/domain.md § Guidance): what MUS is and is not, the
appreciative conversation with its two example dialogues, how to prepare, good feedback, the
"must improve" notice, privacy and what happens after; reachable from the start page, the
invitation e-mail and each step; HR adapts the texts per concept."""

from __future__ import annotations

from datetime import datetime, time

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations.services.scheduling import conversation_schedule
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.outbox.delivery import outbox_deliver
from samtale.rounds.guide import DEFAULT_TOPICS, KEYS, blocks, topics_of
from samtale.testing import Mus, Org, working_day
from samtale.testing.pages import text_of
from samtale.testing.scheduling import mails_to


def test_the_shipped_guidance_covers_what_the_seed_asks_for() -> None:
    assert KEYS == ("what", "method", "prepare", "feedback", "must_improve", "privacy", "after")
    method = next(topic for topic in DEFAULT_TOPICS if topic.key == "method")
    dialogues = [block for block in blocks(method.text) if block.kind == "dialogue"]
    assert len(dialogues) == 2  # the seed's two examples: the negotiating and the appreciative one
    assert all(speaker in ("L", "M") for block in dialogues for speaker, _words in block.turns)
    privacy = next(topic for topic in DEFAULT_TOPICS if topic.key == "privacy")
    assert "Dit privatliv er kun et emne, hvis du selv tager det op." in privacy.text


def test_everyone_signed_in_reads_the_guidance_and_a_stranger_signs_in_first(org: Org, mus: Mus) -> None:
    index = org.client("employee").get(reverse("rounds:guide")).content.decode()
    for topic in topics_of(mus.concept):
        assert reverse("rounds:guide_topic", args=[topic.key]) in index
    page = text_of(org.client("employee").get(reverse("rounds:guide_topic", args=["method"])).content.decode())
    assert "Eksempel 2" in page and "Hvad gjorde du for, at det blev sådan?" in page
    assert org.client("employee").get(reverse("rounds:guide_topic", args=["nothing"])).status_code == 404
    assert Client().get(reverse("rounds:guide")).status_code == 302


def test_the_guidance_is_linked_from_the_start_page_each_step_and_the_invitation(org: Org, mus: Mus) -> None:
    home = org.client("employee").get(reverse("dashboards:home")).content.decode()
    assert reverse("rounds:guide") in home
    detail = org.client("employee").get(reverse("conversations:detail", args=[mus.conversation.uuid])).content
    assert reverse("rounds:guide_topic", args=["what"]) in detail.decode()  # invited: what MUS is
    preparation = org.client("employee").get(reverse("conversations:preparation", args=[mus.conversation.uuid]))
    assert reverse("rounds:guide_topic", args=["prepare"]) in preparation.content.decode()
    mail.outbox.clear()
    when = timezone.make_aware(datetime.combine(working_day(7), time(10)))
    conversation_schedule(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, when=TimeAndPlace(when, 60, location="A")
    )
    outbox_deliver()
    invitation = [m for m in mails_to(org.employee) if m.alternatives][-1]
    assert reverse("rounds:guide") in invitation.body and reverse("rounds:guide") in str(invitation.alternatives[0][0])


def test_hr_adapts_the_texts_of_a_concept_and_everyone_reads_them(org: Org, mus: Mus) -> None:
    url = reverse("rounds:concept_guide", args=[mus.concept.uuid])
    for persona in ("employee", "leader", "regional_hr"):
        assert org.client(persona).get(url).status_code == 404
    form = {f"{t.key}-title": t.title for t in DEFAULT_TOPICS} | {f"{t.key}-text": t.text for t in DEFAULT_TOPICS}
    form["prepare-text"] = "Hos os forbereder du dig med dit team først.\n\n- Læs enhedens fokusområder"
    assert org.client("hr").post(url, form).status_code == 302
    mus.concept.refresh_from_db()
    assert mus.concept.guide == {"prepare": {"text": form["prepare-text"]}}  # only what differs is kept
    page = text_of(org.client("employee").get(reverse("rounds:guide_topic", args=["prepare"])).content.decode())
    assert "Hos os forbereder du dig med dit team først." in page and "Læs enhedens fokusområder" in page
    assert AuditEvent.objects.filter(action="rounds.concept_guide_saved").exists()
    # Emptied, a text goes back to the shipped one.
    form["prepare-text"] = ""
    org.client("hr").post(url, form)
    mus.concept.refresh_from_db()
    assert mus.concept.guide == {}
    # Too long is refused with the reason, and nothing changes.
    form["what-text"] = "x" * 10_001
    response = org.client("hr").post(url, form)
    assert response.status_code == 400 and 'href="#what-text"' in response.content.decode()
