"""The demo round, "MUS-2027", over the demo organisation (``seed_demo``): made through the same
services as by hand, so ``make run`` can be walked from the goals to the held conversation by
each persona.

What it holds: the round opened two weeks ago and is launched; management has written three
goals; the persona leader (Mads Østergaard, "Løn og Regnskab") has turned them into focus
areas and opened the round in the unit, and has invited two of the team to a time. The persona
employee's conversation is still to be scheduled: that is the walk. The e-mails the seeding
puts in the outbox are cancelled (marked as demo data) rather than printed by the worker.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.conversations.models import Conversation
from samtale.conversations.scheduling import TimeAndPlace, conversation_schedule
from samtale.org.demo import PERSONAS
from samtale.org.models import Person, Unit
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Round, UnitRound
from samtale.rounds.services import (
    focus_area_add,
    goal_add,
    round_create,
    round_launch,
    unit_round_open,
    unit_round_set_introduction,
)

DEMO_ROUND = "MUS-2027"

GOALS = (
    "Medarbejderne kommer med ambitiøse og realistiske forslag til forbedring af arbejdsgange.",
    "Vi deler vores viden på tværs af afdelinger, så borgerne får samme gode service, hvem de end møder.",
    "Alle har en plan for deres faglige udvikling, som hænger sammen med kommunens opgaver de næste år.",
)
FOCUS_AREAS = (
    "Opgaveudvikling: færre manuelle trin i lønkørslen og i afstemningen af regnskabet.",
    "Vidensdeling: vi lærer hinanden de opgaver, kun én af os kan i dag.",
    "Kompetenceudvikling: det nye økonomisystem, som tages i brug til efteråret.",
)
INTRODUCTION = (
    "Ledelsen vil have gode forslag til bedre arbejdsgange, mere vidensdeling og en plan for alles "
    "udvikling. For os i Løn og Regnskab betyder det især det nye økonomisystem og at ingen opgave "
    "kun kan løses af én person."
)


def _viewer(persona: str):  # type: ignore[no-untyped-def]
    return viewer_for(User.objects.get(email=PERSONAS[persona].email))


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    while day.weekday() >= 5:  # a weekday
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def demo_round_seed() -> Round | None:
    """Make the demo round, unless a round of that name is there already (then None)."""
    if (
        Round.objects.filter(name=DEMO_ROUND).exists()
        or not Person.objects.filter(email=PERSONAS["leader"].email).exists()
    ):
        return None
    first_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    hr, management, leader = _viewer("hr"), _viewer("management"), _viewer("leader")
    today = timezone.localdate()
    round_ = round_create(
        viewer=hr,
        name=DEMO_ROUND,
        concept=default_concept_ensure(),
        opens_on=today - timedelta(days=14),
        held_by=today + timedelta(days=75),
        units=[Unit.objects.get(parent=None)],
    )
    for text in GOALS:
        goal_add(viewer=management, round_=round_, text=text)
    round_launch(viewer=hr, round_=round_)

    leader_person = leader.person
    assert leader_person is not None
    unit_round, _created = UnitRound.objects.get_or_create(round=round_, unit=leader_person.unit)
    unit_round_set_introduction(viewer=leader, unit_round=unit_round, introduction=INTRODUCTION)
    for text in FOCUS_AREAS:
        focus_area_add(viewer=leader, unit_round=unit_round, text=text)
    unit_round_open(viewer=leader, unit_round=unit_round)

    team = (
        Conversation.objects.filter(round=round_, employee__personnel_leader=leader_person)
        .exclude(Q(employee__email=PERSONAS["employee"].email) | Q(employee__email=PERSONAS["union_rep"].email))
        .order_by("employee__employee_number")
    )
    for days, conversation in zip((7, 9), team[:2], strict=False):
        conversation_schedule(
            viewer=leader,
            conversation=conversation,
            when=TimeAndPlace(_at(days, 10), 60, location="Mødelokale 2, Rådhuset"),
        )

    OutboxMessage.objects.filter(pk__gt=first_message, status=MessageStatus.PENDING).update(
        status=MessageStatus.CANCELLED, last_error="Demo data: not sent."
    )
    round_.refresh_from_db()
    return round_
