"""Reads of rounds: who takes part and why, and what a person sees of a round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.org.models import ELIGIBLE_EMPLOYMENT_TYPES, EmploymentType, Person, Unit
from samtale.rounds.models import FocusArea, Round, UnitRound


@dataclass(frozen=True)
class Candidate:
    person_id: int
    employee_number: str
    name: str
    unit_name: str
    takes_part: bool
    reason: str


def round_scope_q(round_: Round, prefix: str = "") -> Q:
    """The people (or rows with a person at ``prefix``) in the round's units and below them."""
    q = Q(pk__in=[])
    for path in round_.units.values_list("path", flat=True):
        q |= Q(**{f"{prefix}unit__path__startswith": path})
    return q


def round_candidates(*, round_: Round, on: date | None = None) -> list[Candidate]:
    """Everyone in the round's units who is employed, each with whether they take part and why
    (domain.md, "Who takes part"): HR checks this list before the launch."""
    on = on or timezone.localdate()
    labels = dict(EmploymentType.choices)
    rows = (
        Person.objects.filter(round_scope_q(round_))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("unit__path", "name", "employee_number")
        .values_list(
            "id",
            "employee_number",
            "name",
            "unit__name",
            "employment_type",
            "eligibility_override",
            "eligibility_override_reason",
            "personnel_leader_id",
        )
    )
    candidates = []
    for pk, number, name, unit_name, kind, override, override_reason, leader in rows.iterator(chunk_size=5000):
        if override is False:
            takes_part, reason = False, _("HR: %(reason)s") % {"reason": override_reason}
        elif override is True and leader is not None:
            takes_part, reason = True, _("HR: %(reason)s") % {"reason": override_reason}
        elif kind not in ELIGIBLE_EMPLOYMENT_TYPES and override is None:
            takes_part, reason = False, _("Employment type: %(kind)s") % {"kind": labels.get(kind, kind)}
        elif leader is None:
            # The conversation is held with the personnel leader; without one there is nobody to hold it.
            takes_part, reason = False, _("Has no personnel leader")
        else:
            takes_part, reason = True, _("Employment type: %(kind)s") % {"kind": labels.get(kind, kind)}
        candidates.append(Candidate(pk, number, name, unit_name, takes_part, reason))
    return candidates


def unit_rounds_for(*, round_: Round, unit: Unit) -> QuerySet[UnitRound]:
    """The round in ``unit`` and in every unit above it: a department's focus areas apply to its
    teams too."""
    return (
        UnitRound.objects.filter(round=round_, unit_id__in=unit.lineage_ids)
        .select_related("unit")
        .order_by("unit__path")
    )


def focus_areas_for(*, round_: Round, unit: Unit) -> list[FocusArea]:
    """The focus areas that apply to a person in ``unit``: their unit's and those above it."""
    return list(
        FocusArea.objects.filter(unit_round__round=round_, unit_round__unit_id__in=unit.lineage_ids)
        .select_related("unit_round__unit")
        .order_by("unit_round__unit__path", "order", "id")
    )
