"""The invitation e-mail (docs/domain.md § Invitation and reminders): through the outbox, in the
recipient's language, plain text and HTML, with time, place, the agenda of the phases, the unit's
focus areas, the inspiration questions of the employee's preparation, a link to the conversation,
and the calendar file. No e-mail of the invitation carries confidential text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samtale.conversations.models import Conversation, EmployeePreparation, LeaderPreparation
from samtale.conversations.services import attendees, scheduling, topics
from samtale.conversations.services.notice import improvement_notice_give
from samtale.outbox.delivery import outbox_deliver
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.rounds.models import FocusArea, PreparationForm
from samtale.testing import Mus, Org
from samtale.testing.scheduling import calendar_of, english, fetch, local, mails_to, schedule, viewer

SECRETS = ["HEMMELIGT-EMNE", "FORTROLIG-BESKED", "PRIVAT-FORBEREDELSE", "LEDERENS-NOTAT"]


def bodies(message: Any) -> tuple[str, str]:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


@pytest.fixture(autouse=True)
def _quiet(mus: Mus) -> None:
    mail.outbox.clear()


def test_the_invitation_has_both_parts_with_time_place_agenda_focus_areas_questions_and_link(
    org: Org, mus: Mus
) -> None:
    english(org.employee)
    FocusArea.objects.create(unit_round=mus.unit_round, text="Digitalisering af lønkørslen")
    schedule(org, mus.conversation, hour=10, location="Mødelokale 2", online_url="https://meet.example/mus")
    (message,) = mails_to(org.employee)
    text, html = bodies(message)
    link = reverse("conversations:detail", args=[mus.conversation.uuid])
    phases = list(mus.concept.phases.all())
    questions = list(mus.concept.questions.filter(form=PreparationForm.EMPLOYEE))
    assert len(phases) == 6 and questions
    for body in (text, html):
        assert "10:00" in body and "11:00" in body
        assert "Mødelokale 2" in body
        assert "https://meet.example/mus" in body
        assert "Digitalisering af lønkørslen" in body
        assert all(phase.heading in body for phase in phases)
        assert all(question.text in body for question in questions)
        assert link in body
    assert "Dear Emil Ærø" in text
    assert "invites you to your employee development conversation" in text
    assert "&amp;" not in text and "&#x27;" not in message.subject


def test_the_invitation_is_in_the_recipients_language(org: Org, mus: Mus) -> None:
    english(org.employee)
    schedule(org, mus.conversation)
    message = OutboxMessage.objects.get(kind="conversations.invitation", to_email=org.employee.email)
    assert message.language == "en"
    body = mails_to(org.employee)[0].body
    assert local().strftime("%A") in body and local().strftime("%B") in body  # English day and month


def test_a_danish_recipient_gets_danish_dates(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    assert OutboxMessage.objects.get(kind="conversations.invitation").language == "da"
    weekday = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"][local().weekday()]
    assert weekday in mails_to(org.employee)[0].body


def test_the_invitation_carries_the_calendar_file_as_an_attachment(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    (message,) = mails_to(org.employee)
    (part,) = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invitation.ics"
    calendar = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.events[0]["UID"] == f"{mus.conversation.uuid}@samtale"
    assert calendar.events[0].start == local()


def test_an_attendee_invited_before_the_time_is_set_is_told_it_will_follow_without_a_file(org: Org, mus: Mus) -> None:
    english(org.daily_leader)
    employee = viewer(org, "employee")
    attendees.daily_leader_ask(viewer=employee, conversation=fetch(org, "employee", mus.conversation))
    attendees.daily_leader_decide(
        viewer=viewer(org, "leader"), conversation=fetch(org, "leader", mus.conversation), agree=True
    )
    (message,) = mails_to(org.daily_leader)
    assert message.attachments == []
    assert "The time will follow" in message.body
    assert "You are invited to take part" in message.body
    # … and when the time is set, they get it with the file, as the employee does.
    schedule(org, mus.conversation)
    later = mails_to(org.daily_leader)[-1]
    assert calendar_of(later)["METHOD"] == "REQUEST"
    calendar = calendar_of(mails_to(org.employee)[-1])
    assert sorted(str(a) for a in calendar.events[0]["ATTENDEE"]) == sorted(
        [f"mailto:{org.employee.email}", f"mailto:{org.daily_leader.email}"]
    )


def test_only_the_employee_gets_the_questions_for_their_preparation(org: Org, mus: Mus) -> None:
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader, daily_leader_status="agreed"
    )
    schedule(org, mus.conversation)
    question = mus.concept.questions.filter(form=PreparationForm.EMPLOYEE).first().text
    assert question in mails_to(org.employee)[0].body
    assert question not in mails_to(org.daily_leader)[0].body


def test_no_email_of_the_invitation_carries_confidential_text(org: Org, mus: Mus) -> None:
    EmployeePreparation.objects.create(conversation=mus.conversation, answers={"x": "PRIVAT-FORBEREDELSE"})
    LeaderPreparation.objects.create(
        conversation=mus.conversation, answers={"x": "LEDERENS-NOTAT"}, must_improve="LEDERENS-NOTAT"
    )
    leader, employee = viewer(org, "leader"), viewer(org, "employee")
    topics.special_topic_raise(
        viewer=employee, conversation=fetch(org, "employee", mus.conversation), text="HEMMELIGT-EMNE"
    )
    topics.special_topic_raise(
        viewer=leader, conversation=fetch(org, "leader", mus.conversation), text="HEMMELIGT-EMNE fra lederen"
    )
    improvement_notice_give(viewer=leader, conversation=fetch(org, "leader", mus.conversation), text="FORTROLIG-BESKED")
    attendees.daily_leader_ask(viewer=employee, conversation=fetch(org, "employee", mus.conversation))
    attendees.daily_leader_decide(viewer=leader, conversation=fetch(org, "leader", mus.conversation), agree=True)
    attendees.union_rep_bring(
        viewer=employee, conversation=fetch(org, "employee", mus.conversation), representative=org.union_rep
    )
    attendees.union_rep_summon(viewer=leader, conversation=fetch(org, "leader", mus.conversation))
    schedule(org, mus.conversation, hour=10)
    schedule(org, mus.conversation, hour=12)
    attendees.union_rep_withdraw(viewer=employee, conversation=fetch(org, "employee", mus.conversation))
    scheduling.conversation_cancel(viewer=leader, conversation=fetch(org, "leader", mus.conversation))
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert kinds >= {
        "conversations.invitation",
        "conversations.invitation_cancel",
        "conversations.topic_raised",
        "conversations.improvement_notice",
        "conversations.attendee_asked",
        "conversations.attendee_answered",
    }
    assert (
        not OutboxMessage.objects.exclude(status=MessageStatus.SENT).filter(kind__startswith="conversations.").exists()
    )
    assert len(mail.outbox) >= 12
    for message in mail.outbox:
        text, html = bodies(message)
        assert message.body.strip() and html.strip()
        for secret in SECRETS:
            assert secret not in message.subject and secret not in text and secret not in html, (
                message.subject,
                secret,
            )
        for part in message.attachments:
            payload = part.get_payload(decode=True).decode()
            assert all(secret not in payload for secret in SECRETS)


def test_the_topic_and_notice_emails_link_to_the_conversation(org: Org, mus: Mus) -> None:
    english(org.employee, org.leader)
    link = reverse("conversations:detail", args=[mus.conversation.uuid])
    topics.special_topic_raise(
        viewer=viewer(org, "employee"), conversation=fetch(org, "employee", mus.conversation), text="Deltid"
    )
    (to_leader,) = mails_to(org.leader)
    assert link in to_leader.body and "special topic" in to_leader.body
    improvement_notice_give(
        viewer=viewer(org, "leader"), conversation=fetch(org, "leader", mus.conversation), text="Mødetider"
    )
    (to_employee,) = mails_to(org.employee)
    assert link in to_employee.body and "notice" in to_employee.body


def test_an_invitation_to_someone_who_has_left_is_not_sent(org: Org, mus: Mus, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    schedule(org, mus.conversation)
    org.employee.end_date = timezone.localdate() - timedelta(days=1)
    org.employee.save(update_fields=["end_date"])
    outbox_deliver()
    assert OutboxMessage.objects.get(kind="conversations.invitation").status == MessageStatus.CANCELLED
    assert mail.outbox == []
