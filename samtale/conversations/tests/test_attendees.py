"""Who takes part beside the two (docs/domain.md § Who takes part): "The employee may invite their
daily leader (by agreement with the personnel leader)" and "may bring their union representative: it
is the employee's decision; they must tell the leader in good time, and the leader summons the
representative." Attendees get the invitation and see the invitation, no more
(docs/trust.md § Access matrix)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samtale.conversations.models import Conversation, DailyLeaderStatus, UnionRepStatus
from samtale.conversations.selectors.scheduling import conversations_attending
from samtale.conversations.services import attendees, topics
from samtale.conversations.services.notice import improvement_notice_give
from samtale.org.models import RoleKind
from samtale.outbox.models import OutboxMessage
from samtale.testing import Mus, Org, make_person, make_role
from samtale.testing.scheduling import calendar_of, english, fetch, mails_to, schedule, viewer


@pytest.fixture(autouse=True)
def _quiet(mus: Mus) -> None:
    mail.outbox.clear()


def fresh(mus: Mus) -> Conversation:
    return Conversation.objects.get(pk=mus.conversation.pk)


def act(org: Org, persona: str, mus: Mus, service, **kwargs):  # type: ignore[no-untyped-def]
    return service(viewer=viewer(org, persona), conversation=fetch(org, persona, mus.conversation), **kwargs)


def detail(org: Org, persona: str, mus: Mus):  # type: ignore[no-untyped-def]
    return org.client(persona).get(reverse("conversations:detail", args=[mus.conversation.uuid]))


# The daily leader --------------------------------------------------------------------------------------


def test_the_employee_asks_and_the_leader_is_told(org: Org, mus: Mus) -> None:
    english(org.leader)
    assert act(org, "employee", mus, attendees.daily_leader_ask) is True
    conversation = fresh(mus)
    assert conversation.daily_leader == org.daily_leader
    assert conversation.daily_leader_status == DailyLeaderStatus.REQUESTED
    (message,) = mails_to(org.leader)
    assert "asks for their daily leader" in message.body and org.daily_leader.name in message.body
    assert "Agree and invite them" in detail(org, "leader", mus).content.decode()
    # Asked for is not invited: the daily leader cannot open the conversation yet.
    assert detail(org, "daily_leader", mus).status_code == 404
    assert mails_to(org.daily_leader) == []


def test_the_leader_agrees_and_the_daily_leader_gets_the_invitation_and_the_page(org: Org, mus: Mus) -> None:
    english(org.employee)
    schedule(org, mus.conversation)
    mail.outbox.clear()
    act(org, "employee", mus, attendees.daily_leader_ask)
    assert act(org, "leader", mus, attendees.daily_leader_decide, agree=True) is True
    assert fresh(mus).daily_leader_status == DailyLeaderStatus.AGREED
    (invitation,) = mails_to(org.daily_leader)
    assert calendar_of(invitation)["METHOD"] == "REQUEST"
    (answer,) = mails_to(org.employee)
    assert "has agreed" in answer.body
    assert detail(org, "daily_leader", mus).status_code == 200
    assert list(conversations_attending(person=org.daily_leader)) == [fresh(mus)]


def test_the_leader_declines_and_the_employee_is_told(org: Org, mus: Mus) -> None:
    english(org.employee)
    act(org, "employee", mus, attendees.daily_leader_ask)
    act(org, "leader", mus, attendees.daily_leader_decide, agree=False)
    assert fresh(mus).daily_leader_status == DailyLeaderStatus.DECLINED
    assert "has declined" in mails_to(org.employee)[0].body
    assert mails_to(org.daily_leader) == []
    assert detail(org, "daily_leader", mus).status_code == 404


def test_asking_twice_tells_the_leader_once_and_asking_again_later_tells_again(org: Org, mus: Mus) -> None:
    client = org.client("employee")
    url = reverse("conversations:daily_leader", args=[mus.conversation.uuid])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert len(mails_to(org.leader)) == 1
    client.post(url, {"action": "withdraw"})
    assert fresh(mus).daily_leader_status == DailyLeaderStatus.NONE
    client.post(url)
    assert len(mails_to(org.leader)) == 2


def test_an_employee_without_a_daily_leader_is_told_so(org: Org, mus: Mus) -> None:
    org.employee.daily_leader = None
    org.employee.save(update_fields=["daily_leader"])
    with pytest.raises(ValidationError):
        act(org, "employee", mus, attendees.daily_leader_ask)
    org.employee.daily_leader = org.leader
    org.employee.save(update_fields=["daily_leader"])
    with pytest.raises(ValidationError):
        act(org, "employee", mus, attendees.daily_leader_ask)
    assert fresh(mus).daily_leader_status == DailyLeaderStatus.NONE and mail.outbox == []


def test_there_is_nothing_to_decide_before_the_employee_asks(org: Org, mus: Mus) -> None:
    with pytest.raises(ValidationError):
        act(org, "leader", mus, attendees.daily_leader_decide, agree=True)
    response = org.client("leader").post(
        reverse("conversations:daily_leader_decision", args=[mus.conversation.uuid]), {"decision": "agree"}
    )
    assert response.status_code == 302
    assert fresh(mus).daily_leader_status == DailyLeaderStatus.NONE


def test_the_decision_posted_twice_invites_once(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    act(org, "employee", mus, attendees.daily_leader_ask)
    url = reverse("conversations:daily_leader_decision", args=[mus.conversation.uuid])
    client = org.client("leader")
    client.post(url, {"decision": "agree"})
    client.post(url, {"decision": "agree"})
    assert len(mails_to(org.daily_leader)) == 1


@pytest.mark.parametrize("persona", ["leader", "head", "director"])
def test_only_the_employee_asks(org: Org, mus: Mus, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        act(org, persona, mus, attendees.daily_leader_ask)


@pytest.mark.parametrize("persona", ["employee", "head", "director"])
def test_only_the_personnel_leader_decides(org: Org, mus: Mus, persona: str) -> None:
    act(org, "employee", mus, attendees.daily_leader_ask)
    with pytest.raises(PermissionDenied):
        act(org, persona, mus, attendees.daily_leader_decide, agree=True)
    assert fresh(mus).daily_leader_status == DailyLeaderStatus.REQUESTED


def test_taking_the_wish_back_cancels_the_invitation_and_the_access(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    act(org, "employee", mus, attendees.daily_leader_ask)
    act(org, "leader", mus, attendees.daily_leader_decide, agree=True)
    before = fresh(mus).calendar_sequence
    assert act(org, "employee", mus, attendees.daily_leader_withdraw) is True
    invitation, cancellation = mails_to(org.daily_leader)
    cancelled = calendar_of(cancellation)
    assert cancelled["METHOD"] == "CANCEL"
    assert cancelled.events[0]["UID"] == calendar_of(invitation).events[0]["UID"]
    assert int(cancelled.events[0]["SEQUENCE"]) > before
    assert detail(org, "daily_leader", mus).status_code == 404
    # The employee is not sent a cancellation: their conversation stands.
    calendars = [calendar_of(m) for m in mails_to(org.employee) if m.attachments]
    assert [c["METHOD"] for c in calendars] == ["REQUEST"]


# The union representative --------------------------------------------------------------------------------


def test_the_choices_are_the_representatives_covering_the_employee(org: Org, mus: Mus) -> None:
    elsewhere = make_person("Bo Børnetillid", unit=org.children, leader=org.other_head)
    make_role(elsewhere, RoleKind.UNION_REP, org.children)
    everywhere = make_person("Alma Alletillid", unit=org.hr_unit, leader=org.director)
    make_role(everywhere, RoleKind.UNION_REP)
    choices = attendees.union_rep_choices(employee=org.employee)
    assert [p.name for p in choices] == ["Alma Alletillid", "Tove Tillid"]
    with pytest.raises(ValidationError):
        act(org, "employee", mus, attendees.union_rep_bring, representative=elsewhere)
    response = org.client("employee").post(
        reverse("conversations:union_rep", args=[mus.conversation.uuid]),
        {"union_rep-representative": str(elsewhere.uuid)},
    )
    assert response.status_code == 400
    assert fresh(mus).union_rep_status == UnionRepStatus.NONE


def test_the_employee_brings_the_representative_the_leader_is_told_and_summons(org: Org, mus: Mus) -> None:
    english(org.leader, org.union_rep)
    schedule(org, mus.conversation)
    mail.outbox.clear()
    response = org.client("employee").post(
        reverse("conversations:union_rep", args=[mus.conversation.uuid]),
        {"union_rep-representative": str(org.union_rep.uuid)},
    )
    assert response.status_code == 302
    assert fresh(mus).union_rep_status == UnionRepStatus.CHOSEN
    (told,) = mails_to(org.leader)
    assert "union representative" in told.body and org.union_rep.name in told.body
    # Chosen is not summoned: no invitation and no access yet.
    assert mails_to(org.union_rep) == []
    assert detail(org, "union_rep", mus).status_code == 404
    assert "Summon Tove Tillid" in detail(org, "leader", mus).content.decode()

    response = org.client("leader").post(reverse("conversations:union_rep_summon", args=[mus.conversation.uuid]))
    assert response.status_code == 302
    assert fresh(mus).union_rep_status == UnionRepStatus.SUMMONED
    (invitation,) = mails_to(org.union_rep)
    assert calendar_of(invitation)["METHOD"] == "REQUEST"
    assert "You are invited to take part" in invitation.body
    assert detail(org, "union_rep", mus).status_code == 200
    assert list(conversations_attending(person=org.union_rep)) == [fresh(mus)]


def test_summoning_twice_invites_once(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    act(org, "employee", mus, attendees.union_rep_bring, representative=org.union_rep)
    assert act(org, "leader", mus, attendees.union_rep_summon) is True
    assert act(org, "leader", mus, attendees.union_rep_summon) is False
    assert OutboxMessage.objects.filter(kind="conversations.invitation", to_email=org.union_rep.email).count() == 1


def test_there_is_nobody_to_summon_before_the_employee_decides(org: Org, mus: Mus) -> None:
    with pytest.raises(ValidationError):
        act(org, "leader", mus, attendees.union_rep_summon)


@pytest.mark.parametrize("persona", ["leader", "head", "director"])
def test_bringing_the_representative_is_the_employees_decision(org: Org, mus: Mus, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        act(org, persona, mus, attendees.union_rep_bring, representative=org.union_rep)


@pytest.mark.parametrize("persona", ["employee", "head", "director"])
def test_only_the_personnel_leader_summons(org: Org, mus: Mus, persona: str) -> None:
    act(org, "employee", mus, attendees.union_rep_bring, representative=org.union_rep)
    with pytest.raises(PermissionDenied):
        act(org, persona, mus, attendees.union_rep_summon)


def test_not_bringing_the_representative_after_all_cancels_their_invitation(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation)
    act(org, "employee", mus, attendees.union_rep_bring, representative=org.union_rep)
    act(org, "leader", mus, attendees.union_rep_summon)
    response = org.client("employee").post(
        reverse("conversations:union_rep", args=[mus.conversation.uuid]), {"action": "withdraw"}
    )
    assert response.status_code == 302
    assert fresh(mus).union_rep_status == UnionRepStatus.NONE
    assert calendar_of(mails_to(org.union_rep)[-1])["METHOD"] == "CANCEL"
    assert detail(org, "union_rep", mus).status_code == 404


def test_changing_to_another_representative_cancels_the_first(org: Org, mus: Mus) -> None:
    other = make_person("Alma Alletillid", unit=org.hr_unit, leader=org.director)
    make_role(other, RoleKind.UNION_REP)
    schedule(org, mus.conversation)
    act(org, "employee", mus, attendees.union_rep_bring, representative=org.union_rep)
    act(org, "leader", mus, attendees.union_rep_summon)
    act(org, "employee", mus, attendees.union_rep_bring, representative=other)
    assert fresh(mus).union_rep == other and fresh(mus).union_rep_status == UnionRepStatus.CHOSEN
    assert calendar_of(mails_to(org.union_rep)[-1])["METHOD"] == "CANCEL"
    assert detail(org, "union_rep", mus).status_code == 404


# What attendees see ----------------------------------------------------------------------------------------


def test_attendees_see_the_invitation_and_nothing_of_the_two_sides(org: Org, mus: Mus) -> None:
    schedule(org, mus.conversation, location="Mødelokale 7")
    act(org, "employee", mus, attendees.daily_leader_ask)
    act(org, "leader", mus, attendees.daily_leader_decide, agree=True)
    act(org, "employee", mus, attendees.union_rep_bring, representative=org.union_rep)
    act(org, "leader", mus, attendees.union_rep_summon)
    act(org, "employee", mus, topics.special_topic_raise, text="EMNET-ER-FORTROLIGT")
    act(org, "leader", mus, improvement_notice_give, text="BESKEDEN-ER-FORTROLIG")
    for persona in ("daily_leader", "union_rep"):
        response = detail(org, persona, mus)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Mødelokale 7" in page
        assert reverse("conversations:ics", args=[mus.conversation.uuid]) in page
        assert "EMNET-ER-FORTROLIGT" not in page and "BESKEDEN-ER-FORTROLIG" not in page
        section = response.context["scheduling"]
        assert section.topics is None and section.notice is None and not section.may_schedule
        assert not (section.may_ask_daily_leader or section.may_decide_daily_leader)
        assert not (section.may_bring_union_rep or section.may_summon_union_rep or section.topic_side)
        assert section.is_attendee
