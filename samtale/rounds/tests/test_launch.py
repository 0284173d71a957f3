"""Launching a round: a conversation for every participant with their current personnel leader,
notifications in the outbox, and launching again adds only those who joined since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.conversations.models import Conversation, ConversationStatus
from samtale.conversations.services.invitation import round_launch
from samtale.org.models import EmploymentType
from samtale.outbox.models import OutboxMessage
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.selectors.rounds import round_candidates
from samtale.rounds.services.rounds import round_create
from samtale.testing import Org, make_person


def a_round(org: Org, units=None):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return round_create(
        viewer=viewer_for(org.hr.user),
        name="MUS-2027",
        concept=default_concept_ensure(),
        opens_on=today,
        held_by=today + timedelta(days=60),
        units=units or [org.root],
    )


def test_every_eligible_person_gets_one_conversation_and_the_others_are_listed_with_why(org: Org) -> None:
    trainee = make_person("Elev Eriksen", unit=org.payroll, leader=org.leader, employment_type=EmploymentType.TRAINEE)
    round_ = a_round(org)
    candidates = {c.name: c for c in round_candidates(round_=round_)}
    assert candidates["Elev Eriksen"].takes_part is False
    assert "Elev" in candidates["Elev Eriksen"].reason or "Trainee" in candidates["Elev Eriksen"].reason
    assert candidates["Dora Direktør"].takes_part is False  # nobody to hold it with

    result = round_launch(viewer=viewer_for(org.hr.user), round_=round_)

    people = set(Conversation.objects.filter(round=round_).values_list("employee__name", flat=True))
    assert org.employee.name in people and trainee.name not in people and "Dora Direktør" not in people
    assert result.created == len(people) == 11
    assert set(Conversation.objects.values_list("status", flat=True)) == {ConversationStatus.INVITED}


def test_launch_tells_the_participants_and_each_leader_once(org: Org) -> None:
    round_ = a_round(org)
    round_launch(viewer=viewer_for(org.hr.user), round_=round_)
    kinds = list(OutboxMessage.objects.values_list("kind", "to_email"))
    assert ("rounds.opened", org.employee.email) in kinds
    assert [k for k in kinds if k == ("rounds.opened_for_team", org.leader.email)] == [
        ("rounds.opened_for_team", org.leader.email)
    ]


def test_launching_again_adds_only_people_who_joined_since(org: Org) -> None:
    round_ = a_round(org)
    hr = viewer_for(org.hr.user)
    round_launch(viewer=hr, round_=round_)
    newcomer = make_person("Ny Nielsen", unit=org.payroll, leader=org.leader)
    again = round_launch(viewer=hr, round_=round_)
    assert (again.created, again.already) == (1, 11)
    assert Conversation.objects.filter(round=round_, employee=newcomer).count() == 1
    assert Conversation.objects.filter(round=round_).count() == 12
    assert round_launch(viewer=hr, round_=round_).created == 0


def test_only_the_units_taking_part_are_in_the_round(org: Org) -> None:
    round_ = a_round(org, units=[org.children])
    round_launch(viewer=viewer_for(org.hr.user), round_=round_)
    assert set(Conversation.objects.values_list("employee__name", flat=True)) == {
        "Olga Børnechef",
        "Ulla Udenfor",
        "Rita Regional",
    }


@pytest.mark.parametrize("persona", ["employee", "leader", "regional_hr", "director"])
def test_only_hr_for_the_whole_organisation_launches_a_round(org: Org, persona: str) -> None:
    round_ = a_round(org)
    with pytest.raises(PermissionDenied):
        round_launch(viewer=viewer_for(org.user(persona)), round_=round_)


def test_the_round_pages_counts_follow_the_same_rules_as_the_list_of_who_takes_part(org: Org) -> None:
    """The round page counts in SQL (``takes_part_q``) what the participants page works out person
    by person (``round_candidates``): every combination of HR's word, employment type and leader."""
    from samtale.org.models import Person
    from samtale.rounds.selectors.rounds import round_launch_preview

    for kind in EmploymentType.values:
        for override in (None, True, False):
            for leader in (org.leader, None):
                person = make_person(
                    f"{kind} {override} {leader is not None}", unit=org.payroll, leader=leader, employment_type=kind
                )
                Person.objects.filter(pk=person.pk).update(
                    eligibility_override=override, eligibility_override_reason="HR"
                )
    round_ = a_round(org)
    candidates = round_candidates(round_=round_)

    preview = round_launch_preview(round_=round_)
    taking_part = sum(1 for c in candidates if c.takes_part)
    assert (preview.taking_part, preview.left_out) == (taking_part, len(candidates) - taking_part)
    assert (preview.already, preview.would_add) == (0, taking_part)

    round_launch(viewer=viewer_for(org.hr.user), round_=round_)
    make_person("Ny Nielsen", unit=org.payroll, leader=org.leader)
    assert round_launch_preview(round_=round_).would_add == 1


def test_the_round_pages_kept_counts_follow_every_change_they_are_counted_from(org: Org, client) -> None:  # type: ignore[no-untyped-def]
    """The round page keeps its counts (``kept=True``) until something they are counted from
    moves: a kept count is never one a fresh count would not give."""
    import time_machine
    from django.urls import reverse

    from samtale.org.models import ImportRun, ImportStatus, Unit
    from samtale.org.services import person_change_placement, person_set_eligibility, unit_tree_rebuild
    from samtale.rounds.selectors.rounds import round_launch_preview

    round_ = a_round(org, units=[org.economy])
    hr = viewer_for(org.hr.user)

    def same() -> tuple[int, int, int, int]:
        kept, fresh = round_launch_preview(round_=round_, kept=True), round_launch_preview(round_=round_)
        assert kept == fresh
        return kept.taking_part, kept.left_out, kept.already, kept.would_add

    first = same()
    person_set_eligibility(viewer=hr, person=org.colleague, override=False, reason="Orlov")
    assert same()[:2] == (first[0] - 1, first[1] + 1)

    person_change_placement(
        viewer=hr,
        person=org.employee,
        unit=org.children,
        personnel_leader=org.employee.personnel_leader,
        daily_leader=None,
    )
    assert same()[0] == first[0] - 2  # moved out of the round's units

    round_launch(viewer=hr, round_=round_)
    launched = same()
    assert launched[2] == launched[0] and launched[3] == 0
    newcomer = make_person("Ny Nielsen", unit=org.payroll, leader=org.leader)
    assert same()[3] == 1

    # A unit moved by an import (the only way units move) takes its people into the round.
    Unit.objects.filter(pk=org.children.pk).update(parent=org.economy)
    unit_tree_rebuild()
    ImportRun.objects.create(
        file_name="org.csv", file_sha256="0" * 64, status=ImportStatus.APPLIED, applied_at=timezone.now()
    )
    moved = same()
    assert moved[0] > launched[0] + 1

    # Five minutes before midnight on a person's last day they count; six minutes later, with
    # nothing written, they do not (sooner than a kept count expires by itself).
    from datetime import datetime, time

    from samtale.org.models import Person

    evening = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 55)))
    with time_machine.travel(evening, tick=False):
        Person.objects.filter(pk=newcomer.pk).update(end_date=timezone.localdate())
        ImportRun.objects.create(
            file_name="org.csv", file_sha256="1" * 64, status=ImportStatus.APPLIED, applied_at=timezone.now()
        )
        today = same()
    with time_machine.travel(evening + timedelta(minutes=6), tick=False):
        assert same()[3] == today[3] - 1

    page = client.get(reverse("rounds:detail", kwargs={"round_uuid": round_.uuid}))
    assert page.status_code == 302  # not signed in
    client.force_login(org.hr.user)
    page = client.get(reverse("rounds:detail", kwargs={"round_uuid": round_.uuid}))
    assert page.context["preview"] == round_launch_preview(round_=round_)
