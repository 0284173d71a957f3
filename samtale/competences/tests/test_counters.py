"""The counters of the overview (``competences.counters``): what the services keep by delta as people
register, and what ``counters_rebuild`` counts again in the database, are the same, short of a
profile included; someone who has left counts no more after the rebuild."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.competences.counters import counters_rebuild
from samtale.competences.models import ExpectedLevel, JobProfile, LevelCount
from samtale.competences.services.register import registration_assess, registration_record
from samtale.org.models import Person
from samtale.testing import Org
from samtale.testing.learning import make_catalogue
from samtale.testing.personas import make_person

pytestmark = pytest.mark.django_db


def _counts() -> set[tuple[int, int, int, int, int]]:
    return set(
        LevelCount.objects.filter(people__gt=0).values_list("unit_id", "competence_id", "level", "people", "short")
    )


def _register(person: Person, levels: dict, *, leader: Person | None = None) -> None:
    for competence, level in levels.items():
        if person.user is not None:
            registration_record(
                viewer=viewer_for(person.user), person=person, competence=competence, level=level, example=""
            )
        else:
            assert leader is not None and leader.user is not None
            registration_assess(
                viewer=viewer_for(leader.user), person=person, competence=competence, level=level, note=""
            )


def test_the_counters_kept_by_the_services_are_those_counted_again(org: Org) -> None:
    catalogue = make_catalogue()
    law, cooperation, resilience = catalogue.payroll_law, catalogue.cooperation, catalogue.resilience
    # A job title's profile (matched whatever the case) and a unit's, for everyone else in Økonomi.
    clerk = JobProfile.objects.create(name="Lønkonsulent", job_title="Lønkonsulent")
    ExpectedLevel.objects.create(profile=clerk, competence=law, level=5)
    economy = JobProfile.objects.create(name="Økonomi", unit=org.economy)
    ExpectedLevel.objects.bulk_create(
        [
            ExpectedLevel(profile=economy, competence=law, level=3),
            ExpectedLevel(profile=economy, competence=cooperation, level=4),
        ]
    )
    JobProfile.objects.create(name="Elev", job_title="Elev")  # expects nothing, and stops the search
    trainee = make_person("Eva Elev", unit=org.payroll, leader=org.leader, job_title="elev")
    titled = make_person("Tove Titel", unit=org.payroll, leader=org.leader, job_title="LØNKONSULENT")
    accountant = make_person("Rasmus Regnskab", unit=org.accounting, leader=org.former_leader)
    no_account = make_person("Uffe Uden Konto", unit=org.payroll, leader=org.leader, password=None)
    no_account.user = None

    _register(org.employee, {law: 4, cooperation: 3, resilience: 6})  # short of Økonomi's 3? no; of 4: yes
    _register(titled, {law: 4, cooperation: 2})  # short of the title's 5; the title expects no cooperation
    _register(accountant, {law: 2, cooperation: 5})
    _register(trainee, {law: 1})  # below Økonomi's 3, but her title's profile expects nothing
    _register(org.outsider, {law: 1})  # outside Økonomi: no profile
    _register(no_account, {law: 3}, leader=org.leader)  # the leader's assessment counts when it is all
    kept = _counts()

    assert counters_rebuild() == len(kept)
    assert _counts() == kept

    # Økonomi: law at 4 (employee, titled), 2, 3 and 1; short of a profile: titled (5) and the accountant (3).
    economy_law = {
        (level, people, short)
        for unit_id, competence_id, level, people, short in kept
        if unit_id == org.economy.pk and competence_id == law.pk
    }
    assert economy_law == {(4, 2, 1), (2, 1, 1), (3, 1, 0), (1, 1, 0)}
    root_law = sum(
        people for unit_id, competence_id, _lv, people, _s in kept if (unit_id, competence_id) == (org.root.pk, law.pk)
    )
    assert root_law == 6


def test_someone_who_has_left_counts_no_more_after_the_rebuild(org: Org) -> None:
    catalogue = make_catalogue()
    _register(org.employee, {catalogue.payroll_law: 4})
    _register(org.colleague, {catalogue.payroll_law: 2})
    Person.objects.filter(pk=org.colleague.pk).update(end_date=timezone.localdate() - timedelta(days=1))

    counters_rebuild()

    assert {(unit, level, people) for unit, _c, level, people, _s in _counts()} == {
        (org.payroll.pk, 4, 1),
        (org.economy.pk, 4, 1),
        (org.root.pk, 4, 1),
    }
