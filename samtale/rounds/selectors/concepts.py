"""Reads of conversation concepts for HR's pages, each in a fixed number of queries however many
concepts, versions and rounds there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Prefetch

from samtale.org.models import Person
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Concept, ConceptPhase, PreparationForm, PreparationQuestion, Round
from samtale.rounds.selectors.running import rounds_running_for


@dataclass
class Version:
    concept: Concept
    rounds: list[Round] = field(default_factory=list)


@dataclass
class Family:
    """A concept as HR knows it: its current version, and every version with the rounds using it."""

    current: Concept
    versions: list[Version]

    def rounds_of(self, concept: Concept) -> list[Round]:
        """The rounds using this version of the family."""
        return next((v.rounds for v in self.versions if v.concept.pk == concept.pk), [])


def _rounds_by_concept(concept_ids: list[int]) -> dict[int, list[Round]]:
    rounds: dict[int, list[Round]] = defaultdict(list)
    for round_ in Round.objects.filter(concept_id__in=concept_ids).only("uuid", "name", "status", "concept_id"):
        rounds[round_.concept_id].append(round_)
    return rounds


def _families(concepts: list[Concept]) -> list[Family]:
    rounds = _rounds_by_concept([c.pk for c in concepts])
    by_family: dict[UUID, list[Concept]] = defaultdict(list)
    for concept in concepts:
        by_family[concept.family].append(concept)
    families = []
    for versions in by_family.values():
        versions.sort(key=lambda c: -c.version)
        current = next((c for c in versions if c.is_current), versions[0])
        families.append(Family(current, [Version(c, rounds.get(c.pk, [])) for c in versions]))
    families.sort(key=lambda f: (f.current.name.casefold(), f.current.pk))
    return families


def concept_families() -> list[Family]:
    """Every concept with its versions and the rounds using each: HR's list. Concepts are few
    (an organisation has a handful, with a few versions each), so all are read at once."""
    return _families(list(Concept.objects.defer("description").order_by("family", "-version")))


def concept_family(*, concept: Concept) -> Family:
    """The family of one concept, with the rounds using each version."""
    return _families(list(Concept.objects.defer("description").filter(family=concept.family)))[0]


def concept_with_content(*, concept_uuid: UUID | str) -> Concept | None:
    """A concept with its phases and both forms' questions, in order."""
    return (
        Concept.objects.prefetch_related(
            Prefetch("phases", queryset=ConceptPhase.objects.order_by("order")),
            Prefetch("questions", queryset=PreparationQuestion.objects.order_by("form", "order")),
        )
        .filter(uuid=concept_uuid)
        .first()
    )


def concept_questions(concept: Concept, form: str) -> list[PreparationQuestion]:
    """One preparation form's questions, from the prefetched ones."""
    return [q for q in concept.questions.all() if q.form == form]


EMPLOYEE, LEADER = PreparationForm.EMPLOYEE, PreparationForm.LEADER


def concept_for_guide(*, person: Person | None) -> Concept:
    """The concept whose guidance a person reads: that of the newest running round in their unit,
    else the organisation's current default concept."""
    if person is not None:
        rounds = rounds_running_for(unit=person.unit)
        if rounds:
            return rounds[0].concept
    return default_concept_ensure()
