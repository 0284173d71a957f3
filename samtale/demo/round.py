"""The demo round (named after the year it is held by, "MUS-2027" when loaded in the winter
2026/27) over the demo organisation (``seed_demo``), in a believable state on any day, so every
persona's start page, the overview and its charts have something to show.

The round opened five weeks ago and is to be held within eight; management has written three
goals. About half of the organisation's conversations are held, most of their plans handed in
and half signed (``samtale.demo.progress``, in bulk: nobody walks as those people). The persona
leader's team (Mads Østergaard, "Løn og Regnskab") is moved through the same services as by
hand, one story each:

- Freja Sørensen (the employee persona) and two others are still to be invited: that is the
  walk, from the invitation through the plan to the follow-up;
- Ole Kjær (the union representative persona) held his conversation, both signed the plan, then
  amended it (version 2, signed again), and he has noted progress; a colleague chose to bring
  him to her conversation this week and the leader summoned him;
- one held conversation has its plan signed and its follow-up held; one waits for the leader's
  signature; one has minutes and an open item to answer, and a plan past its date; one was held
  last week and its plan is being written; one is booked with a "must improve" notice given; one
  was not held (long leave).

The e-mails the seeding puts in the outbox are cancelled (marked as demo data) rather than
printed by the worker.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from samtale.access.viewer import Viewer
from samtale.completion.counters import completion_rebuild
from samtale.conversations.models import Conversation
from samtale.conversations.services.invitation import round_launch
from samtale.demo.organisation import PERSONAS
from samtale.demo.progress import DEMO, FINISHED, round_progress
from samtale.demo.team import persona_viewer, team_stories
from samtale.org.models import Person, Unit
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Round, RoundStatus, UnitRound
from samtale.rounds.services.goals import goal_add
from samtale.rounds.services.rounds import round_create
from samtale.rounds.services.unit_round import focus_area_add, unit_round_open, unit_round_set_introduction

# The demo round opened five weeks ago and its conversations are to be held within eight weeks.
OPENED_DAYS_AGO = 35
HELD_WITHIN_DAYS = 56


def demo_round_name(today: date) -> str:
    """ "MUS-2027": a round is named after the year its conversations are held by (loaded in
    December 2026 the demo round is MUS-2027, in March 2028 it is MUS-2028)."""
    return f"MUS-{(today + timedelta(days=HELD_WITHIN_DAYS)).year}"


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


def _earlier_round_seed(hr: Viewer, today: date) -> Round | None:
    """Last year's round, finished but not closed: its held-by date passed about ten months ago,
    nearly every conversation held and plan signed, most follow-ups held; HR's start page asks to
    close it (docs/domain.md § The round ends), and its close starts the retention clocks."""
    held_by = today + timedelta(days=HELD_WITHIN_DAYS) - timedelta(days=365)
    name = demo_round_name(today - timedelta(days=365))
    if Round.objects.filter(name=name).exists():  # the benchmarks' history has its own
        return None
    earlier = round_create(
        viewer=hr,
        name=name,
        concept=default_concept_ensure(),
        opens_on=held_by - timedelta(days=91),
        held_by=held_by,
        units=[Unit.objects.get(parent=None)],
    )
    round_launch(viewer=hr, round_=earlier)
    round_progress(earlier, shares=FINISHED, seed=2026)
    return earlier


@transaction.atomic
def demo_round_seed(*, earlier: bool = True) -> Round | None:
    """Make the demo round, unless a round of that name is there already (then None); before it,
    unless ``earlier`` is False (the benchmarks' history has closed rounds of its own), last year's
    round finished and waiting for HR to close it."""
    today = timezone.localdate()
    # Once is enough: a round under way (the demo's, or one made by hand) is left alone; the
    # benchmarks' finished rounds of earlier years are closed.
    if (
        Round.objects.exclude(status=RoundStatus.CLOSED).exists()
        or Round.objects.filter(name=demo_round_name(today)).exists()
        or not Person.objects.filter(email=PERSONAS["leader"].email).exists()
    ):
        return None
    first_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    hr, management, leader = persona_viewer("hr"), persona_viewer("management"), persona_viewer("leader")
    last_year = _earlier_round_seed(hr, today) if earlier else None
    round_ = round_create(
        viewer=hr,
        name=demo_round_name(today),
        concept=default_concept_ensure(),
        opens_on=today - timedelta(days=OPENED_DAYS_AGO),
        held_by=today + timedelta(days=HELD_WITHIN_DAYS),
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

    team = list(
        Conversation.objects.filter(round=round_, employee__personnel_leader=leader_person)
        .select_related("employee")
        .order_by("employee__employee_number")
    )
    # Everyone else's conversations move in bulk; the team's through the services, one story each.
    round_progress(
        round_,
        shares=DEMO,
        seed=2027,
        keep=tuple({c.employee.email for c in team} | {p.email for p in PERSONAS.values()}),
    )
    team_stories(round_, leader, team)
    # The bulk progress went past the services.
    completion_rebuild(rounds=[r for r in (last_year, round_) if r is not None])

    OutboxMessage.objects.filter(pk__gt=first_message, status=MessageStatus.PENDING).update(
        status=MessageStatus.CANCELLED, last_error="Demo data: not sent."
    )
    round_.refresh_from_db()
    return round_
