"""Special topics (docs/domain.md § Before the conversation, step 3): "Special topics that either
side wants to raise must be announced to the other in good time." Either side announces, the other
sees it and is told by e-mail (a link, never the topic); at most 2,000 characters; before the
conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus, SpecialTopic
from samtale.conversations.services import topics
from samtale.outbox.models import OutboxMessage
from samtale.testing import Mus, Org
from samtale.testing.scheduling import english, fetch, mails_to, schedule, viewer


@pytest.fixture(autouse=True)
def _quiet(mus: Mus) -> None:
    mail.outbox.clear()


def raise_topic(org: Org, persona: str, conversation: Conversation, text: str) -> SpecialTopic:
    return topics.special_topic_raise(
        viewer=viewer(org, persona), conversation=fetch(org, persona, conversation), text=text
    )


def page(org: Org, persona: str, mus: Mus) -> str:
    response = org.client(persona).get(reverse("conversations:detail", args=[mus.conversation.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_employee_announces_a_topic_and_the_leader_sees_it_and_is_told_without_it(org: Org, mus: Mus) -> None:
    topic = raise_topic(org, "employee", mus.conversation, "Jeg vil gerne tale om deltid")
    assert topic.side == "employee" and topic.raised_by == org.employee
    assert "Jeg vil gerne tale om deltid" in page(org, "leader", mus)
    (notice,) = mails_to(org.leader)
    assert "deltid" not in notice.body and "deltid" not in notice.alternatives[0][0] and "deltid" not in notice.subject
    assert reverse("conversations:detail", args=[mus.conversation.uuid]) in notice.body
    assert mails_to(org.employee) == []


def test_the_leader_announces_a_topic_and_the_employee_sees_it(org: Org, mus: Mus) -> None:
    topic = raise_topic(org, "leader", mus.conversation, "Ny opgavefordeling i teamet")
    assert topic.side == "leader"
    assert "Ny opgavefordeling i teamet" in page(org, "employee", mus)
    assert len(mails_to(org.employee)) == 1 and mails_to(org.leader) == []


@pytest.mark.parametrize("persona", ["head", "director"])
def test_the_leader_chain_does_not_see_the_topics(org: Org, mus: Mus, persona: str) -> None:
    raise_topic(org, "employee", mus.conversation, "Et emne kun for de to")
    assert "Et emne kun for de to" not in page(org, persona, mus)
    with pytest.raises(PermissionDenied):
        topics.special_topic_raise(
            viewer=viewer(org, persona), conversation=fetch(org, persona, mus.conversation), text="x"
        )


def test_invited_attendees_do_not_see_the_topics(org: Org, mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader,
        daily_leader_status="agreed",
        union_rep=org.union_rep,
        union_rep_status="summoned",
    )
    raise_topic(org, "employee", mus.conversation, "Et emne kun for de to")
    for persona in ("daily_leader", "union_rep"):
        assert "Et emne kun for de to" not in page(org, persona, mus)
        response = org.client(persona).post(
            reverse("conversations:topic_raise", args=[mus.conversation.uuid]), {"topic-text": "x"}
        )
        assert response.status_code == 403


def test_a_topic_is_at_most_2000_characters(org: Org, mus: Mus) -> None:
    raise_topic(org, "employee", mus.conversation, "x" * 2000)
    with pytest.raises(ValidationError) as error:
        raise_topic(org, "employee", mus.conversation, "y" * 2001)
    assert "2000" in " ".join(error.value.message_dict["text"]) or "2,000" in " ".join(error.value.message_dict["text"])
    assert SpecialTopic.objects.count() == 1


def test_a_topic_of_ten_thousand_lines_gets_a_clear_message_and_writes_nothing(org: Org, mus: Mus) -> None:
    english(org.employee)
    response = org.client("employee").post(
        reverse("conversations:topic_raise", args=[mus.conversation.uuid]), {"topic-text": "linje\n" * 10_000}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "at most 2000 characters" in content
    assert "Error:" in content
    assert (
        not SpecialTopic.objects.exists()
        and OutboxMessage.objects.filter(kind="conversations.topic_raised").count() == 0
    )


def test_an_empty_topic_is_refused(org: Org, mus: Mus) -> None:
    response = org.client("employee").post(
        reverse("conversations:topic_raise", args=[mus.conversation.uuid]), {"topic-text": "   "}
    )
    assert response.status_code == 400
    assert not SpecialTopic.objects.exists()


def test_the_form_posted_twice_announces_once_and_tells_once(org: Org, mus: Mus) -> None:
    client = org.client("employee")
    url = reverse("conversations:topic_raise", args=[mus.conversation.uuid])
    assert client.post(url, {"topic-text": "Arbejdstid"}).status_code == 302
    assert client.post(url, {"topic-text": "Arbejdstid"}).status_code == 302
    assert SpecialTopic.objects.count() == 1
    assert len(mails_to(org.leader)) == 1


def test_a_topic_is_announced_before_the_conversation_not_after(org: Org, mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.SCHEDULED, starts_at=timezone.now() - timedelta(minutes=5)
    )
    with pytest.raises(ValidationError):
        raise_topic(org, "employee", mus.conversation, "For sent")
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.HELD, held_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        raise_topic(org, "leader", mus.conversation, "For sent")
    assert not SpecialTopic.objects.exists()


def test_a_scheduled_conversation_still_takes_topics_until_it_begins(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=1)
    raise_topic(org, "employee", mus.conversation, "I god tid")
    assert SpecialTopic.objects.count() == 1


def test_the_side_that_announced_a_topic_may_withdraw_it_and_the_other_may_not(org: Org, mus: Mus) -> None:
    topic = raise_topic(org, "employee", mus.conversation, "Fortrudt")
    url = reverse("conversations:topic_withdraw", args=[mus.conversation.uuid, topic.uuid])
    assert org.client("leader").post(url).status_code == 403
    assert org.client("head").post(url).status_code == 403
    assert org.client("outsider").post(url).status_code == 404
    assert SpecialTopic.objects.filter(pk=topic.pk).exists()
    assert org.client("employee").post(url).status_code == 302
    assert not SpecialTopic.objects.filter(pk=topic.pk).exists()


def test_a_topic_of_another_conversation_cannot_be_withdrawn_through_this_one(org: Org, mus: Mus) -> None:
    other = raise_topic(org, "leader", mus.colleague_conversation, "Kollegaens emne")
    url = reverse("conversations:topic_withdraw", args=[mus.conversation.uuid, other.uuid])
    assert org.client("leader").post(url).status_code == 404
    assert SpecialTopic.objects.filter(pk=other.pk).exists()
