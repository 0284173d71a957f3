"""The organisation: units as a tree, the people in them, and the roles beside the line.

Writes go through ``samtale.org.services`` (and the import); the materialised
``Unit.path`` is maintained there, so "who is above whom" is known at once after
any change.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

# Each unit's id takes this many digits in a materialised path, so a path sorts like the tree
# and the ancestors of a unit can be read off its path without a query.
PATH_DIGITS = 8
PATH_STEP = PATH_DIGITS + 1
MAX_DEPTH = 40


def path_ids(path: str) -> list[int]:
    """The ids of the units on a path, from the root down to the unit itself."""
    return [int(part) for part in path.split("/") if part]


def path_segment(unit_id: int) -> str:
    return f"{unit_id:0{PATH_DIGITS}d}/"


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed-term")
    SPECIAL_TERMS = "special_terms", _("Special terms (flex job)")
    TRAINEE = "trainee", _("Trainee")
    TEMP = "temp", _("Temp")
    JOB_TRAINING = "job_training", _("Job training")


# docs/domain.md § Who takes part: every permanent employee gets a MUS, including those employed on
# special terms (flex jobs and the like); trainees, temps and people in job training do not. The
# source is silent on fixed-term employment; Samtale includes it (HR can override per person).
ELIGIBLE_EMPLOYMENT_TYPES = frozenset(
    {EmploymentType.PERMANENT, EmploymentType.FIXED_TERM, EmploymentType.SPECIAL_TERMS}
)


class Unit(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("unit code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    leader = models.ForeignKey(
        "Person",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_units",
    )
    # A leader HR chose by hand stays until HR or the file (its unit leader column) names another;
    # otherwise the import works the leader out from the personnel-leader lines.
    leader_set_by_hand = models.BooleanField(default=False, editable=False)
    # "/00000001/00000007/" from the root down to this unit; maintained by org.services.
    path = models.CharField(max_length=MAX_DEPTH * PATH_STEP, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    if TYPE_CHECKING:
        children: RelatedManager[Unit]
        members: RelatedManager[Person]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="org_unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids of the units above this one, from the root down (not including this unit)."""
        return path_ids(self.path)[:-1]

    @property
    def lineage_ids(self) -> list[int]:
        """Ids of this unit and every unit above it."""
        return path_ids(self.path)


def employed_q(prefix: str = "", *, on: date | None = None) -> Q:
    """Still employed on the day (today if not given): no end date, or one on or after it.
    ``prefix`` reaches the person through a relation (``"employee__"``)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})


# The personnel-leader line above a person, nearest first (at most MAX_DEPTH steps).
_LEADERS_ABOVE_SQL = """
WITH RECURSIVE line(id, depth) AS (
    SELECT personnel_leader_id, 1 FROM org_person WHERE id = %s
    UNION ALL
    SELECT p.personnel_leader_id, line.depth + 1
    FROM org_person p JOIN line ON p.id = line.id
    WHERE line.depth < %s
)
SELECT id FROM line WHERE id IS NOT NULL ORDER BY depth
"""


class PersonQuerySet(models.QuerySet["Person"]):
    def employed(self, on: date | None = None) -> PersonQuerySet:
        """The people still employed on the day (today if not given)."""
        return self.filter(employed_q(on=on))

    def leader_line(self, person_id: int) -> list[int]:
        """The ids up the personnel-leader relation: the personnel leader first, then theirs, and
        so on (one recursive query; a loop in the data stops at the first repeat)."""
        with connection.cursor() as cursor:
            cursor.execute(_LEADERS_ABOVE_SQL, [person_id, MAX_DEPTH])
            ids: list[int] = []
            for (leader_id,) in cursor.fetchall():
                if leader_id in ids:
                    break
                ids.append(leader_id)
            return ids


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee_number = models.CharField(_("employee number"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members")
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    employment_type = models.CharField(_("employment type"), max_length=20, choices=EmploymentType.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    personnel_leader = models.ForeignKey(
        "self",
        verbose_name=_("personnel leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    daily_leader = models.ForeignKey(
        "self",
        verbose_name=_("daily leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="daily_reports",
    )
    # None follows the employment type; True or False overrides it, with the reason why.
    eligibility_override = models.BooleanField(_("eligibility override"), null=True, blank=True)
    eligibility_override_reason = models.TextField(_("reason for the override"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    if TYPE_CHECKING:
        unit_id: int
        personnel_leader_id: int | None
        daily_leader_id: int | None
        user_id: int | None
        reports: RelatedManager[Person]
        roles: RelatedManager[Role]
        led_units: RelatedManager[Unit]

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "employee_number"]
        indexes = [
            models.Index(fields=["unit", "name"], name="org_person_unit_name"),
            # Headcounts per unit read this index alone, not every person's row.
            models.Index(fields=["unit", "end_date"], name="org_person_unit_end"),
            # The last change to anyone, at once: the round page's counts are kept until it moves.
            models.Index(fields=["updated_at"], name="org_person_updated"),
            # People in their order (the model's): a list of the whole organisation by name reads
            # its first page from here instead of sorting everyone (the drill-down at 200,000).
            models.Index(fields=["name", "employee_number"], name="org_person_name_number"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(personnel_leader=F("id")), name="org_person_not_own_leader"),
            models.CheckConstraint(condition=~Q(daily_leader=F("id")), name="org_person_not_own_daily_leader"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="org_person_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(eligibility_override__isnull=True) | ~Q(eligibility_override_reason=""),
                name="org_person_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def account_language(self) -> str:
        """The language the person chose for their account ("" without one): what their e-mail is
        written in (``outbox_message_build`` falls back to the site's language)."""
        return self.user.language if self.user_id and self.user else ""

    def is_employed(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.end_date is None or self.end_date >= on

    @property
    def eligible_by_employment_type(self) -> bool:
        return self.employment_type in ELIGIBLE_EMPLOYMENT_TYPES

    def is_eligible(self, on: date | None = None) -> bool:
        """Whether the person takes part in MUS: employed on the day, and HR's override if any, else
        the employment type (docs/domain.md § Who takes part)."""
        if not self.is_employed(on):
            return False
        if self.eligibility_override is not None:
            return self.eligibility_override
        return self.eligible_by_employment_type


class PlacementField(models.TextChoices):
    UNIT = "unit", _("Unit")
    PERSONNEL_LEADER = "personnel_leader", _("Personnel leader")
    DAILY_LEADER = "daily_leader", _("Daily leader")


class ChangeSource(models.TextChoices):
    IMPORT = "import", _("Import")
    MANUAL = "manual", _("By hand")
    DEMO = "demo", _("Demo data")


class PlacementChange(models.Model):
    """When a person's unit or leader changed: kept so that "since when" can be answered.

    Access never reads this table: it follows the current organisation. The names are
    copied so the history stays readable when a unit or person is gone."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placement_changes")
    field = models.CharField(max_length=20, choices=PlacementField.choices)
    old_id = models.BigIntegerField(null=True)
    new_id = models.BigIntegerField(null=True)
    old_label = models.CharField(max_length=200, blank=True)
    new_label = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=10, choices=ChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("placement change")
        verbose_name_plural = _("placement changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "-changed_at"], name="org_change_person_at")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_label or '–'} → {self.new_label or '–'}"


class RoleKind(models.TextChoices):
    HR = "hr", _("HR / MUS consultant")
    UNION_REP = "union_rep", _("Union representative")
    MANAGEMENT = "management", _("Management")
    # Reads the audit trail, the retention schedule and the legal holds; never content
    # (docs/trust.md § The data protection officer).
    DPO = "dpo", _("Data protection officer")
    # Keeps the course catalogue, enrols the seats leaders approved for the people in the units
    # covered, and is shown to them as a contact person (docs/domain.md § Competences and courses).
    EDUCATION = "education", _("Education consultant")


class Role(models.Model):
    """A role beside the line. It covers the subtrees of its units; no units means the
    whole organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units covered"),
        blank=True,
        related_name="roles",
        help_text=_("The role covers these units and everything below them. None: the whole organisation."),
    )
    region = models.CharField(
        _("region"),
        max_length=200,
        blank=True,
        help_text=_("Shown to employees next to the contact person, e.g. “Region Syd”."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["kind", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="org_role_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    REJECTED = "rejected", _("Rejected (errors)")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class ImportRun(models.Model):
    """An organisation file from the HR system, from upload through preview to apply.

    The file is kept only between preview and apply (it holds personal data), then erased;
    the summary stays as a record of what the import did."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    content = models.BinaryField(null=True)
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    send_invitations = models.BooleanField(default=True)
    summary = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    preview = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def error_count(self) -> int:
        """All the errors found; only the first ones are stored."""
        return int(self.summary.get("errors") or len(self.errors))
