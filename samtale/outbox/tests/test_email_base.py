"""Every HTML e-mail on one base (docs/domain.md § Invitation and reminders): the organisation and
Samtale at the top, the link as a clear button, and why the reader got it; the text part says the
same without the markup."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.services.scheduling import conversation_schedule
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.outbox.delivery import outbox_deliver
from samtale.outbox.kinds import BUTTON_STYLE
from samtale.testing import Mus, Org, working_day
from samtale.testing.scheduling import mails_to

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def test_every_html_email_extends_the_base_and_has_its_link_as_a_button() -> None:
    bodies = sorted(TEMPLATES.glob("*/body.html"))
    assert len(bodies) > 30
    for body in bodies:
        text = body.read_text()
        assert text.startswith('{% extends "emails/base.html" %}'), body
        assert "<body" not in text and "<html" not in text, body
        assert 'style="{{ button_style }}"' in text or "_survey_links.html" in text, body


def test_an_invitation_names_the_organisation_shows_a_button_and_says_why(org: Org, mus: Mus, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ORGANISATION_NAME = "Vesterby Kommune"
    mail.outbox.clear()
    when = timezone.make_aware(datetime.combine(working_day(7), time(10)))
    conversation_schedule(
        viewer=viewer_for(org.user("leader")),
        conversation=mus.conversation,
        when=TimeAndPlace(when, 60, location="Mødelokale 2"),
    )
    outbox_deliver()
    message = [m for m in mails_to(org.employee) if m.alternatives][-1]  # the invitation, last
    html = str(message.alternatives[0][0])
    assert "Vesterby Kommune" in html and ">Samtale</span>" in html
    assert f'style="{BUTTON_STYLE}"' in html and settings.BASE_URL in html
    assert "Vesterby Kommune" in html.split("border-top")[1]  # why: the footer names whose Samtale
    assert "<a href" not in message.body and settings.BASE_URL in message.body  # the text part
