"""The reads of a person's register and education record: a constant number of queries whatever
the size of the organisation or of the catalogue's history. The views ask ``access`` first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q

from samtale.competences.models import (
    Competence,
    CompetenceGroup,
    EducationEntry,
    JobProfile,
    Registration,
    RegistrationChange,
    RegistrationState,
    ScaleLevel,
)
from samtale.org.models import Person, path_ids


@dataclass
class Row:
    competence: Competence
    registration: Registration | None
    expected: int | None
    levels: list[ScaleLevel]
    entries: list[EducationEntry] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.registration.state if self.registration else ""

    @property
    def to_settle(self) -> bool:
        return self.state == RegistrationState.TO_SETTLE

    @property
    def below_profile(self) -> bool:
        return self.registration is not None and self.expected is not None and self.registration.level < self.expected

    def level_label(self, value: int | None) -> str:
        for level in self.levels:
            if level.value == value:
                return f"{value} {level.label}"
        return "" if value is None else str(value)

    @property
    def own_label(self) -> str:
        return self.level_label(self.registration.employee_level if self.registration else None)

    @property
    def leader_label(self) -> str:
        return self.level_label(self.registration.leader_level if self.registration else None)

    @property
    def expected_label(self) -> str:
        return self.level_label(self.expected)


@dataclass
class Register:
    person: Person
    profile: JobProfile | None
    groups: list[tuple[str, list[Row]]]

    @property
    def rows(self) -> list[Row]:
        return [row for _label, rows in self.groups for row in rows]

    @property
    def registered(self) -> list[Row]:
        return [row for row in self.rows if row.registration is not None]

    @property
    def to_settle(self) -> list[Row]:
        return [row for row in self.rows if row.to_settle]

    @property
    def awaiting_leader(self) -> list[Row]:
        return [row for row in self.rows if row.state == RegistrationState.LEADER_MISSING]

    @property
    def gaps(self) -> list[Row]:
        """Competences of the profile where the person is below the expected level, or not registered."""
        return [
            row
            for row in self.rows
            if row.expected is not None and (row.registration is None or row.registration.level < row.expected)
        ]


def profile_for(person: Person) -> JobProfile | None:
    """The person's job profile: their job title's, else the nearest of their unit and those above
    it. ``person.unit`` should be loaded; one query."""
    wanted = Q(unit_id__in=path_ids(person.unit.path))
    if person.job_title:
        wanted |= Q(job_title__iexact=person.job_title)
    candidates = list(JobProfile.objects.filter(wanted))
    for profile in candidates:
        if profile.job_title and person.job_title and profile.job_title.casefold() == person.job_title.casefold():
            return profile
    by_unit = {profile.unit_id: profile for profile in candidates if profile.unit_id is not None}
    for unit_id in reversed(path_ids(person.unit.path)):
        if unit_id in by_unit:
            return by_unit[unit_id]
    return None


def catalogue_levels() -> tuple[list[Competence], dict[int, list[ScaleLevel]]]:
    """The competences in use (and their scales' levels, by scale id): two queries."""
    competences = list(Competence.objects.active().order_by("group", "name", "id"))
    levels: dict[int, list[ScaleLevel]] = defaultdict(list)
    for level in ScaleLevel.objects.select_related("scale").filter(
        scale_id__in={competence.scale_id for competence in competences}
    ):
        levels[level.scale_id].append(level)
    return competences, levels


def register_for(person: Person, *, with_entries: bool = True) -> Register:
    """Every competence in use, with the person's registration where there is one (and any they
    registered of a competence no longer in use), grouped as the catalogue is."""
    competences, levels = catalogue_levels()
    registrations = {
        registration.competence_id: registration
        for registration in Registration.objects.select_related("competence", "assessed_by").filter(person=person)
    }
    retired = [r.competence for r in registrations.values() if not r.competence.active]
    if retired:
        for level in ScaleLevel.objects.select_related("scale").filter(scale_id__in={c.scale_id for c in retired}):
            if level not in levels[level.scale_id]:
                levels[level.scale_id].append(level)
    profile = profile_for(person)
    expected = dict(profile.levels.values_list("competence_id", "level")) if profile else {}
    entries: dict[int, list[EducationEntry]] = defaultdict(list)
    if with_entries:
        for entry in EducationEntry.objects.filter(person=person).prefetch_related(
            Prefetch("competences", queryset=Competence.objects.only("id"))
        ):
            for competence in entry.competences.all():
                entries[competence.pk].append(entry)
    by_group: dict[str, list[Row]] = defaultdict(list)
    for competence in [*competences, *retired]:
        by_group[competence.group].append(
            Row(
                competence=competence,
                registration=registrations.get(competence.pk),
                expected=expected.get(competence.pk),
                levels=levels.get(competence.scale_id, []),
                entries=entries.get(competence.pk, []),
            )
        )
    groups = [(str(label), by_group[value]) for value, label in CompetenceGroup.choices if by_group.get(value)]
    return Register(person=person, profile=profile, groups=groups)


def history_of(registration: Registration, *, limit: int = 50) -> list[RegistrationChange]:
    return list(registration.changes.select_related("by").order_by("-at", "-id")[:limit])


def education_record(person: Person) -> list[EducationEntry]:
    """The person's education record, newest first, with the competences each built."""
    return list(
        EducationEntry.objects.filter(person=person)
        .select_related("course")
        .prefetch_related("competences")
        .order_by("-completed_on", "-id")
    )


def settle_counts(person_ids: list[int]) -> dict[int, int]:
    """Per person, how many differences are still to settle (for the leader's team and to-dos)."""
    rows = (
        Registration.objects.filter(person_id__in=person_ids, employee_level__isnull=False, leader_level__isnull=False)
        .filter(~Q(employee_level=F("leader_level")))
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    return dict(rows)


def register_summary(person: Person) -> Register:
    """The register as the preparation and the meeting guide show it (no education record)."""
    return register_for(person, with_entries=False)


def settle_count(person: Person) -> int:
    """How many of the person's levels differ between them and their leader (for the invitation)."""
    return settle_counts([person.pk]).get(person.pk, 0)
