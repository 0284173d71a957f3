"""Competences and courses (docs/domain.md § Competences and courses).

The catalogue: HR's ``Competence`` in three groups (faglige, personlige, sociale), each measured on
a ``Scale`` of levels (the default 1–6 as the Kompetenceregnskab, ``defaults.py``); a
``JobProfile`` says the level expected of a job title or a unit (``ExpectedLevel``).

Each person's register: one ``Registration`` per competence they registered, with the employee's
own level and example and the leader's assessment; a difference must be settled before the MUS,
not in it. Every change is kept in ``RegistrationChange`` (append-only). ``level`` is the level
the register counts: the employee's own (their registration), or the leader's when the employee
has none. ``LevelCount`` keeps, for every unit with everything below it, how many people are at
each level of each competence and how many of them are below their profile, so the strategy
overview reads a few rows whatever the organisation's size (``counters.py``).

The course catalogue: a ``Course`` builds competences and runs in ``CourseSession``s with dates,
place or online, seats and a registration deadline; the seat requests are the learning app's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samtale.org.models import Person, Unit

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class CompetenceGroup(models.TextChoices):
    """The three kinds of competence of the course seed: faglige, personlige, sociale."""

    PROFESSIONAL = "professional", _("Professional competences")
    PERSONAL = "personal", _("Personal competences")
    SOCIAL = "social", _("Social competences")


class Scale(models.Model):
    """A scale of levels. The default one (``key`` "default") is translated by its key
    (``defaults.DEFAULT_SCALE``); HR's own scales carry their names."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=100, blank=True)

    if TYPE_CHECKING:
        levels: RelatedManager[ScaleLevel]

    class Meta:
        verbose_name = _("level scale")
        verbose_name_plural = _("level scales")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(key=None) | ~Q(name=""), name="competences_scale_named")]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        from samtale.competences.defaults import DEFAULT_SCALE_KEY, DEFAULT_SCALE_NAME

        if self.key == DEFAULT_SCALE_KEY and not self.name:
            return str(DEFAULT_SCALE_NAME)
        return self.name


class ScaleLevel(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    if TYPE_CHECKING:
        scale_id: int

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["scale", "value"]
        constraints = [models.UniqueConstraint(fields=["scale", "value"], name="competences_level_once")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        from samtale.competences.defaults import default_level_text

        return self.name or default_level_text(self, "name")

    @property
    def text(self) -> str:
        from samtale.competences.defaults import default_level_text

        return self.description or default_level_text(self, "description")


class CompetenceQuerySet(models.QuerySet["Competence"]):
    def active(self) -> CompetenceQuerySet:
        return self.filter(active=True)


class Competence(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    code = models.CharField(
        _("code"), max_length=50, unique=True, help_text=_("The competence's short code, as in the import file.")
    )
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=CompetenceGroup.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    scale = models.ForeignKey(Scale, verbose_name=_("level scale"), on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("A competence no longer in use keeps its registrations.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CompetenceQuerySet.as_manager()

    if TYPE_CHECKING:
        scale_id: int

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["group", "name", "id"]

    def __str__(self) -> str:
        return self.name


class JobProfile(models.Model):
    """The levels expected of a job title (as the HR file writes it) or of everyone in a unit and
    the units below it. A person's profile is the one of their job title, else the nearest of their
    unit and the units above it (``selectors.profile_for``)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, help_text=_("Everyone with this job title, whatever their unit.")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Everyone in this unit and the units below it, unless their job title has a profile."),
    )

    if TYPE_CHECKING:
        levels: RelatedManager[ExpectedLevel]
        unit_id: int | None

    class Meta:
        verbose_name = _("job profile")
        verbose_name_plural = _("job profiles")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(job_title="") & Q(unit=None)) | (Q(job_title="") & ~Q(unit=None)),
                name="competences_profile_title_or_unit",
                violation_error_message=_("A profile is for a job title or for a unit: give one of them."),
            ),
            models.UniqueConstraint(
                fields=["job_title"],
                condition=~Q(job_title=""),
                name="competences_profile_title",
                violation_error_message=_("This job title has a profile already."),
            ),
            models.UniqueConstraint(
                fields=["unit"],
                name="competences_profile_unit",
                violation_error_message=_("This unit has a profile already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExpectedLevel(models.Model):
    profile = models.ForeignKey(JobProfile, on_delete=models.CASCADE, related_name="levels")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("expected level"))

    if TYPE_CHECKING:
        competence_id: int
        profile_id: int

    class Meta:
        verbose_name = _("expected level")
        verbose_name_plural = _("expected levels")
        constraints = [models.UniqueConstraint(fields=["profile", "competence"], name="competences_expected_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} · {self.competence_id}: {self.level}"


class RegistrationState(models.TextChoices):
    OWN_MISSING = "own_missing", _("Not registered by the employee")
    LEADER_MISSING = "leader_missing", _("Awaiting the leader's assessment")
    AGREED = "agreed", pgettext_lazy("the employee's and the leader's level", "Agreed")
    TO_SETTLE = "to_settle", _("To be settled before the MUS")


class Registration(models.Model):
    """One competence in one person's register (docs/domain.md § Competences and courses)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="competence_registrations")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="registrations")
    employee_level = models.PositiveSmallIntegerField(_("your level"), null=True, blank=True)
    example = models.TextField(_("example"), max_length=1000, blank=True)
    employee_at = models.DateTimeField(null=True, blank=True)
    leader_level = models.PositiveSmallIntegerField(_("the leader's assessment"), null=True, blank=True)
    leader_note = models.TextField(_("the leader's note"), max_length=1000, blank=True)
    leader_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)
    # What the register counts (the overview, the counters): see the module's doc.
    level = models.PositiveSmallIntegerField(editable=False)

    if TYPE_CHECKING:
        person_id: int
        competence_id: int
        changes: RelatedManager[RegistrationChange]

    class Meta:
        verbose_name = _("registered competence")
        verbose_name_plural = _("registered competences")
        constraints = [
            models.UniqueConstraint(fields=["person", "competence"], name="competences_registration_once"),
            models.CheckConstraint(
                condition=Q(employee_level__isnull=False) | Q(leader_level__isnull=False),
                name="competences_registration_has_a_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.competence}"

    @property
    def state(self) -> str:
        if self.employee_level is None:
            return RegistrationState.OWN_MISSING
        if self.leader_level is None:
            return RegistrationState.LEADER_MISSING
        if self.employee_level == self.leader_level:
            return RegistrationState.AGREED
        return RegistrationState.TO_SETTLE

    def get_state_display(self) -> str:
        return str(RegistrationState(self.state).label)


class ChangeSide(models.TextChoices):
    EMPLOYEE = "employee", _("The employee")
    LEADER = "leader", _("The leader")
    SETTLED = "settled", _("Settled by both")
    IMPORTED = "imported", _("Imported")


class RegistrationChange(models.Model):
    """The history of a registration: every level recorded, by whom and when (append-only)."""

    # No constraint in the database: a history row is written and deleted only with its registration
    # (the services, the import, delete_tree from the models' metadata), and checking a million keys
    # at the commit of an import of levels would cost PostgreSQL seconds.
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="changes", db_constraint=False
    )
    side = models.CharField(max_length=10, choices=ChangeSide.choices)
    level = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=1000)
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("change of a registration")
        verbose_name_plural = _("changes of registrations")
        ordering = ["registration", "-at", "-id"]
        indexes = [models.Index(fields=["registration", "at"], name="competences_change_at")]

    def __str__(self) -> str:
        return f"{self.side} {self.level} {self.at:%Y-%m-%d}"


class LevelCount(models.Model):
    """How many people in ``unit`` and every unit below it are at ``level`` of ``competence``,
    and how many of them are below the level their profile expects (``short``). Kept by
    ``counters.py``; HR's and the leaders' overview reads only these."""

    # No constraints in the database: the rows are counted from the registers (again each night), and
    # checking the keys of a whole rebuild's 800,000 rows at commit would cost seconds. Deleted with
    # their unit or competence all the same (``on_delete``); the unique index below finds a unit's.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    level = models.PositiveSmallIntegerField()
    # Plain integers: a change is added as a delta (an UPSERT), and a negative delta must not trip a
    # CHECK on the row it would have inserted.
    people = models.IntegerField(default=0)
    short = models.IntegerField(default=0)

    if TYPE_CHECKING:
        unit_id: int
        competence_id: int

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "competence", "level"], name="competences_levelcount_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.competence_id} · {self.level}: {self.people}"


# The course catalogue -----------------------------------------------------------------------------


class ProviderKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class CourseQuerySet(models.QuerySet["Course"]):
    def active(self) -> CourseQuerySet:
        return self.filter(active=True)


class Course(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    provider_kind = models.CharField(_("provider"), max_length=10, choices=ProviderKind.choices)
    provider = models.CharField(_("provider's name"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences it builds"), blank=True, related_name="courses"
    )
    price = models.DecimalField(
        _("price per participant (DKK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CourseQuerySet.as_manager()

    if TYPE_CHECKING:
        sessions: RelatedManager[CourseSession]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    """One run of a course. ``enrolled`` and ``waiting`` are kept by the learning app's services
    under a row lock, so a course page reads the seats left without counting."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    seats = models.PositiveIntegerField(_("seats"))
    registration_deadline = models.DateField(_("registration deadline"))
    enrolled = models.PositiveIntegerField(default=0, editable=False)
    waiting = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    if TYPE_CHECKING:
        course_id: int

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="competences_session_ends_after",
                violation_error_message=_("The last day is before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("starts_on")),
                name="competences_session_deadline_before",
                violation_error_message=_("The registration deadline must be on or before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(enrolled__lte=F("seats")),
                name="competences_session_not_overfull",
                violation_error_message=_("More people are enrolled than the session has seats."),
            ),
        ]
        indexes = [models.Index(fields=["course", "starts_on"], name="competences_session_course")]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_on:%Y-%m-%d}"

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.enrolled, 0)

    @property
    def is_full(self) -> bool:
        return self.enrolled >= self.seats


# The education record -----------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    COURSE = "course", _("Course")
    ACTIVITY = "activity", _("Development activity")


class EducationEntry(models.Model):
    """One line of a person's education record (uddannelseskort): a course completed (the learning
    app writes it when the employee marks the course completed) or another development activity of
    the plan done (the plan's progress writes it). ``source`` names what made it, so the same course
    or activity is never recorded twice."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="education_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=1000)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    competences = models.ManyToManyField(Competence, blank=True, related_name="+")
    started_on = models.DateField(_("from"), null=True, blank=True)
    completed_on = models.DateField(_("completed"))
    source = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    if TYPE_CHECKING:
        person_id: int
        course_id: int | None

    class Meta:
        verbose_name = _("education record entry")
        verbose_name_plural = _("education record entries")
        ordering = ["person", "-completed_on", "-id"]
        indexes = [models.Index(fields=["person", "completed_on"], name="competences_entry_person")]

    def __str__(self) -> str:
        return self.title[:80]
