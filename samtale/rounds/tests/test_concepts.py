"""Conversation concepts: the shipped default, copying, editing, and versioning a concept that a
round uses (docs/domain.md § Concepts). The services are tested directly here; the pages in
test_concept_views.py."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from samtale.access.viewer import Viewer, viewer_for
from samtale.audit.models import AuditEvent
from samtale.rounds import defaults
from samtale.rounds.models import Concept, ConceptPhase, ConversationKind, PreparationForm, PreparationQuestion, Round
from samtale.rounds.selectors.concepts import concept_families, concept_family
from samtale.rounds.services.concepts import (
    ConceptInput,
    PhaseInput,
    QuestionInput,
    concept_copy,
    concept_fingerprint,
    concept_input_of,
    concept_update,
)
from samtale.testing import Mus, Org, build_org

pytestmark = pytest.mark.usefixtures("in_english")


def hr(org: Org) -> Viewer:
    return viewer_for(org.user("hr"))


def snapshot(concept: Concept) -> tuple[Any, ...]:
    """Everything a concept says, to show it did not change."""
    concept = Concept.objects.get(pk=concept.pk)
    return (
        concept.name,
        concept.kind,
        concept.description,
        concept.plan_due_days,
        concept.follow_up_within_months,
        concept.version,
        concept.is_current,
        list(
            ConceptPhase.objects.filter(concept=concept).values_list("order", "key", "heading", "guidance", "questions")
        ),
        list(PreparationQuestion.objects.filter(concept=concept).values_list("form", "order", "key", "text", "help")),
    )


def a_concept(org: Org, name: str = "Vores MUS") -> Concept:
    return concept_copy(viewer=hr(org), concept=defaults.default_concept_ensure(), name=name)


def data_of(concept: Concept, **changes: Any) -> ConceptInput:
    return replace(
        concept_input_of(Concept.objects.prefetch_related("phases", "questions").get(pk=concept.pk)), **changes
    )


# The default concept ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_installation_has_the_default_concept_after_migrate() -> None:
    # Created by the data migration: nothing in this test creates it.
    concept = Concept.objects.get(family=defaults.DEFAULT_FAMILY)
    assert concept.name == "MUS med mening"
    assert concept.kind == ConversationKind.MUS
    assert (concept.version, concept.is_current) == (1, True)
    assert concept.plan_due_days == 14
    assert concept.follow_up_within_months == 6
    assert [p.key for p in concept.phases.all()] == [
        "goals",
        "feedback",
        "future",
        "development_goals",
        "activities",
        "summary",
    ]
    assert concept.questions.filter(form=PreparationForm.EMPLOYEE).count() == 9
    assert concept.questions.filter(form=PreparationForm.LEADER).count() == 4
    # The appreciative questions of docs/domain.md § Before the conversation, step 4.
    texts = " ".join(concept.questions.values_list("text", flat=True))
    for words in ("god arbejdsoplevelse", "Hvad gjorde du", "Hvem arbejdede du sammen med", "Hvad lærte du"):
        assert words in texts


@pytest.mark.django_db
def test_ensuring_the_default_concept_finds_the_migrated_one_instead_of_making_another() -> None:
    migrated = Concept.objects.get(family=defaults.DEFAULT_FAMILY)
    assert defaults.default_concept_ensure() == migrated
    assert Concept.objects.count() == 1


def test_the_default_concept_is_found_after_hr_renames_it(org: Org) -> None:
    default = defaults.default_concept_ensure()
    concept_update(viewer=hr(org), concept=default, data=data_of(default, name="Vores MUS-koncept"))
    assert defaults.default_concept_ensure().name == "Vores MUS-koncept"
    assert Concept.objects.count() == 1


def test_the_default_concept_is_made_again_where_the_database_was_emptied(org: Org) -> None:
    Concept.objects.all().delete()
    concept = defaults.default_concept_ensure()
    assert concept.family == defaults.DEFAULT_FAMILY
    assert concept.phases.count() == 6


# Copying ------------------------------------------------------------------------------------------


def test_hr_copies_a_concept_into_a_family_of_its_own_with_the_same_content_and_keys(org: Org) -> None:
    default = defaults.default_concept_ensure()
    before = snapshot(default)

    copy = a_concept(org, "  Vesterbys MUS  ")

    assert copy.name == "Vesterbys MUS"
    assert copy.family != default.family
    assert (copy.version, copy.is_current) == (1, True)
    assert copy.created_by == org.user("hr")
    assert snapshot(copy)[1:5] == before[1:5]
    assert snapshot(copy)[7:] == before[7:]  # phases and questions, keys included
    assert snapshot(default) == before
    event = AuditEvent.objects.get(action="rounds.concept_copied")
    assert event.target_id == str(copy.uuid)
    assert event.data["from"] == str(default.uuid)


@pytest.mark.parametrize("persona", ["regional_hr", "leader", "director", "employee", "admin"])
def test_only_hr_for_the_whole_organisation_copies_a_concept(org: Org, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        concept_copy(viewer=viewer_for(org.user(persona)), concept=defaults.default_concept_ensure(), name="Min MUS")
    assert Concept.objects.count() == 1


def test_a_copy_needs_a_name_that_no_current_concept_has(org: Org) -> None:
    default = defaults.default_concept_ensure()
    with pytest.raises(ValidationError) as error:
        concept_copy(viewer=hr(org), concept=default, name="  ")
    assert error.value.message_dict == {"name": ["Give the concept a name."]}
    with pytest.raises(ValidationError) as error:
        concept_copy(viewer=hr(org), concept=default, name="mus MED mening")
    assert error.value.message_dict == {"name": ["There is already a concept called mus MED mening."]}
    assert Concept.objects.count() == 1


# Editing ------------------------------------------------------------------------------------------


def test_a_concept_no_round_uses_is_changed_in_place(org: Org) -> None:
    concept = a_concept(org)
    phases = list(data_of(concept).phases)
    phases[0] = replace(phases[0], heading="Mål for samtalen")

    change = concept_update(
        viewer=hr(org),
        concept=concept,
        data=data_of(concept, name="Vores nye MUS", plan_due_days=21, follow_up_within_months=3, phases=phases),
    )

    assert change.changed and not change.new_version
    assert change.concept.pk == concept.pk
    concept.refresh_from_db()
    assert (concept.name, concept.plan_due_days, concept.follow_up_within_months) == ("Vores nye MUS", 21, 3)
    assert (concept.version, concept.is_current) == (1, True)
    assert concept.phases.get(order=1).heading == "Mål for samtalen"
    assert concept.phases.get(order=1).key == "goals"  # the key stays with the phase
    assert AuditEvent.objects.filter(action="rounds.concept_updated", target_id=str(concept.uuid)).count() == 1


def test_a_concept_a_round_uses_gets_a_new_version_and_the_round_keeps_the_old(org: Org, mus: Mus) -> None:
    used = mus.concept
    before = snapshot(used)
    phases = list(data_of(used).phases)
    phases[1] = replace(phases[1], heading="Feedback begge veje")

    change = concept_update(viewer=hr(org), concept=used, data=data_of(used, phases=phases, plan_due_days=10))

    new = change.concept
    assert change.changed and change.new_version
    assert new.pk != used.pk
    assert (new.family, new.version, new.is_current) == (used.family, 2, True)
    assert new.created_by == org.user("hr")
    assert new.plan_due_days == 10
    assert new.phases.get(key="feedback").heading == "Feedback begge veje"
    # The old version is exactly as it was, except that it is no longer the current one.
    assert snapshot(used)[:6] == before[:6] and snapshot(used)[7:] == before[7:]
    assert snapshot(used)[6] is False
    mus.round.refresh_from_db()
    assert mus.round.concept_id == used.pk
    family = concept_family(concept=used)
    assert [v.concept.version for v in family.versions] == [2, 1]
    assert [r.name for r in family.rounds_of(used)] == ["MUS-2027"] and family.rounds_of(new) == []
    assert Concept.objects.filter(family=used.family, is_current=True).get() == new
    assert [f.current for f in concept_families()] == [new]
    event = AuditEvent.objects.get(action="rounds.concept_versioned")
    assert event.target_id == str(new.uuid)
    assert event.data["from_version"] == 1 and event.data["version"] == 2


def test_a_new_version_nobody_uses_yet_is_changed_in_place(org: Org, mus: Mus) -> None:
    second = concept_update(viewer=hr(org), concept=mus.concept, data=data_of(mus.concept, plan_due_days=10)).concept
    third = concept_update(viewer=hr(org), concept=second, data=data_of(second, plan_due_days=12))
    assert not third.new_version
    assert third.concept.pk == second.pk
    assert Concept.objects.filter(family=mus.concept.family).count() == 2


def test_phases_and_questions_are_added_removed_and_reordered_and_keep_their_keys(org: Org, mus: Mus) -> None:
    data = data_of(mus.concept)
    phases = list(data.phases)
    phases = [phases[1], phases[0], *phases[2:5], PhaseInput(heading="Trivsel og arbejdsmiljø", questions="Hvordan?")]
    employee = [*data.employee_questions[1:], QuestionInput(text="Hvad vil du gerne lære?", help="Fx et fag")]
    leader = [QuestionInput(text="Hvad vil du anerkende?"), *data.leader_questions]

    new = concept_update(
        viewer=hr(org),
        concept=mus.concept,
        data=replace(data, phases=phases, employee_questions=employee, leader_questions=leader),
    ).concept

    assert list(new.phases.values_list("order", "key")) == [
        (1, "feedback"),
        (2, "goals"),
        (3, "future"),
        (4, "development_goals"),
        (5, "activities"),
        (6, "trivsel-og-arbejdsmiljoe"),
    ]
    employee_keys = list(new.questions.filter(form=PreparationForm.EMPLOYEE).values_list("key", flat=True))
    assert "experience" not in employee_keys
    assert employee_keys[0] == "what_made_it_good" and employee_keys[-1] == "hvad-vil-du-gerne-laere"
    assert new.questions.get(form=PreparationForm.LEADER, order=1).key == "hvad-vil-du-anerkende"
    assert new.questions.get(form=PreparationForm.EMPLOYEE, key="hvad-vil-du-gerne-laere").help == "Fx et fag"


def test_a_new_key_is_unique_within_the_concept_and_a_submitted_key_must_be_the_concepts_own(org: Org) -> None:
    concept = a_concept(org)
    data = data_of(concept)
    phases = [
        *data.phases,
        PhaseInput(heading="Goals"),  # slug "goals" is taken by phase 1
        PhaseInput(heading="Goals"),
        PhaseInput(heading="Ønsker", key="not-one-of-ours"),  # a forged key is not kept
        replace(data.phases[0], heading="Igen"),  # the same key twice: the second gets its own
        PhaseInput(heading="!!!"),  # nothing to make a key from
    ]
    concept_update(viewer=hr(org), concept=concept, data=replace(data, phases=phases))
    keys = list(concept.phases.values_list("key", flat=True))
    assert keys[6:] == ["goals-2", "goals-3", "oensker", "igen", "phase"]
    assert len(set(keys)) == len(keys)


def test_inspiration_questions_are_kept_one_per_line_without_blank_lines(org: Org) -> None:
    concept = a_concept(org)
    data = data_of(concept)
    phases = [replace(data.phases[0], questions="  Første?\r\n\r\n  Anden?  \n")]
    concept_update(viewer=hr(org), concept=concept, data=replace(data, phases=phases))
    assert concept.phases.get().question_list == ["Første?", "Anden?"]


def test_saving_what_the_concept_already_says_changes_nothing(org: Org, mus: Mus) -> None:
    before = snapshot(mus.concept)
    change = concept_update(viewer=hr(org), concept=mus.concept, data=data_of(mus.concept))
    assert not change.changed and change.concept == mus.concept
    assert snapshot(mus.concept) == before
    assert Concept.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="rounds.concept_").exists()


def test_the_same_edit_sent_twice_makes_one_version(org: Org, mus: Mus) -> None:
    data = data_of(mus.concept, name="MUS 2.0")
    fingerprint = concept_fingerprint(mus.concept)
    first = concept_update(viewer=hr(org), concept=mus.concept, data=data, fingerprint=fingerprint)
    again = concept_update(viewer=hr(org), concept=mus.concept, data=data, fingerprint=fingerprint)
    assert first.new_version and not again.changed
    assert again.concept == first.concept
    assert Concept.objects.filter(family=mus.concept.family).count() == 2


def test_an_edit_of_a_version_replaced_since_is_refused_and_changes_nothing(org: Org, mus: Mus) -> None:
    opened = data_of(mus.concept)
    concept_update(viewer=hr(org), concept=mus.concept, data=replace(opened, name="Den ene"))
    with pytest.raises(ValidationError) as error:
        concept_update(viewer=hr(org), concept=mus.concept, data=replace(opened, name="Den anden"))
    assert "A newer version of this concept (version 2) was saved after you opened it." in error.value.messages[0]
    assert list(Concept.objects.filter(family=mus.concept.family).values_list("version", "name")) == [
        (2, "Den ene"),
        (1, "MUS med mening"),
    ]


def test_an_edit_over_someone_elses_save_is_refused_and_theirs_stays(org: Org) -> None:
    concept = a_concept(org)
    fingerprint = concept_fingerprint(Concept.objects.prefetch_related("phases", "questions").get(pk=concept.pk))
    concept_update(viewer=hr(org), concept=concept, data=data_of(concept, plan_due_days=30), fingerprint=fingerprint)
    with pytest.raises(ValidationError) as error:
        concept_update(viewer=hr(org), concept=concept, data=data_of(concept, name="Min"), fingerprint=fingerprint)
    assert error.value.messages[0].startswith("Someone else saved this concept after you opened it.")
    concept.refresh_from_db()
    assert (concept.name, concept.plan_due_days) == ("Vores MUS", 30)


@pytest.mark.parametrize("persona", ["regional_hr", "leader", "head", "employee", "union_rep", "admin"])
def test_only_hr_for_the_whole_organisation_edits_a_concept(org: Org, persona: str) -> None:
    concept = defaults.default_concept_ensure()
    before = snapshot(concept)
    with pytest.raises(PermissionDenied):
        concept_update(viewer=viewer_for(org.user(persona)), concept=concept, data=data_of(concept, name="X"))
    assert snapshot(concept) == before


# Validation: every message, and nothing written -----------------------------------------------------


def _no_phases(d: ConceptInput) -> ConceptInput:
    return replace(d, phases=[])


def _blank_heading(d: ConceptInput) -> ConceptInput:
    return replace(d, phases=[d.phases[0], replace(d.phases[1], heading="   ")])


def _long_heading(d: ConceptInput) -> ConceptInput:
    return replace(d, phases=[replace(d.phases[0], heading="x" * 201)])


def _long_guidance(d: ConceptInput) -> ConceptInput:
    return replace(d, phases=[replace(d.phases[0], guidance="linje\n" * 1000)])


def _too_many_phases(d: ConceptInput) -> ConceptInput:
    return replace(d, phases=[PhaseInput(heading=f"Fase {n}") for n in range(21)])


def _blank_employee_question(d: ConceptInput) -> ConceptInput:
    return replace(d, employee_questions=[*d.employee_questions, QuestionInput(text=" ")])


def _blank_leader_question(d: ConceptInput) -> ConceptInput:
    return replace(d, leader_questions=[QuestionInput(text="")])


def _long_question(d: ConceptInput) -> ConceptInput:
    return replace(d, leader_questions=[QuestionInput(text="?" * 501)])


def _long_help(d: ConceptInput) -> ConceptInput:
    return replace(d, employee_questions=[QuestionInput(text="Hvad?", help="h" * 2001)])


def _too_many_questions(d: ConceptInput) -> ConceptInput:
    return replace(d, employee_questions=[QuestionInput(text=f"Spørgsmål {n}?") for n in range(41)])


INVALID = [
    ("a name", lambda d: replace(d, name=" "), "name", "Give the concept a name."),
    ("a long name", lambda d: replace(d, name="x" * 201), "name", "The name can be at most 200 characters."),
    (
        "a taken name",
        lambda d: replace(d, name="MUS MED MENING"),
        "name",
        "There is already a concept called MUS MED MENING.",
    ),
    ("a kind", lambda d: replace(d, kind="party"), "kind", "Choose which kind of conversation this is."),
    (
        "a long description",
        lambda d: replace(d, description="x" * 5001),
        "description",
        "The description can be at most 5000 characters.",
    ),
    (
        "a plan due at once",
        lambda d: replace(d, plan_due_days=0),
        "plan_due_days",
        "The plan must be due between 1 and 90 days after the conversation.",
    ),
    (
        "a plan due after a quarter",
        lambda d: replace(d, plan_due_days=91),
        "plan_due_days",
        "The plan must be due between 1 and 90 days after the conversation.",
    ),
    (
        "a follow-up at once",
        lambda d: replace(d, follow_up_within_months=0),
        "follow_up_within_months",
        "The follow-up must be held between 1 and 24 months after the conversation.",
    ),
    (
        "a follow-up after two years",
        lambda d: replace(d, follow_up_within_months=25),
        "follow_up_within_months",
        "The follow-up must be held between 1 and 24 months after the conversation.",
    ),
    ("no phase", _no_phases, "phases", "A concept needs at least one phase."),
    ("a phase without a heading", _blank_heading, "phases", "Phase 2 needs a heading."),
    ("a long heading", _long_heading, "phases", "The heading of phase 1 can be at most 200 characters."),
    (
        "long guidance",
        _long_guidance,
        "phases",
        "The guidance and the questions of phase 1 can be at most 5000 characters each.",
    ),
    ("too many phases", _too_many_phases, "phases", "A concept can have at most 20 phases."),
    (
        "an employee's question without a text",
        _blank_employee_question,
        "employee_questions",
        "Question 10 in the employee's preparation needs a text.",
    ),
    (
        "a leader's question without a text",
        _blank_leader_question,
        "leader_questions",
        "Question 1 in the leader's preparation needs a text.",
    ),
    (
        "a long question",
        _long_question,
        "leader_questions",
        "Question 1 in the leader's preparation can be at most 500 characters.",
    ),
    (
        "long help",
        _long_help,
        "employee_questions",
        "The help for question 1 in the employee's preparation can be at most 2000 characters.",
    ),
    (
        "too many questions",
        _too_many_questions,
        "employee_questions",
        "A preparation form can have at most 40 questions.",
    ),
]


@pytest.mark.parametrize(("case", "change", "field", "message"), INVALID, ids=[c[0] for c in INVALID])
def test_an_invalid_concept_is_refused_with_a_clear_message_and_nothing_is_written(
    org: Org, mus: Mus, case: str, change: Any, field: str, message: str
) -> None:
    # The default concept is in use, so a valid edit would make a version: check neither happens.
    other = a_concept(org)
    for concept in (mus.concept, other):
        before = snapshot(concept)
        data = change(data_of(concept))
        if case == "a taken name" and concept == mus.concept:
            data = replace(data, name="Vores MUS")
        with pytest.raises(ValidationError) as error:
            concept_update(viewer=hr(org), concept=concept, data=data)
        expected = message.replace("MUS MED MENING", "Vores MUS") if concept == mus.concept else message
        assert expected in error.value.message_dict[field], error.value.message_dict
        assert snapshot(concept) == before
    assert Concept.objects.count() == 2
    assert not AuditEvent.objects.filter(action__in=["rounds.concept_updated", "rounds.concept_versioned"]).exists()


def test_a_name_is_only_taken_by_a_current_concept_and_a_concept_keeps_its_own(org: Org, mus: Mus) -> None:
    concept_update(viewer=hr(org), concept=mus.concept, data=data_of(mus.concept, name="MUS 2.0"))
    # "MUS med mening" now names only version 1, which is not current: a copy may take the name.
    copy = a_concept(org, "MUS med mening")
    assert copy.name == "MUS med mening"
    # A concept saved under its own name is not "taken".
    change = concept_update(viewer=hr(org), concept=copy, data=data_of(copy, plan_due_days=20))
    assert change.changed


def test_every_message_names_the_problems_at_once(org: Org) -> None:
    concept = a_concept(org)
    data = replace(data_of(concept), name="", plan_due_days=0, phases=[])
    with pytest.raises(ValidationError) as error:
        concept_update(viewer=hr(org), concept=concept, data=data)
    assert set(error.value.message_dict) == {"name", "plan_due_days", "phases"}


# Two saves at once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_hr_people_saving_a_used_concept_at_once_make_one_version_and_the_other_is_told() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite refuses a second writer instead of queueing it; with a
        # database file (SAMTALE_TEST_DB_NAME) or PostgreSQL the test runs.
        pytest.skip("two connections writing at once need a database file or a server")
    org = build_org()
    concept = defaults.default_concept_ensure()
    Round.objects.create(name="MUS-2027", concept=concept, opens_on="2027-01-01", held_by="2027-03-31")
    fingerprint = concept_fingerprint(Concept.objects.prefetch_related("phases", "questions").get(pk=concept.pk))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(name: str) -> None:
        try:
            start.wait()
            concept_update(viewer=hr(org), concept=concept, data=data_of(concept, name=name), fingerprint=fingerprint)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Den ene", "Den anden")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "told"]
    versions = list(Concept.objects.filter(family=concept.family).values_list("version", "is_current"))
    assert sorted(versions) == [(1, False), (2, True)]
