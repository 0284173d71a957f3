"""Helpers for the round's tests: a round being prepared, the management persona, a round
opened in the employee's unit."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.org.models import Person, RoleKind
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Round, UnitRound
from samtale.rounds.services import focus_area_add, round_create, unit_round_open
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
