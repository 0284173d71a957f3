"""The "must improve" notice (docs/domain.md § Before the conversation, step 5): "If the leader
judges that performance or behaviour is not acceptable and must improve, the employee must be told
before the conversation." The leader records it, the employee (and the leader chain) read it, the
employee is told by e-mail with a link only; the leader is warned when it is missing a few days
before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, ConversationStatus, ImprovementNotice, LeaderPreparation
from samtale.conversations.selectors.scheduling import conversations_missing_improvement_notice
from samtale.conversations.services.notice import improvement_notice_give
from samtale.testing import Mus, Org
from samtale.testing.scheduling import english, fetch, mails_to, schedule, viewer

TEXT = "Dine mødetider skal overholdes fremover."


@pytest.fixture(autouse=True)
def _quiet(mus: Mus) -> None:
    mail.outbox.clear()


def give(org: Org, mus: Mus, text: str = TEXT) -> ImprovementNotice:
    return improvement_notice_give(
        viewer=viewer(org, "leader"), conversation=fetch(org, "leader", mus.conversation), text=text
    )


def page(org: Org, persona: str, mus: Mus) -> str:
    response = org.client(persona).get(reverse("conversations:detail", args=[mus.conversation.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_gives_the_notice_and_the_employee_reads_it_before_the_conversation(org: Org, mus: Mus) -> None:
    notice = give(org, mus)
    assert notice.given_by == org.leader
    assert TEXT in page(org, "employee", mus)
    (message,) = mails_to(org.employee)
    assert TEXT not in message.body and TEXT not in message.alternatives[0][0] and TEXT not in message.subject
    assert reverse("conversations:detail", args=[mus.conversation.uuid]) in message.body


@pytest.mark.parametrize("persona", ["head", "director"])
def test_the_leader_chain_reads_it(org: Org, mus: Mus, persona: str) -> None:
    give(org, mus)
    assert TEXT in page(org, persona, mus)


def test_invited_attendees_do_not_read_it(org: Org, mus: Mus) -> None:
    give(org, mus)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader,
        daily_leader_status="agreed",
        union_rep=org.union_rep,
        union_rep_status="summoned",
    )
    assert TEXT not in page(org, "daily_leader", mus)
    assert TEXT not in page(org, "union_rep", mus)


@pytest.mark.parametrize(
    ("persona", "status"), [("employee", 403), ("head", 403), ("director", 403), ("hr", 404), ("colleague", 404)]
)
def test_only_the_leader_gives_it(org: Org, mus: Mus, persona: str, status: int) -> None:
    url = reverse("conversations:notice", args=[mus.conversation.uuid])
    assert org.client(persona).get(url).status_code == status
    assert org.client(persona).post(url, {"text": TEXT}).status_code == status
    if status == 403:
        with pytest.raises(PermissionDenied):
            improvement_notice_give(
                viewer=viewer(org, persona), conversation=fetch(org, persona, mus.conversation), text=TEXT
            )
    assert not ImprovementNotice.objects.exists()


def test_through_the_page_posted_twice_it_is_given_once_and_told_once(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    url = reverse("conversations:notice", args=[mus.conversation.uuid])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": TEXT}).status_code == 302
    assert client.post(url, {"text": TEXT}).status_code == 302
    assert ImprovementNotice.objects.count() == 1
    assert len(mails_to(org.employee)) == 1


def test_a_change_tells_the_employee_again(org: Org, mus: Mus) -> None:
    english(org.employee)
    give(org, mus)
    give(org, mus, "Mødetider og aftaler skal overholdes.")
    _first, second = mails_to(org.employee)
    assert "has changed the notice" in second.body
    assert ImprovementNotice.objects.get().text == "Mødetider og aftaler skal overholdes."


def test_a_bad_notice_gets_a_clear_message_and_writes_nothing(org: Org, mus: Mus) -> None:
    english(org.leader)
    client = org.client("leader")
    url = reverse("conversations:notice", args=[mus.conversation.uuid])
    for text in ("", "   ", "x" * 5001):
        response = client.post(url, {"text": text})
        assert response.status_code == 400
        assert "Error:" in response.content.decode()
    with pytest.raises(ValidationError):
        give(org, mus, "x" * 5001)
    assert not ImprovementNotice.objects.exists() and mail.outbox == []


def test_the_notice_is_given_before_the_conversation_not_after(org: Org, mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.SCHEDULED, starts_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        give(org, mus)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.HELD, held_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        give(org, mus)


# The warning ---------------------------------------------------------------------------------------

WARNING = "Tell the employee before the conversation"


def drafted(mus: Mus, text: str = "Mødetider") -> None:
    LeaderPreparation.objects.create(conversation=mus.conversation, must_improve=text)


def test_the_leader_is_warned_when_the_conversation_is_close_and_no_notice_is_given(org: Org, mus: Mus) -> None:
    english(org.leader, org.employee, org.head)
    schedule(org, mus.conversation, days=4)
    drafted(mus)
    assert WARNING in page(org, "leader", mus)
    assert [c.pk for c in conversations_missing_improvement_notice(leader=org.leader)] == [mus.conversation.pk]
    # Never the employee or the chain: it comes from the leader's private preparation.
    assert WARNING not in page(org, "employee", mus)
    assert WARNING not in page(org, "head", mus)
    give(org, mus)
    assert WARNING not in page(org, "leader", mus)
    assert not conversations_missing_improvement_notice(leader=org.leader).exists()


@pytest.mark.parametrize(("days", "text"), [(6, "Mødetider"), (4, ""), (4, "   \n ")])
def test_no_warning_when_the_conversation_is_further_off_or_nothing_must_improve(
    org: Org, mus: Mus, days: int, text: str
) -> None:
    english(org.leader)
    schedule(org, mus.conversation, days=days)
    drafted(mus, text)
    assert WARNING not in page(org, "leader", mus)
    assert not conversations_missing_improvement_notice(leader=org.leader).exists()


def test_no_warning_for_an_unscheduled_conversation(org: Org, mus: Mus) -> None:
    drafted(mus)
    assert not conversations_missing_improvement_notice(leader=org.leader).exists()


def test_the_warning_selector_covers_only_the_leaders_own_team(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, days=2)
    drafted(mus)
    assert conversations_missing_improvement_notice(leader=org.leader).count() == 1
    assert not conversations_missing_improvement_notice(leader=org.head).exists()
    assert not conversations_missing_improvement_notice(leader=org.former_leader).exists()
