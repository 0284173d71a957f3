"""Changes to rounds: HR creates and edits one (the launch, which invites everyone, is
``samtale.conversations.services.invitation``); management's goals are in ``goals``, the round
in each unit in ``unit_round``.

Each service checks the policy (``samtale.access.round_policies``), changes inside one
transaction, writes the audit event, and puts any e-mail in the outbox in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samtale.access import round_policies
from samtale.access.lookups import require_write
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.org.models import Person, RoleKind, Unit
from samtale.outbox.services import Draft, outbox_enqueue_many, outbox_message_build
from samtale.rounds.models import Concept, Round, RoundStatus


def _check_dates(opens_on: date, held_by: date) -> None:
    if held_by < opens_on:
        raise ValidationError({"held_by": _("The conversations cannot be due before the round opens.")})


def _topmost(units: Iterable[Unit]) -> list[Unit]:
    """The chosen units without those below another chosen unit: each takes part with every unit
    below it anyway."""
    chosen = sorted({unit.pk: unit for unit in units}.values(), key=lambda unit: unit.path)
    kept: list[Unit] = []
    for unit in chosen:
        if not any(unit.path.startswith(top.path) for top in kept):
            kept.append(unit)
    return kept


def _check_round_fields(*, name: str, concept: Concept, units: list[Unit], exclude: Round | None = None) -> None:
    if not name:
        raise ValidationError({"name": _("Give the round a name.")})
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if not concept.is_current:
        raise ValidationError({"concept": _("Choose the current version of the concept.")})
    same_name = Round.objects.filter(name__iexact=name)
    if exclude is not None:
        same_name = same_name.exclude(pk=exclude.pk)
    if same_name.exists():
        raise ValidationError({"name": _("There is already a round called %(name)s.") % {"name": name}})


@transaction.atomic
def round_create(
    *,
    viewer: Viewer,
    name: str,
    concept: Concept,
    opens_on: date,
    held_by: date,
    units: Iterable[Unit],
) -> Round:
    """HR creates a round: its name, concept, dates and the units taking part (each with every
    unit below it). Dates in the past are the form's concern: scripts may build past rounds."""
    require_write(round_policies.may_manage_rounds(viewer))
    _check_dates(opens_on, held_by)
    name = name.strip()
    units = _topmost(units)
    _check_round_fields(name=name, concept=concept, units=units)
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                name=name, concept=concept, opens_on=opens_on, held_by=held_by, created_by=viewer.user
            )
    except IntegrityError:
        # Someone created a round of that name at the same moment (a form posted twice).
        raise ValidationError({"name": _("There is already a round called %(name)s.") % {"name": name}}) from None
    round_.units.set(units)
    audit_record(
        actor=viewer.user,
        action="rounds.round_created",
        target=round_,
        data={"name": round_.name, "units": [unit.code for unit in units]},
    )
    outbox_enqueue_many(messages=_goals_wanted_messages(round_))
    return round_


def round_message_build(kind: str, round_: Round, pk: int, email: str, language: str | None) -> Draft:
    """An e-mail to one person about the round, once per round and person."""
    return outbox_message_build(
        kind=kind,
        to_email=email,
        language=language or "da",
        context={"round": round_.pk, "person": pk},
        dedupe_key=f"{kind}:{round_.pk}:{pk}",
    )


def _goals_wanted_messages(round_: Round) -> list[Draft]:
    """A new round needs the management's goals before it is launched: everyone in management is
    told, once per round."""
    return [
        round_message_build("rounds.goals_wanted", round_, pk, email, language)
        for pk, email, language in Person.objects.employed()
        .filter(roles__kind=RoleKind.MANAGEMENT)
        .exclude(email="")
        .values_list("pk", "email", "user__language")
    ]


@transaction.atomic
def round_update(
    *, viewer: Viewer, round_: Round, name: str, concept: Concept, opens_on: date, held_by: date, units: Iterable[Unit]
) -> Round:
    """HR changes a round while it is being prepared; once launched, its people have been told its
    dates, so it stays as it is."""
    require_write(round_policies.may_manage_rounds(viewer))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("The round has been launched and can no longer be changed."))
    _check_dates(opens_on, held_by)
    name = name.strip()
    units = _topmost(units)
    _check_round_fields(name=name, concept=concept, units=units, exclude=round_)
    before = {
        "name": round_.name,
        "concept": round_.concept_id,
        "opens_on": str(round_.opens_on),
        "held_by": str(round_.held_by),
        "units": sorted(round_.units.values_list("code", flat=True)),
    }
    round_.name, round_.concept, round_.opens_on, round_.held_by = name, concept, opens_on, held_by
    try:
        with transaction.atomic():
            round_.save(update_fields=["name", "concept", "opens_on", "held_by"])
    except IntegrityError:
        raise ValidationError({"name": _("There is already a round called %(name)s.") % {"name": name}}) from None
    round_.units.set(units)
    after = {
        "name": name,
        "concept": concept.pk,
        "opens_on": str(opens_on),
        "held_by": str(held_by),
        "units": sorted(unit.code for unit in units),
    }
    changed = {key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]}
    if changed:
        audit_record(actor=viewer.user, action="rounds.round_changed", target=round_, data=changed)
    return round_


def check_not_closed(round_: Round) -> None:
    """A closed round is kept as it was: its goals, focus areas and topics no longer change."""
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed."))


def check_launched(round_: Round) -> None:
    """The round in a unit is led once the round is launched, until it closes."""
    check_not_closed(round_)
    if round_.status != RoundStatus.LAUNCHED:
        raise ValidationError(_("The round has not been launched yet."))
