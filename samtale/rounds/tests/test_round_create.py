"""HR creates a round, changes it while it is being prepared, checks its participants and launches
it (docs/domain.md § The round)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation
from samtale.conversations.services.invitation import round_launch
from samtale.org.models import EmploymentType
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Concept, Round, RoundStatus
from samtale.rounds.services.rounds import round_create, round_update
from samtale.testing import Org, make_person, make_unit
from samtale.testing.rounds import as_, draft_round, english

pytestmark = pytest.mark.usefixtures("in_english")

TODAY = timezone.localdate


def create(org: Org, persona: str = "hr", **changes):  # type: ignore[no-untyped-def]
    values = {
        "name": "MUS-2028",
        "concept": default_concept_ensure(),
        "opens_on": TODAY() + timedelta(days=10),
        "held_by": TODAY() + timedelta(days=100),
        "units": [org.economy],
    }
    values.update(changes)
    return round_create(viewer=as_(org, persona), **values)


# The service ---------------------------------------------------------------------------------


def test_hr_creates_a_round_for_its_units_and_the_creation_is_audited(org: Org) -> None:
    round_ = create(org, units=[org.economy, org.children])
    assert round_.status == RoundStatus.DRAFT
    assert set(round_.units.all()) == {org.economy, org.children}
    assert AuditEvent.objects.filter(action="rounds.round_created", target_id=str(round_.uuid)).exists()


@pytest.mark.parametrize("persona", ["regional_hr", "director", "leader", "employee", "union_rep"])
def test_only_hr_for_the_whole_organisation_creates_a_round(org: Org, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        create(org, persona)
    assert not Round.objects.exists()


def test_the_conversations_cannot_be_due_before_the_round_opens(org: Org) -> None:
    with pytest.raises(ValidationError) as error:
        create(org, opens_on=TODAY() + timedelta(days=30), held_by=TODAY() + timedelta(days=29))
    assert "held_by" in error.value.message_dict
    assert not Round.objects.exists()


def test_a_round_needs_at_least_one_unit(org: Org) -> None:
    with pytest.raises(ValidationError) as error:
        create(org, units=[])
    assert "units" in error.value.message_dict


def test_two_rounds_never_share_a_name_whatever_the_letter_case(org: Org) -> None:
    create(org)
    with pytest.raises(ValidationError) as error:
        create(org, name="  mus-2028 ")
    assert "name" in error.value.message_dict
    assert Round.objects.count() == 1


def test_a_round_takes_the_current_version_of_its_concept(org: Org) -> None:
    current = default_concept_ensure()
    old = Concept.objects.create(name="Gammel", kind="mus", family=current.family, version=99, is_current=False)
    with pytest.raises(ValidationError) as error:
        create(org, concept=old)
    assert "concept" in error.value.message_dict


def test_a_unit_below_another_chosen_unit_is_kept_once_through_the_one_above(org: Org) -> None:
    round_ = create(org, units=[org.payroll, org.economy, org.economy])
    assert list(round_.units.all()) == [org.economy]


def test_a_round_being_prepared_can_be_changed_and_the_change_is_audited(org: Org) -> None:
    round_ = create(org)
    round_update(
        viewer=as_(org, "hr"),
        round_=round_,
        name="MUS-2028 forår",
        concept=round_.concept,
        opens_on=round_.opens_on,
        held_by=round_.held_by + timedelta(days=7),
        units=[org.root],
    )
    round_.refresh_from_db()
    assert round_.name == "MUS-2028 forår" and list(round_.units.all()) == [org.root]
    event = AuditEvent.objects.get(action="rounds.round_changed")
    assert set(event.data) == {"name", "held_by", "units"}


def test_a_launched_round_can_no_longer_be_changed(org: Org) -> None:
    round_ = create(org)
    round_launch(viewer=as_(org, "hr"), round_=round_)
    with pytest.raises(ValidationError):
        round_update(
            viewer=as_(org, "hr"),
            round_=round_,
            name="Andet navn",
            concept=round_.concept,
            opens_on=round_.opens_on,
            held_by=round_.held_by,
            units=[org.root],
        )
    round_.refresh_from_db()
    assert round_.name == "MUS-2028"


def test_changing_a_round_to_another_rounds_name_is_refused(org: Org) -> None:
    create(org, name="MUS-2027")
    round_ = create(org)
    with pytest.raises(ValidationError) as error:
        round_update(
            viewer=as_(org, "hr"),
            round_=round_,
            name="MUS-2027",
            concept=round_.concept,
            opens_on=round_.opens_on,
            held_by=round_.held_by,
            units=[org.root],
        )
    assert "name" in error.value.message_dict


def test_a_closed_round_is_never_launched_again(org: Org) -> None:
    round_ = create(org)
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(ValidationError):
        round_launch(viewer=as_(org, "hr"), round_=round_)
    assert not Conversation.objects.exists()


# The pages -----------------------------------------------------------------------------------


def form_data(org: Org, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "MUS-2028",
        "concept": default_concept_ensure().pk,
        "opens_on": (TODAY() + timedelta(days=10)).isoformat(),
        "held_by": (TODAY() + timedelta(days=100)).isoformat(),
        "units": [org.economy.pk],
        "unit_codes": "",
    }
    data.update(changes)
    return data


def test_the_new_round_form_starts_from_the_default_timeline(org: Org) -> None:
    response = org.client("hr").get(reverse("rounds:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["opens_on"].month == 10 and form.initial["opens_on"].day == 15
    assert form.initial["held_by"].month == 3 and form.initial["held_by"].day == 31
    assert form.initial["name"] == f"MUS-{form.initial['held_by'].year}"
    # The top two levels are checkboxes; the units further down are given by code.
    choices = {unit.pk for unit in form.fields["units"].queryset}
    assert org.root.pk in choices and org.economy.pk in choices and org.payroll.pk not in choices


def test_hr_creates_a_round_with_checkboxes_and_unit_codes(org: Org) -> None:
    response = org.client("hr").post(reverse("rounds:create"), form_data(org, unit_codes="REG, BOR"))
    round_ = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rounds:detail", args=[round_.uuid])
    assert set(round_.units.values_list("code", flat=True)) == {"OKO", "BOR"}  # REG is under OKO


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"held_by": (TODAY() + timedelta(days=5)).isoformat()},
            "held_by",
            "The conversations cannot be due before the round opens.",
        ),
        ({"opens_on": (TODAY() - timedelta(days=1)).isoformat()}, "opens_on", "The round cannot open in the past."),
        ({"held_by": (TODAY() - timedelta(days=1)).isoformat()}, "held_by", "This date has passed."),
        ({"units": []}, "units", "Choose at least one unit."),
        ({"unit_codes": "LON NOPE ALSO-NOPE"}, "unit_codes", "No unit has the code NOPE, ALSO-NOPE."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"opens_on": "15-10-2027"}, "opens_on", "Enter a valid date."),
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(
    org: Org, changes: dict[str, object], field: str, message: str
) -> None:
    english(org, "hr")
    response = org.client("hr").post(reverse("rounds:create"), form_data(org, **changes))
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "<title>Error: " in response.content.decode()
    assert not Round.objects.exists()


def test_a_form_posted_twice_creates_one_round_and_says_why(org: Org) -> None:
    english(org, "hr")
    client = org.client("hr")
    assert client.post(reverse("rounds:create"), form_data(org)).status_code == 302
    again = client.post(reverse("rounds:create"), form_data(org))
    assert again.status_code == 400
    assert "There is already a round called MUS-2028." in again.context["form"].errors["name"]
    assert Round.objects.count() == 1


def test_the_round_list_links_to_each_round(org: Org) -> None:
    round_ = draft_round(org)
    response = org.client("hr").get(reverse("rounds:list"))
    assert reverse("rounds:detail", args=[round_.uuid]) in response.content.decode()
    assert reverse("rounds:create") in response.content.decode()


def test_hr_changes_a_round_being_prepared(org: Org) -> None:
    round_ = draft_round(org)
    client = org.client("hr")
    page = client.get(reverse("rounds:edit", args=[round_.uuid]))
    assert page.status_code == 200 and page.context["form"].initial["name"] == "MUS-2028"
    response = client.post(
        reverse("rounds:edit", args=[round_.uuid]), form_data(org, name="MUS-2028 B", unit_codes="LON")
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name == "MUS-2028 B"
    assert set(round_.units.values_list("code", flat=True)) == {"OKO"}  # Løn is under Økonomi


def test_a_round_that_opened_in_the_past_keeps_its_date_when_changed(org: Org) -> None:
    round_ = draft_round(org)
    yesterday = TODAY() - timedelta(days=1)
    Round.objects.filter(pk=round_.pk).update(opens_on=yesterday)
    response = org.client("hr").post(
        reverse("rounds:edit", args=[round_.uuid]), form_data(org, opens_on=yesterday.isoformat())
    )
    assert response.status_code == 302


def test_the_edit_page_of_a_launched_round_sends_hr_back_with_a_word_of_why(org: Org) -> None:
    round_ = draft_round(org)
    round_launch(viewer=as_(org, "hr"), round_=round_)
    client = org.client("hr")
    for response in (
        client.get(reverse("rounds:edit", args=[round_.uuid])),
        client.post(reverse("rounds:edit", args=[round_.uuid]), form_data(org, name="Nyt")),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("rounds:detail", args=[round_.uuid])
    round_.refresh_from_db()
    assert round_.name == "MUS-2028"


def test_the_participants_page_shows_who_is_in_and_who_is_out_and_why(org: Org) -> None:
    make_person("Elev Eriksen", unit=org.payroll, leader=org.leader, employment_type=EmploymentType.TRAINEE)
    round_ = draft_round(org)
    client = org.client("hr")
    response = client.get(reverse("rounds:participants", args=[round_.uuid]))
    participants = response.context["participants"]
    assert (participants.taking_part, participants.left_out) == (11, 2)  # the trainee and the director
    text = response.content.decode()
    assert "Elev Eriksen" in text and "Emil Ærø" in text

    out = client.get(reverse("rounds:participants", args=[round_.uuid]) + "?show=out")
    names = [candidate.name for candidate, _has in out.context["page"].object_list]
    assert names == ["Dora Direktør", "Elev Eriksen"]
    assert all(not candidate.takes_part for candidate, _has in out.context["page"].object_list)

    taking_part = client.get(reverse("rounds:participants", args=[round_.uuid]) + "?show=in")
    assert len(taking_part.context["page"].object_list) == 11


def test_the_participants_page_is_paginated_and_its_filter_answers_htmx_with_the_results_only(org: Org) -> None:
    team = make_unit("T1", "Team 1", parent=org.children)
    for index in range(60):
        make_person(f"Person {index:02d}", unit=team, leader=org.other_head)
    round_ = draft_round(org, units=[org.children])
    client = org.client("hr")
    url = reverse("rounds:participants", args=[round_.uuid])
    first = client.get(url + "?show=in")
    assert len(first.context["page"].object_list) == 50
    assert "show=in&amp;page=2" in first.content.decode()
    second = client.get(url + "?show=in&page=2")
    assert len(second.context["page"].object_list) == 13  # 60 + Olga, Ulla and Rita
    fragment = client.get(url + "?show=out", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and 'id="participants"' in fragment.content.decode()


def test_launching_asks_for_a_confirmation_first(org: Org) -> None:
    round_ = draft_round(org)
    client = org.client("hr")
    page = client.get(reverse("conversations:round_launch", args=[round_.uuid]))
    assert page.status_code == 200 and page.context["preview"].would_add == 11
    refused = client.post(reverse("conversations:round_launch", args=[round_.uuid]), {})
    assert refused.status_code == 400
    assert "confirm" in refused.context["form"].errors
    assert not Conversation.objects.exists()

    launched = client.post(reverse("conversations:round_launch", args=[round_.uuid]), {"confirm": "on"})
    assert launched.status_code == 302
    assert Conversation.objects.filter(round=round_).count() == 11
    round_.refresh_from_db()
    assert round_.status == RoundStatus.LAUNCHED


def test_after_the_launch_the_round_page_shows_how_many_joined_since_and_a_second_launch_adds_them(
    org: Org,
) -> None:
    english(org, "hr")
    round_ = draft_round(org)
    client = org.client("hr")
    client.post(reverse("conversations:round_launch", args=[round_.uuid]), {"confirm": "on"})
    assert client.get(reverse("rounds:detail", args=[round_.uuid])).context["preview"].would_add == 0
    make_person("Ny Nielsen", unit=org.payroll, leader=org.leader)
    make_person("Nina Ny", unit=org.payroll, leader=org.leader)
    page = client.get(reverse("rounds:detail", args=[round_.uuid]))
    assert page.context["preview"].would_add == 2
    assert reverse("conversations:round_launch", args=[round_.uuid]) in page.content.decode()

    added = client.post(reverse("conversations:round_launch", args=[round_.uuid]), {"confirm": "on"}, follow=True)
    assert [str(m) for m in added.context["messages"]] == [
        "2 conversations were added for the people who joined since the launch, and they and their leaders are told."
    ]
    assert Conversation.objects.filter(round=round_).count() == 13
    again = client.post(reverse("conversations:round_launch", args=[round_.uuid]), {"confirm": "on"}, follow=True)
    assert Conversation.objects.filter(round=round_).count() == 13
    assert [str(m) for m in again.context["messages"]] == ["Nobody new has joined: no conversations were added."]


def test_launching_a_closed_round_is_refused_with_a_message(org: Org) -> None:
    english(org, "hr")
    round_ = draft_round(org)
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    response = org.client("hr").post(reverse("conversations:round_launch", args=[round_.uuid]), {"confirm": "on"})
    assert response.status_code == 400
    assert "The round is closed." in response.content.decode()
    assert not Conversation.objects.exists()


def test_the_round_page_shows_the_units_progress(org: Org, mus) -> None:  # type: ignore[no-untyped-def]
    from samtale.testing.rounds import open_in_payroll

    open_in_payroll(org, mus)
    response = org.client("hr").get(reverse("rounds:detail", args=[mus.round.uuid]))
    total = response.context["progress"][-1]
    assert total.unit is None
    assert (total.units, total.led, total.with_focus_areas, total.opened) == (6, 6, 1, 1)
