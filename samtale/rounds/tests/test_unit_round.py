"""The round in a unit: its leader says what the goals mean for it, writes its focus areas and opens
the round there; its people read the goals and the focus areas of their unit and the units above it
(docs/domain.md § Before the conversation, steps 1–2, and § The round)."""

from __future__ import annotations

import html
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samtale.audit.models import AuditEvent
from samtale.conversations.services.invitation import round_launch
from samtale.org.models import EmploymentType
from samtale.outbox.models import OutboxMessage
from samtale.rounds.models import FocusArea, Round, RoundStatus, UnitRound
from samtale.rounds.selectors.unit_round import focus_areas_for, unit_round_for
from samtale.rounds.services.unit_round import (
    MAX_FOCUS_AREAS,
    focus_area_add,
    focus_area_move,
    focus_area_remove,
    focus_area_update,
    unit_round_open,
    unit_round_set_introduction,
)
from samtale.testing import Mus, Org, make_person
from samtale.testing.rounds import as_, draft_round, english, open_in_payroll

pytestmark = pytest.mark.usefixtures("in_english")


def areas(unit_round: UnitRound) -> list[str]:
    return list(FocusArea.objects.filter(unit_round=unit_round).order_by("order", "id").values_list("text", flat=True))


def url(mus: Mus, unit=None, name: str = "rounds:unit_round", *extra) -> str:  # type: ignore[no-untyped-def]
    unit = unit or mus.unit_round.unit
    return reverse(name, args=[mus.round.uuid, unit.uuid, *extra])


# The services --------------------------------------------------------------------------------


def test_the_round_in_a_unit_is_created_when_its_leader_first_writes_to_it(org: Org, mus: Mus) -> None:
    fresh = unit_round_for(round_=mus.round, unit=org.accounting)
    assert fresh.pk is None
    area = focus_area_add(viewer=as_(org, "former_leader"), unit_round=fresh, text="Opgaveudvikling")
    assert UnitRound.objects.filter(round=mus.round, unit=org.accounting).count() == 1
    assert area.unit_round.unit == org.accounting
    # A second write uses the same one.
    focus_area_add(viewer=as_(org, "former_leader"), unit_round=fresh, text="Arbejdsvilkår")
    assert UnitRound.objects.filter(round=mus.round, unit=org.accounting).count() == 1


def test_the_leader_writes_what_the_goals_mean_and_the_focus_areas_in_order(org: Org, mus: Mus) -> None:
    leader = as_(org, "leader")
    unit_round_set_introduction(viewer=leader, unit_round=mus.unit_round, introduction="  Vi digitaliserer.  ")
    a = focus_area_add(viewer=leader, unit_round=mus.unit_round, text="Opgaveudvikling")
    b = focus_area_add(viewer=leader, unit_round=mus.unit_round, text="Kompetenceudvikling")
    c = focus_area_add(viewer=leader, unit_round=mus.unit_round, text="Vidensdeling")
    mus.unit_round.refresh_from_db()
    assert mus.unit_round.introduction == "Vi digitaliserer."
    assert focus_area_move(viewer=leader, focus_area=c, direction=-1)
    assert areas(mus.unit_round) == ["Opgaveudvikling", "Vidensdeling", "Kompetenceudvikling"]
    focus_area_update(viewer=leader, focus_area=b, text="Kompetenceudvikling i teamet")
    focus_area_remove(viewer=leader, focus_area=a)
    assert areas(mus.unit_round) == ["Vidensdeling", "Kompetenceudvikling i teamet"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "rounds.unit_round_introduction_saved",
        "rounds.focus_area_added",
        "rounds.focus_areas_reordered",
        "rounds.focus_area_changed",
        "rounds.focus_area_removed",
    } <= actions


@pytest.mark.parametrize("persona", ["head", "director", "employee", "hr", "former_leader"])
def test_only_the_units_own_leader_writes_its_focus_areas_and_opens_it(org: Org, mus: Mus, persona: str) -> None:
    area = focus_area_add(viewer=as_(org, "leader"), unit_round=mus.unit_round, text="Vidensdeling")
    viewer = as_(org, persona)
    for change in (
        lambda: focus_area_add(viewer=viewer, unit_round=mus.unit_round, text="Andet"),
        lambda: focus_area_update(viewer=viewer, focus_area=area, text="Andet"),
        lambda: focus_area_move(viewer=viewer, focus_area=area, direction=1),
        lambda: focus_area_remove(viewer=viewer, focus_area=area),
        lambda: unit_round_set_introduction(viewer=viewer, unit_round=mus.unit_round, introduction="Andet"),
        lambda: unit_round_open(viewer=viewer, unit_round=mus.unit_round),
    ):
        with pytest.raises(PermissionDenied):
            change()
    mus.unit_round.refresh_from_db()
    assert areas(mus.unit_round) == ["Vidensdeling"] and mus.unit_round.opened_at is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write something first."),
        ("x" * 2001, "Keep it to 2000 characters; this is 2001."),
    ],
)
def test_an_empty_or_too_long_focus_area_is_refused(org: Org, mus: Mus, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        focus_area_add(viewer=as_(org, "leader"), unit_round=mus.unit_round, text=text)
    assert error.value.message_dict["text"] == [message]
    assert not FocusArea.objects.exists()


def test_the_same_focus_area_twice_and_more_than_twenty_are_refused(org: Org, mus: Mus) -> None:
    leader = as_(org, "leader")
    focus_area_add(viewer=leader, unit_round=mus.unit_round, text="Vidensdeling")
    with pytest.raises(ValidationError):
        focus_area_add(viewer=leader, unit_round=mus.unit_round, text="Vidensdeling")
    for index in range(MAX_FOCUS_AREAS - 1):
        focus_area_add(viewer=leader, unit_round=mus.unit_round, text=f"Område {index}")
    with pytest.raises(ValidationError):
        focus_area_add(viewer=leader, unit_round=mus.unit_round, text="Ét for meget")
    assert FocusArea.objects.count() == MAX_FOCUS_AREAS


def test_an_introduction_longer_than_five_thousand_characters_is_refused(org: Org, mus: Mus) -> None:
    with pytest.raises(ValidationError):
        unit_round_set_introduction(viewer=as_(org, "leader"), unit_round=mus.unit_round, introduction="x" * 5001)


def test_leaders_work_in_the_unit_only_once_the_round_is_launched_and_until_it_is_closed(org: Org, mus: Mus) -> None:
    draft = draft_round(org)
    with pytest.raises(ValidationError, match="not been launched"):
        focus_area_add(viewer=as_(org, "leader"), unit_round=UnitRound(round=draft, unit=org.payroll), text="Tidligt")
    Round.objects.filter(pk=mus.round.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        focus_area_add(viewer=as_(org, "leader"), unit_round=mus.unit_round, text="For sent")
    assert not FocusArea.objects.exists()


def test_opening_the_round_in_the_unit_needs_a_focus_area_first(org: Org, mus: Mus) -> None:
    with pytest.raises(ValidationError, match="focus area"):
        unit_round_open(viewer=as_(org, "leader"), unit_round=mus.unit_round)
    mus.unit_round.refresh_from_db()
    assert mus.unit_round.opened_at is None
    assert not OutboxMessage.objects.filter(kind="rounds.unit_opened").exists()


def test_opening_the_round_in_the_unit_tells_its_participants_by_email_with_a_link_and_no_text(
    org: Org, mus: Mus
) -> None:
    trainee = make_person("Elev Eriksen", unit=org.payroll, leader=org.leader, employment_type=EmploymentType.TRAINEE)
    mail.outbox.clear()
    unit_round = open_in_payroll(org, mus, focus_area="Hemmelig-fokus-4471")
    assert unit_round.opened_at is not None and unit_round.opened_by == org.leader
    told = set(OutboxMessage.objects.filter(kind="rounds.unit_opened").values_list("to_email", flat=True))
    # The unit's people taking part in the round: not the leader who opened it, not the trainee
    # (no conversation in the round), not the people of other units.
    assert told == {org.employee.email, org.colleague.email, org.union_rep.email, org.daily_leader.email}
    assert trainee.email not in told
    sent = [m for m in mail.outbox if m.to == [org.employee.email]]
    assert len(sent) == 1
    body, html_body = sent[0].body, sent[0].alternatives[0][0]
    assert reverse("rounds:unit_round", args=[mus.round.uuid, org.payroll.uuid]) in body
    assert "Hemmelig-fokus-4471" not in body and "Hemmelig-fokus-4471" not in html_body
    assert "Hemmelig-fokus-4471" not in sent[0].subject
    assert AuditEvent.objects.filter(action="rounds.unit_round_opened").count() == 1


def test_the_round_is_opened_once_and_nobody_is_told_twice(org: Org, mus: Mus) -> None:
    open_in_payroll(org, mus)
    with pytest.raises(ValidationError, match="already open"):
        unit_round_open(viewer=as_(org, "leader"), unit_round=mus.unit_round)
    assert OutboxMessage.objects.filter(kind="rounds.unit_opened", to_email=org.employee.email).count() == 1


def test_a_person_sees_the_focus_areas_of_their_unit_and_of_the_units_above_it(org: Org, mus: Mus) -> None:
    focus_area_add(viewer=as_(org, "head"), unit_round=unit_round_for(round_=mus.round, unit=org.economy), text="Ø")
    focus_area_add(viewer=as_(org, "leader"), unit_round=mus.unit_round, text="L")
    focus_area_add(
        viewer=as_(org, "former_leader"), unit_round=unit_round_for(round_=mus.round, unit=org.accounting), text="R"
    )
    assert [a.text for a in focus_areas_for(round_=mus.round, unit=org.payroll)] == ["Ø", "L"]
    page = org.client("employee").get(url(mus))
    assert [a.text for a in page.context["focus_areas"]] == ["L"]
    assert [a.text for a in page.context["focus_areas_above"]] == ["Ø"]


# The pages -----------------------------------------------------------------------------------


def test_the_leader_works_on_the_unit_through_its_page(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    page = client.get(url(mus))
    assert page.status_code == 200 and page.context["leads"] is True
    assert page.context["focus_area_form"] is not None and page.context["introduction_form"] is not None
    assert (
        client.post(url(mus, name="rounds:unit_round_introduction"), {"introduction": "Det betyder"}).status_code == 302
    )
    assert client.post(url(mus, name="rounds:focus_area_add"), {"text": "Opgaveudvikling"}).status_code == 302
    assert client.post(url(mus, name="rounds:focus_area_add"), {"text": "Vidensdeling"}).status_code == 302
    first, second = FocusArea.objects.order_by("order")
    assert client.get(url(mus, None, "rounds:focus_area_edit", first.uuid)).status_code == 200
    edited = client.post(
        url(mus, None, "rounds:focus_area_edit", first.uuid), {"text": "Opgaveudvikling og nye opgaver"}
    )
    assert edited.status_code == 302
    assert client.post(url(mus, None, "rounds:focus_area_move", second.uuid), {"direction": "up"}).status_code == 302
    assert areas(mus.unit_round) == ["Vidensdeling", "Opgaveudvikling og nye opgaver"]
    assert client.post(url(mus, None, "rounds:focus_area_remove", second.uuid), {"confirmed": "1"}).status_code == 302
    opened = client.post(url(mus, name="rounds:unit_round_open"))
    assert opened.status_code == 302
    mus.unit_round.refresh_from_db()
    assert mus.unit_round.introduction == "Det betyder" and mus.unit_round.opened_at is not None


def test_the_focus_area_form_gives_examples_and_the_advice_for_uncertain_times(org: Org, mus: Mus) -> None:
    english(org, "leader")
    text = html.unescape(org.client("leader").get(url(mus)).content.decode())
    for words in ("task development", "working conditions", "competence development", "knowledge sharing"):
        assert words in text
    assert "start from the organisation's overall challenges" in text


def test_opening_without_a_focus_area_explains_why_on_the_page(org: Org, mus: Mus) -> None:
    english(org, "leader")
    response = org.client("leader").post(url(mus, name="rounds:unit_round_open"))
    assert response.status_code == 400
    assert "Write at least one focus area first" in response.content.decode()


def test_a_focus_area_of_ten_thousand_lines_is_refused_on_the_page(org: Org, mus: Mus) -> None:
    english(org, "leader")
    response = org.client("leader").post(url(mus, name="rounds:focus_area_add"), {"text": "linje\n" * 10_000})
    assert response.status_code == 400
    assert "Keep it to 2000 characters" in response.content.decode()
    assert not FocusArea.objects.exists()


def test_the_units_people_read_its_page_and_may_not_write_to_it(org: Org, mus: Mus) -> None:
    area = focus_area_add(viewer=as_(org, "leader"), unit_round=mus.unit_round, text="Vidensdeling")
    client = org.client("employee")
    page = client.get(url(mus))
    assert page.status_code == 200 and "Vidensdeling" in page.content.decode()
    assert page.context["leads"] is False and page.context["focus_area_form"] is None
    assert client.post(url(mus, name="rounds:focus_area_add"), {"text": "Mit"}).status_code == 403
    assert client.post(url(mus, None, "rounds:focus_area_remove", area.uuid)).status_code == 403
    assert client.get(url(mus, None, "rounds:focus_area_edit", area.uuid)).status_code == 403
    assert client.post(url(mus, name="rounds:unit_round_open")).status_code == 403
    assert client.post(url(mus, name="rounds:unit_round_introduction"), {"introduction": "x"}).status_code == 403
    assert areas(mus.unit_round) == ["Vidensdeling"]


def test_strangers_get_404_for_the_unit_and_for_units_outside_the_round(org: Org, mus: Mus) -> None:
    assert org.client("outsider").get(url(mus)).status_code == 404
    assert org.client("outsider").post(url(mus, name="rounds:focus_area_add"), {"text": "x"}).status_code == 404
    assert (
        org.client("leader").get(reverse("rounds:unit_round", args=[mus.round.uuid, uuid.uuid4()])).status_code == 404
    )
    narrow = draft_round(org, name="MUS-Børn", units=[org.children])
    round_launch(viewer=as_(org, "hr"), round_=narrow)
    assert (
        org.client("leader").get(reverse("rounds:unit_round", args=[narrow.uuid, org.payroll.uuid])).status_code == 404
    )
    assert org.client("hr").get(reverse("rounds:unit_round", args=[narrow.uuid, org.payroll.uuid])).status_code == 404


def test_a_focus_area_of_another_unit_is_not_found_through_this_unit(org: Org, mus: Mus) -> None:
    other = focus_area_add(
        viewer=as_(org, "former_leader"), unit_round=unit_round_for(round_=mus.round, unit=org.accounting), text="R"
    )
    client = org.client("leader")
    assert client.post(url(mus, None, "rounds:focus_area_remove", other.uuid)).status_code == 404
    assert FocusArea.objects.filter(pk=other.pk).exists()


def test_the_leader_reaches_the_unit_from_the_navigation(org: Org, mus: Mus) -> None:
    response = org.client("leader").get(reverse("rounds:current"))
    assert response.status_code == 302 and response["Location"] == url(mus)


def test_a_leader_of_several_units_gets_a_list_of_them(org: Org, mus: Mus) -> None:
    org.accounting.leader = org.leader
    org.accounting.save(update_fields=["leader"])
    response = org.client("leader").get(reverse("rounds:current"))
    assert response.status_code == 200
    assert {row.unit for row in response.context["led"]} == {org.payroll, org.accounting}
    assert url(mus) in response.content.decode() and url(mus, org.accounting) in response.content.decode()


def test_opening_posted_twice_opens_once_and_says_so(org: Org, mus: Mus) -> None:
    english(org, "leader")
    focus_area_add(viewer=as_(org, "leader"), unit_round=mus.unit_round, text="Vidensdeling")
    client = org.client("leader")
    assert client.post(url(mus, name="rounds:unit_round_open")).status_code == 302
    again = client.post(url(mus, name="rounds:unit_round_open"), follow=True)
    assert "The round is already open in the unit." in again.content.decode()
    assert OutboxMessage.objects.filter(kind="rounds.unit_opened", to_email=org.employee.email).count() == 1
    assert AuditEvent.objects.filter(action="rounds.unit_round_opened").count() == 1
