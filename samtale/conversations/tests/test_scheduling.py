"""Setting the time and place of one conversation (docs/domain.md § Before the conversation, step 3,
and § Invitation and reminders): only the employee's current personnel leader, never in the past or
after the round's deadline, 15–240 minutes, a place or an http(s) link; rescheduling and cancelling
tell everyone invited, and the same form posted twice sends once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.services import scheduling
from samtale.outbox.models import OutboxMessage
from samtale.testing import Mus, Org
from samtale.testing.scheduling import (
    calendar_of,
    english,
    fetch,
    local,
    mails_to,
    schedule,
    schedule_form,
    viewer,
    when,
)


@pytest.fixture(autouse=True)
def _no_round_mail(mus: Mus) -> None:
    mail.outbox.clear()


# The rules -----------------------------------------------------------------------------------------


def test_the_leader_schedules_and_the_employee_gets_the_invitation(org: Org, mus: Mus) -> None:
    conversation = schedule(org, mus.conversation)
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.SCHEDULED
    assert conversation.starts_at == local()
    assert conversation.invitation_sent_at is not None
    (invitation,) = mails_to(org.employee)
    assert "MUS-2027" in invitation.subject
    assert AuditEvent.objects.filter(action="conversations.scheduled", target_id=str(conversation.uuid)).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"days": -1}, "date", "passed"),
        ({"days": 0, "hour": 0, "minute": 1}, "time", "passed"),
        ({"days": 91}, "date", "held by"),
        ({"duration_minutes": 14}, "duration_minutes", "15 to 240"),
        ({"duration_minutes": 241}, "duration_minutes", "15 to 240"),
        ({"location": "", "online_url": ""}, "location", "place"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "https://"),
        ({"online_url": "ftp://example.org/møde"}, "online_url", "https://"),
    ],
)
def test_a_bad_time_or_place_is_refused_with_a_clear_message_and_nothing_is_written(
    org: Org, mus: Mus, change: dict[str, Any], field: str, message: str, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    conversation = fetch(org, "leader", mus.conversation)
    # At noon today, so that 00:01 today has passed whatever hour the suite runs at (it had not, a
    # minute after midnight).
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with time_machine.travel(noon, tick=False), pytest.raises(ValidationError) as error:
        scheduling.conversation_schedule(viewer=viewer(org, "leader"), conversation=conversation, when=when(**change))
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    conversation.refresh_from_db()
    assert conversation.starts_at is None and conversation.status == ConversationStatus.INVITED
    assert mail.outbox == []


def test_the_last_day_of_the_round_is_allowed_and_a_link_alone_is_a_place(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=90, location="", online_url="https://meet.example/mus")
    mus.conversation.refresh_from_db()
    assert mus.conversation.online_url == "https://meet.example/mus"


def test_only_the_current_personnel_leader_may_schedule(org: Org, mus: Mus) -> None:
    for persona in ("employee", "head", "director", "former_leader", "hr", "colleague"):
        with pytest.raises(PermissionDenied):
            scheduling.conversation_schedule(viewer=viewer(org, persona), conversation=mus.conversation, when=when())
    assert Conversation.objects.get(pk=mus.conversation.pk).starts_at is None


def test_a_new_personnel_leader_schedules_and_the_former_may_not(org: Org, mus: Mus) -> None:
    org.employee.personnel_leader = org.former_leader
    org.employee.save(update_fields=["personnel_leader"])
    with pytest.raises(PermissionDenied):
        scheduling.conversation_schedule(viewer=viewer(org, "leader"), conversation=mus.conversation, when=when())
    conversation = fetch(org, "former_leader", mus.conversation)
    scheduling.conversation_schedule(viewer=viewer(org, "former_leader"), conversation=conversation, when=when())
    assert Conversation.objects.get(pk=mus.conversation.pk).status == ConversationStatus.SCHEDULED


def test_the_leader_cannot_be_in_two_conversations_at_once(org: Org, mus: Mus) -> None:
    schedule(org, mus.colleague_conversation, hour=10)
    conversation = fetch(org, "leader", mus.conversation)
    with pytest.raises(ValidationError) as error:
        scheduling.conversation_schedule(
            viewer=viewer(org, "leader"), conversation=conversation, when=when(hour=10, minute=30)
        )
    assert org.colleague.name in " ".join(error.value.message_dict["time"])
    # Back to back is fine.
    scheduling.conversation_schedule(viewer=viewer(org, "leader"), conversation=conversation, when=when(hour=11))


def test_a_held_conversation_cannot_be_rescheduled(org: Org, mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.HELD, held_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        schedule(org, mus.conversation)


def test_rescheduling_sends_an_update_with_the_same_uid_and_a_higher_sequence(org: Org, mus: Mus) -> None:
    english(org.employee)
    schedule(org, mus.conversation, hour=10)
    schedule(org, mus.conversation, hour=13, location="Lokale 4")
    first, second = mails_to(org.employee)
    one, two = calendar_of(first), calendar_of(second)
    assert one["METHOD"] == two["METHOD"] == "REQUEST"
    assert one.events[0]["UID"] == two.events[0]["UID"] == f"{mus.conversation.uuid}@samtale"
    assert int(two.events[0]["SEQUENCE"]) > int(one.events[0]["SEQUENCE"])
    assert two.events[0]["LOCATION"] == "Lokale 4"
    assert second.subject.startswith("Updated invitation:")
    assert not first.subject.startswith("Updated")
    assert AuditEvent.objects.filter(action="conversations.rescheduled").count() == 1


def test_the_same_time_saved_twice_sends_one_invitation(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    conversation = fetch(org, "leader", mus.conversation)
    assert (
        scheduling.conversation_schedule(viewer=viewer(org, "leader"), conversation=conversation, when=when()) is False
    )
    assert len(mails_to(org.employee)) == 1
    assert Conversation.objects.get(pk=mus.conversation.pk).calendar_sequence == 0


def test_the_form_posted_twice_sends_once(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    url = reverse("conversations:schedule", args=[mus.conversation.uuid])
    assert client.post(url, schedule_form()).status_code == 302
    assert client.post(url, schedule_form()).status_code == 302
    assert OutboxMessage.objects.filter(kind="conversations.invitation").count() == 1
    assert len(mails_to(org.employee)) == 1


def test_cancelling_sends_a_cancellation_and_the_conversation_is_to_be_scheduled_again(org: Org, mus: Mus) -> None:
    conversation = schedule(org, mus.conversation)
    assert scheduling.conversation_cancel(viewer=viewer(org, "leader"), conversation=conversation) is True
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.INVITED and conversation.starts_at is None
    invitation, cancellation = mails_to(org.employee)
    cancelled = calendar_of(cancellation)
    assert cancelled["METHOD"] == "CANCEL"
    assert cancelled.events[0]["UID"] == calendar_of(invitation).events[0]["UID"]
    assert cancelled.events[0]["STATUS"] == "CANCELLED"
    assert int(cancelled.events[0]["SEQUENCE"]) > int(calendar_of(invitation).events[0]["SEQUENCE"])
    assert cancelled.events[0].start == local()
    # Cancelling again does nothing; a new time is a new update with a higher sequence still.
    assert scheduling.conversation_cancel(viewer=viewer(org, "leader"), conversation=conversation) is False
    schedule(org, mus.conversation, hour=14)
    again = calendar_of(mails_to(org.employee)[-1])
    assert again["METHOD"] == "REQUEST"
    assert int(again.events[0]["SEQUENCE"]) > int(cancelled.events[0]["SEQUENCE"])


def test_the_schedule_page_shows_errors_at_their_fields(org: Org, mus: Mus) -> None:
    english(org.leader)
    client = org.client("leader")
    url = reverse("conversations:schedule", args=[mus.conversation.uuid])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, schedule_form(date=(timezone.localdate() - timedelta(days=1)).isoformat()))
    assert response.status_code == 400
    assert "Error:" in response.content.decode()
    assert response.context["form"].errors["date"]
    response = client.post(url, schedule_form(duration_minutes="9999", online_url="ftp://x.example"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"duration_minutes", "online_url"}
    assert Conversation.objects.get(pk=mus.conversation.pk).starts_at is None


def test_the_schedule_page_is_for_the_leader_only(org: Org, mus: Mus) -> None:
    url = reverse("conversations:schedule", args=[mus.conversation.uuid])
    assert org.client("leader").get(url).status_code == 200
    assert org.client("employee").get(url).status_code == 403
    assert org.client("head").get(url).status_code == 403
    assert org.client("outsider").get(url).status_code == 404
    assert org.client("hr").get(url).status_code == 404


def test_cancelling_through_the_page(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    cancel = reverse("conversations:schedule_cancel", args=[mus.conversation.uuid])
    # Asked first: the question, and nothing done until it is answered yes.
    asked = org.client("leader").post(cancel).content.decode()
    assert "data-confirm" not in asked and 'name="confirmed" value="1"' in asked
    assert Conversation.objects.get(pk=mus.conversation.pk).status == ConversationStatus.SCHEDULED
    response = org.client("leader").post(cancel, {"confirmed": "1"})
    assert response.status_code == 302
    assert Conversation.objects.get(pk=mus.conversation.pk).starts_at is None
    assert (
        org.client("employee").post(reverse("conversations:schedule_cancel", args=[mus.conversation.uuid])).status_code
        == 403
    )


def test_the_conversation_page_shows_the_time_and_the_calendar_link(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, location="Mødelokale 2")
    page = org.client("employee").get(reverse("conversations:detail", args=[mus.conversation.uuid])).content.decode()
    assert "Mødelokale 2" in page
    assert reverse("conversations:ics", args=[mus.conversation.uuid]) in page
    leader_page = (
        org.client("leader").get(reverse("conversations:detail", args=[mus.conversation.uuid])).content.decode()
    )
    assert reverse("conversations:schedule", args=[mus.conversation.uuid]) in leader_page
    assert reverse("conversations:slots", args=[mus.round.uuid]) in leader_page
    assert reverse("conversations:schedule", args=[mus.conversation.uuid]) not in page
