"""Helpers for the round's tests: a round being prepared, the management persona, a round
opened in the employee's unit, and a concept's edit page as HR posts it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.org.models import Person, RoleKind
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Concept, PreparationForm, Round, UnitRound
from samtale.rounds.services.concepts import concept_fingerprint
from samtale.rounds.services.rounds import round_create
from samtale.rounds.services.unit_round import focus_area_add, unit_round_open
from samtale.testing import Mus, Org, make_role


def as_(org: Org, persona: str) -> Viewer:
    return viewer_for(org.user(persona))


def make_management(org: Org) -> Person:
    """The director is also management: sets the round's goals."""
    make_role(org.director, RoleKind.MANAGEMENT)
    return org.director


def draft_round(org: Org, *, name: str = "MUS-2028", units: list | None = None) -> Round:
    today = timezone.localdate()
    return round_create(
        viewer=as_(org, "hr"),
        name=name,
        concept=default_concept_ensure(),
        opens_on=today + timedelta(days=10),
        held_by=today + timedelta(days=100),
        units=units or [org.root],
    )


def open_in_payroll(org: Org, mus: Mus, *, focus_area: str = "Vidensdeling i teamet") -> UnitRound:
    """The leader writes a focus area for Løn and opens the round there."""
    leader = as_(org, "leader")
    focus_area_add(viewer=leader, unit_round=mus.unit_round, text=focus_area)
    unit_round_open(viewer=leader, unit_round=mus.unit_round)
    mus.unit_round.refresh_from_db()
    return mus.unit_round


def english(org: Org, *personas: str) -> None:
    """The personas read Samtale in English, so tests can assert the messages as written."""
    for persona in personas:
        user = org.user(persona)
        user.language = "en"
        user.save(update_fields=["language"])


# A concept's edit page, as HR posts it ------------------------------------------------------------


def form_data(concept: Concept, **changes: Any) -> dict[str, str]:
    """What the edit page sends when HR saves it unchanged; ``changes`` overrides fields."""
    concept = Concept.objects.prefetch_related("phases", "questions").get(pk=concept.pk)
    data: dict[str, str] = {
        "name": concept.name,
        "kind": concept.kind,
        "description": concept.description,
        "plan_due_days": str(concept.plan_due_days),
        "follow_up_within_months": str(concept.follow_up_within_months),
        "fingerprint": concept_fingerprint(concept),
    }
    phases = list(concept.phases.all())
    data.update(management_form("phases", len(phases)))
    for index, phase in enumerate(phases):
        data.update(
            {
                f"phases-{index}-key": phase.key,
                f"phases-{index}-heading": phase.heading,
                f"phases-{index}-guidance": phase.guidance,
                f"phases-{index}-questions": phase.questions,
                f"phases-{index}-ORDER": str(index + 1),
            }
        )
    for prefix, form in (("employee", PreparationForm.EMPLOYEE), ("leader", PreparationForm.LEADER)):
        questions = [q for q in concept.questions.all() if q.form == form]
        data.update(management_form(prefix, len(questions)))
        for index, question in enumerate(questions):
            data.update(
                {
                    f"{prefix}-{index}-key": question.key,
                    f"{prefix}-{index}-text": question.text,
                    f"{prefix}-{index}-help": question.help,
                    f"{prefix}-{index}-ORDER": str(index + 1),
                }
            )
    data.update(changes)
    return data


def management_form(prefix: str, count: int) -> dict[str, str]:
    """A formset's management form with ``count`` rows, all of them there already."""
    return {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": str(count),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
