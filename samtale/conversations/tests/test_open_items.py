"""Open items: what must be clarified, who answers, by when
(docs/domain.md § The meeting and its outcome)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations.models import OpenItem, UnionRepStatus
from samtale.conversations.services import meeting
from samtale.testing import Mus, Org, build_round


def _add_url(mus: Mus) -> str:
    return reverse("conversations:open_item_add", args=[mus.conversation.uuid])


def _item(org: Org, mus: Mus, text: str = "Budget til kursus") -> OpenItem:
    return meeting.open_item_add(
        viewer=viewer_for(org.user("leader")),
        conversation=mus.conversation,
        text=text,
        responsible="Lederen",
        deadline=timezone.localdate() + timedelta(days=14),
    )


def test_the_employee_adds_an_open_item_with_a_deadline(org: Org, mus: Mus) -> None:
    deadline = timezone.localdate() + timedelta(days=10)
    response = org.client("employee").post(
        _add_url(mus), {"text": "Kan jeg rokere til Regnskab?", "responsible": "Lederen", "deadline": deadline}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#open-items")
    item = OpenItem.objects.get(conversation=mus.conversation)
    assert (item.text, item.responsible, item.deadline, item.created_by_id) == (
        "Kan jeg rokere til Regnskab?",
        "Lederen",
        deadline,
        org.employee.pk,
    )
    assert AuditEvent.objects.filter(action="conversations.open_item_added", target_id=str(item.uuid)).exists()


def test_a_deadline_today_is_fine(org: Org, mus: Mus) -> None:
    response = org.client("leader").post(_add_url(mus), {"text": "I dag", "deadline": timezone.localdate()})
    assert response.status_code == 302


def test_a_deadline_in_the_past_is_refused_and_nothing_is_added(org: Org, mus: Mus) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    response = org.client("leader").post(_add_url(mus), {"text": "For sent", "deadline": yesterday})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not OpenItem.objects.exists()
    with pytest.raises(ValidationError):
        meeting.open_item_add(
            viewer=viewer_for(org.user("leader")),
            conversation=mus.conversation,
            text="For sent",
            responsible="",
            deadline=yesterday,
        )


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "deadline": "2099-01-01"},
        {"text": "x" * 2001, "deadline": "2099-01-01"},
        {"text": "Uden frist", "deadline": ""},
        {"text": "Forkert frist", "deadline": "i morgen"},
        {"text": "Lang ansvarlig", "deadline": "2099-01-01", "responsible": "x" * 201},
    ],
    ids=["no text", "too long", "no deadline", "not a date", "responsible too long"],
)
def test_bad_input_gets_a_message_and_adds_nothing(org: Org, mus: Mus, data: dict[str, str]) -> None:
    response = org.client("employee").post(_add_url(mus), data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not OpenItem.objects.exists()


def test_an_open_item_is_answered_and_the_answer_can_be_cleared(org: Org, mus: Mus) -> None:
    item = _item(org, mus)
    url = reverse("conversations:open_item_answer", args=[mus.conversation.uuid, item.uuid])
    assert org.client("leader").post(url, {"answer": "Ja, 5.000 kr."}).status_code == 302
    item.refresh_from_db()
    assert item.answer == "Ja, 5.000 kr."
    assert item.answered_at is not None
    assert org.client("employee").post(url, {"answer": ""}).status_code == 302
    item.refresh_from_db()
    assert (item.answer, item.answered_at) == ("", None)


def test_an_answer_that_is_too_long_is_refused(org: Org, mus: Mus) -> None:
    item = _item(org, mus)
    url = reverse("conversations:open_item_answer", args=[mus.conversation.uuid, item.uuid])
    org.client("leader").post(url, {"answer": "x" * 2001})
    item.refresh_from_db()
    assert item.answer == ""


def test_an_open_item_is_removed_and_removing_it_again_does_nothing(org: Org, mus: Mus) -> None:
    item = _item(org, mus)
    url = reverse("conversations:open_item_remove", args=[mus.conversation.uuid, item.uuid])
    assert org.client("employee").post(url).status_code == 302
    assert not OpenItem.objects.exists()
    assert org.client("employee").post(url).status_code == 302
    assert AuditEvent.objects.filter(action="conversations.open_item_removed").count() == 1


def test_an_item_of_another_conversation_cannot_be_reached_through_this_one(org: Org, mus: Mus) -> None:
    other = meeting.open_item_add(
        viewer=viewer_for(org.user("leader")),
        conversation=mus.colleague_conversation,
        text="Kollegaens punkt",
        responsible="",
        deadline=timezone.localdate(),
    )
    for name, data in (("open_item_answer", {"answer": "Hacket"}), ("open_item_remove", {})):
        url = reverse(f"conversations:{name}", args=[mus.conversation.uuid, other.uuid])
        response = org.client("employee").post(url, data)
        assert response.status_code in (302, 404)
    other.refresh_from_db()
    assert other.answer == ""


@pytest.mark.parametrize(
    "persona", ["former_leader", "head", "director", "daily_leader", "union_rep", "hr", "colleague", "outsider"]
)
def test_nobody_but_the_two_adds_answers_or_removes(org: Org, mus: Mus, persona: str) -> None:
    mus.conversation.union_rep = org.union_rep
    mus.conversation.union_rep_status = UnionRepStatus.SUMMONED
    mus.conversation.save(update_fields=["union_rep", "union_rep_status"])
    item = _item(org, mus)
    client = org.client(persona)
    assert client.post(_add_url(mus), {"text": "x", "deadline": "2099-01-01"}).status_code == 404
    answer = reverse("conversations:open_item_answer", args=[mus.conversation.uuid, item.uuid])
    remove = reverse("conversations:open_item_remove", args=[mus.conversation.uuid, item.uuid])
    assert client.post(answer, {"answer": "x"}).status_code == 404
    assert client.post(remove).status_code == 404
    assert OpenItem.objects.get().answer == ""
    with pytest.raises(PermissionDenied):
        meeting.open_item_answer(viewer=viewer_for(org.user(persona)), item=item, answer="x")


def test_a_second_round_keeps_its_own_open_items(org: Org, mus: Mus) -> None:
    _item(org, mus, "Første runde")
    later = build_round(org, name="MUS-2028")
    text = org.client("employee").get(reverse("conversations:guide", args=[later.conversation.uuid])).content.decode()
    assert "Første runde" not in text


def test_after_the_conversation_only_the_leader_removes_an_item(org: Org, mus: Mus) -> None:
    """The item is the leader's to clarify and holds up the plan's signatures: the employee cannot
    make it go away. "After the conversation only the leader removes an item"
    (docs/domain.md § The meeting and its outcome)."""
    from samtale.conversations.models import Conversation, ConversationStatus

    item = _item(org, mus)
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.HELD, held_on=timezone.localdate(), held_with=org.leader
    )
    url = reverse("conversations:open_item_remove", args=[mus.conversation.uuid, item.uuid])
    guide = reverse("conversations:guide", args=[mus.conversation.uuid]) + "?phase=last"
    assert url not in org.client("employee").get(guide).content.decode()
    assert org.client("employee").post(url).status_code == 403
    assert OpenItem.objects.exists()
    assert url in org.client("leader").get(guide).content.decode()
    assert org.client("leader").post(url).status_code == 302
    assert not OpenItem.objects.exists()


def test_an_answer_is_not_taken_back_under_a_signed_plan(org: Org, mus: Mus) -> None:
    from django.utils import translation

    from samtale.testing.signing import signed_plan

    item = _item(org, mus)
    meeting.open_item_answer(viewer=viewer_for(org.user("leader")), item=item, answer="Ja")
    signed_plan(org, mus)
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be taken back"):
        meeting.open_item_answer(viewer=viewer_for(org.user("employee")), item=item, answer=" ")
    item.refresh_from_db()
    assert item.answer == "Ja" and item.answered_at is not None
