"""The demo round (named after the year it is held by, "MUS-2027" when loaded in the winter
2026/27) over the demo organisation (``seed_demo``): made through the same
services as by hand, so ``make run`` can be walked from the goals to the held conversation by
each persona.

What it holds: the round opened two weeks ago and is launched; management has written three
goals; the persona leader (Mads Østergaard, "Løn og Regnskab") has turned them into focus
areas and opened the round in the unit, and has invited two of the team to a time. The persona
employee's conversation is still to be scheduled: that is the walk, through the plan to the
follow-up. The union representative persona (Ole Kjær, in the same team) held their
conversation ten days ago and has a plan signed by both, so progress and the follow-up can be
tried at once. The e-mails the seeding puts in the outbox are cancelled (marked as demo data)
rather than printed by the worker.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.conversations.models import Conversation
from samtale.conversations.services.invitation import round_launch
from samtale.conversations.services.scheduling import conversation_schedule
from samtale.demo.organisation import DEMO_PASSWORD, PERSONAS
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.org.models import Person, Unit
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.plans.content import PlanContent
from samtale.rounds.defaults import default_concept_ensure
from samtale.rounds.models import Round, RoundStatus, UnitRound
from samtale.rounds.services.goals import goal_add
from samtale.rounds.services.rounds import round_create
from samtale.rounds.services.unit_round import focus_area_add, unit_round_open, unit_round_set_introduction

# The demo round opened two weeks ago and its conversations are to be held within 75 days.
OPENED_DAYS_AGO = 14
HELD_WITHIN_DAYS = 75


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


def _week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _plan_content(today: date) -> PlanContent:
    def new_id() -> str:
        return uuid4().hex

    return {
        "focus_areas": [
            {"id": new_id(), "text": "Det nye økonomisystem: blive tryg ved lønmodulet", "must_improve": False},
            {"id": new_id(), "text": "Dele min viden om refusioner med resten af teamet", "must_improve": False},
        ],
        "follow_up_topics": [
            {
                "id": new_id(),
                "text": "Tid til TR-arbejdet i perioder med lønkørsel",
                "responsible": "leader",
                "responsible_name": "",
                "by": _week(today + timedelta(weeks=6)),
            }
        ],
        "goals": [
            {
                "id": new_id(),
                "text": "Kan selv køre lønkørslen i det nye system",
                "measure": "Har kørt to månedlige lønkørsler uden hjælp",
                "milestones": "Første kørsel med sidemand; anden kørsel alene",
                "activities": [
                    {
                        "id": new_id(),
                        "type": "peer_training",
                        "text": "Sidemandsoplæring hos systemets superbruger",
                        "from": _week(today + timedelta(weeks=2)),
                        "to": _week(today + timedelta(weeks=8)),
                        "starts": "min leder",
                        "follow_up_how": "evalueres på teammødet",
                        "follow_up_when": _week(today + timedelta(weeks=9)),
                    },
                    {
                        "id": new_id(),
                        "type": "professional_courses",
                        "text": "Kursus i lønmodulet",
                        "from": (today + timedelta(days=30)).isoformat(),
                        "to": (today + timedelta(days=31)).isoformat(),
                        "starts": "mig",
                        "follow_up_how": "kort opsummering til teamet",
                        "follow_up_when": (today + timedelta(days=45)).isoformat(),
                    },
                ],
            },
            {
                "id": new_id(),
                "text": "Refusionerne kan klares af to i teamet",
                "measure": "En kollega har behandlet en måneds refusioner med mig som støtte",
                "milestones": "Vejledning skrevet; kollegaen har fulgt mig en måned",
                "activities": [
                    {
                        "id": new_id(),
                        "type": "new_tasks",
                        "text": "Skrive en vejledning til refusionerne",
                        "from": _week(today + timedelta(weeks=1)),
                        "to": _week(today + timedelta(weeks=4)),
                        "starts": "mig",
                        "follow_up_how": "gennemgås med lederen",
                        "follow_up_when": _week(today + timedelta(weeks=5)),
                    }
                ],
            },
        ],
    }


def _signed_plan(round_: Round, leader: Any) -> None:
    """The union representative persona's conversation, held ten days ago, with a plan both signed."""
    from samtale.conversations.services.meeting import conversation_mark_held
    from samtale.plans.models import Plan
    from samtale.plans.services.signing import plan_sign, plan_submit
    from samtale.plans.services.writing import plan_save

    employee = _viewer("union_rep")
    conversation = Conversation.objects.filter(round=round_, employee__email=PERSONAS["union_rep"].email).first()
    if conversation is None or employee.person is None or employee.person.personnel_leader_id != leader.person_id:
        return
    today = timezone.localdate()
    conversation_mark_held(viewer=leader, conversation=conversation, held_on=today - timedelta(days=10))
    plan = Plan.objects.get(conversation=conversation)
    version = plan.versions.get(number=1)
    plan_save(
        viewer=employee,
        version=version,
        content=_plan_content(today),
        follow_up=_week(today + timedelta(weeks=20)),
        revision=version.revision,
    )
    plan_submit(viewer=employee, plan=plan)
    plan_sign(viewer=leader, plan=plan, password=DEMO_PASSWORD)
    plan_sign(viewer=employee, plan=plan, password=DEMO_PASSWORD)


def _viewer(persona: str):  # type: ignore[no-untyped-def]
    return viewer_for(User.objects.get(email=PERSONAS[persona].email))


def _working_day_at(working_days: int, hour: int) -> datetime:
    """``hour`` o'clock on the n-th working day (Monday to Friday) after today. Counting working
    days, not calendar days, keeps two different n on two different days whatever today is (from a
    Saturday, 7 and 9 calendar days ahead both fell on the Monday after)."""
    day = timezone.localdate()
    for _ in range(working_days):
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def demo_round_seed() -> Round | None:
    """Make the demo round, unless a round of that name is there already (then None)."""
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
    hr, management, leader = _viewer("hr"), _viewer("management"), _viewer("leader")
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

    team = (
        Conversation.objects.filter(round=round_, employee__personnel_leader=leader_person)
        .exclude(Q(employee__email=PERSONAS["employee"].email) | Q(employee__email=PERSONAS["union_rep"].email))
        .order_by("employee__employee_number")
    )
    for days, conversation in zip((5, 7), team[:2], strict=False):
        conversation_schedule(
            viewer=leader,
            conversation=conversation,
            when=TimeAndPlace(_working_day_at(days, 10), 60, location="Mødelokale 2, Rådhuset"),
        )

    _signed_plan(round_, leader)

    OutboxMessage.objects.filter(pk__gt=first_message, status=MessageStatus.PENDING).update(
        status=MessageStatus.CANCELLED, last_error="Demo data: not sent."
    )
    round_.refresh_from_db()
    return round_
