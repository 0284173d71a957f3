"""Where am I: the conversation's page and the plan's show the five steps of the employee's MUS,
the one under way marked, and what happens next said to the employee or to the leader."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from samtale.access.relations import conversation_relations
from samtale.access.viewer import viewer_for
from samtale.conversations.models import Conversation, ConversationStatus, NotHeldReason
from samtale.conversations.selectors.steps import conversation_steps, side_for
from samtale.plans.models import FollowUp, FollowUpStatus
from samtale.testing import Mus, Org
from samtale.testing.scheduling import schedule
from samtale.testing.signing import english, make_plan, signed_plan, submitted_plan

KEYS = ["invitation", "preparation", "conversation", "plan", "follow_up"]


def _states(conversation: Conversation, side: str = "employee") -> tuple[list[str], str]:
    with translation.override("en"):
        steps = conversation_steps(conversation, side=side)
        assert [step.key for step in steps.steps] == KEYS
        return [step.state for step in steps.steps], steps.next


def test_invited_the_leader_books_a_time(mus: Mus) -> None:
    states, next_ = _states(mus.conversation, "leader")
    assert states == ["current", "upcoming", "upcoming", "upcoming", "upcoming"]
    assert next_.startswith("Book a time for the conversation, at the latest ")
    assert _states(mus.conversation, "employee")[1].startswith("Your leader books a time")


def test_booked_both_prepare_for_the_day(org: Org, mus: Mus) -> None:
    conversation = schedule(org, mus.conversation, days=10)
    states, next_ = _states(conversation)
    assert states == ["done", "current", "upcoming", "upcoming", "upcoming"]
    assert next_.startswith("Prepare for the conversation ")
    assert _states(conversation, "leader")[1].startswith("Prepare, and hold the conversation ")


def test_after_the_time_the_leader_records_that_it_was_held(mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.SCHEDULED, starts_at=timezone.now() - timedelta(hours=2)
    )
    conversation = Conversation.objects.get(pk=mus.conversation.pk)
    assert _states(conversation, "leader") == (
        ["done", "done", "current", "upcoming", "upcoming"],
        "Record that the conversation was held.",
    )


def test_held_the_employee_writes_the_plan_and_the_leader_signs_it(org: Org, mus: Mus) -> None:
    plan = make_plan(mus)
    states, next_ = _states(plan.conversation)
    assert states == ["done", "done", "done", "current", "upcoming"]
    assert next_.startswith("Write your development plan, at the latest ")
    submitted = submitted_plan(org, mus)
    assert _states(submitted.conversation, "leader")[1] == "Read the plan, and sign it or ask for changes."


def test_signed_the_leader_calls_the_follow_up_and_then_all_is_done(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    states, next_ = _states(plan.conversation, "leader")
    assert states == ["done", "done", "done", "done", "current"]
    assert next_.startswith("Call the follow-up conversation, to be held at the latest ")
    FollowUp.objects.update_or_create(
        plan=plan, defaults={"status": FollowUpStatus.HELD, "held_on": timezone.localdate()}
    )
    assert _states(plan.conversation, "leader") == (["done"] * 5, "")


def test_not_held_nothing_comes_after(mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        status=ConversationStatus.NOT_HELD, not_held_reason=NotHeldReason.LONG_LEAVE
    )
    conversation = Conversation.objects.get(pk=mus.conversation.pk)
    assert _states(conversation) == (["done", "skipped", "skipped", "skipped", "skipped"], "")


@pytest.mark.parametrize("persona", ["head", "director"])
def test_the_chain_sees_where_it_is_without_being_told_to_act(org: Org, mus: Mus, persona: str) -> None:
    conversation = Conversation.objects.select_related("employee__unit").get(pk=mus.conversation.pk)
    side = side_for(conversation_relations(viewer_for(org.user(persona)), conversation))
    assert side == ""
    states, next_ = _states(conversation, side)
    assert states[0] == "current" and next_ == ""


def test_the_pages_mark_the_step_under_way_and_say_what_comes_next(org: Org, mus: Mus) -> None:
    english(org, "leader", "employee")
    page = org.client("leader").get(
        reverse("conversations:detail", args=[mus.conversation.uuid]), headers={"accept-language": "en"}
    )
    text = page.content.decode()
    assert 'aria-current="step">Invitation' in text and "Book a time for the conversation" in text
    plan = make_plan(mus)
    text = (
        org.client("employee")
        .get(reverse("plans:detail", args=[plan.uuid]), headers={"accept-language": "en"})
        .content.decode()
    )
    assert 'aria-current="step">Development plan' in text and "Write your development plan" in text
