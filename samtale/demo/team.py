"""The persona leader's team in the demo round, one story each, moved through the same services as
by hand (``samtale.demo.round``): what the leader, the employee and the union representative
personas find on their pages. Dates count working days from today, so the stories hold on any day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from django.utils import timezone

from samtale.access.viewer import Viewer, viewer_for
from samtale.accounts.models import User
from samtale.conversations.models import Conversation, NotHeldReason
from samtale.conversations.services import attendees, meeting, notice
from samtale.conversations.services.scheduling import conversation_schedule
from samtale.demo.organisation import DEMO_PASSWORD, PERSONAS
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.plans.content import PlanContent
from samtale.plans.models import Plan, ProgressStatus
from samtale.plans.services import follow_up, signing, writing
from samtale.rounds.models import Round

PLACE = "Mødelokale 2, Rådhuset"


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


def persona_viewer(persona: str) -> Viewer:
    return viewer_for(User.objects.get(email=PERSONAS[persona].email))


def _working_day(working_days: int) -> date:
    """The n-th working day (Monday to Friday) after today, or before it when n is negative.
    Counting working days, not calendar days, keeps two different n on two different days whatever
    today is (from a Saturday, 7 and 9 calendar days ahead both fell on the Monday after)."""
    day, step = timezone.localdate(), (1 if working_days >= 0 else -1)
    for _ in range(abs(working_days)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


def _working_day_at(working_days: int, hour: int) -> datetime:
    """``hour`` o'clock on the n-th working day after today."""
    return timezone.make_aware(datetime.combine(_working_day(working_days), time(hour)))


def _as(person: Any) -> Viewer:
    assert person.user is not None
    return viewer_for(person.user)


def _plan_of(conversation: Conversation) -> Plan:
    return Plan.objects.get(conversation=conversation)


def _write(employee: Viewer, plan: Plan, *, follow_up_weeks: int = 22) -> None:
    """The plan written, with the follow-up ``follow_up_weeks`` after the conversation (at most
    six months, as the concept says)."""
    version = signing.current_version(plan)
    held_on = Conversation.objects.values_list("held_on", flat=True).get(pk=plan.conversation_id)
    assert held_on is not None
    writing.plan_save(
        viewer=employee,
        version=version,
        content=_plan_content(timezone.localdate()),
        follow_up=_week(held_on + timedelta(weeks=follow_up_weeks)),
        revision=version.revision,
    )


def _signed(employee: Viewer, leader: Viewer, plan: Plan, *, follow_up_weeks: int = 22) -> None:
    """Written, handed in and signed by both: a signature asks for the signer's password, as on
    the page."""
    _write(employee, plan, follow_up_weeks=follow_up_weeks)
    signing.plan_submit(viewer=employee, plan=plan)
    signing.plan_sign(viewer=leader, plan=plan, password=DEMO_PASSWORD)
    signing.plan_sign(viewer=employee, plan=plan, password=DEMO_PASSWORD)


def _held(leader: Viewer, conversation: Conversation, *, working_days_ago: int) -> Plan:
    meeting.conversation_mark_held(viewer=leader, conversation=conversation, held_on=_working_day(-working_days_ago))
    return _plan_of(conversation)


def team_stories(round_: Round, leader: Viewer, team: list[Conversation]) -> None:
    """The team's conversations, each in its own state (the module's docstring of
    ``samtale.demo.round`` tells them)."""
    by_email = {c.employee.email: c for c in team}
    walk = by_email.get(PERSONAS["employee"].email)
    union_rep = by_email.get(PERSONAS["union_rep"].email)
    others = [c for c in team if c not in (walk, union_rep) and c.employee.user_id is not None]
    # The team signs in with the demo's password too: signing a plan asks for it.
    password = User.objects.values_list("password", flat=True).get(email=PERSONAS["leader"].email)
    User.objects.filter(pk__in=[c.employee.user_id for c in others]).update(password=password)
    if union_rep is not None:
        _union_rep_story(leader, union_rep)
    # The most telling first: a small demo organisation has a small team.
    stories = (_notice_given, _brings_union_rep, _waits_for_signature, _open_item, _follow_up_held, _being_written)
    for story, conversation in zip(stories, others, strict=False):
        story(leader, conversation)
    if len(others) > len(stories):
        meeting.conversation_mark_not_held(
            viewer=leader, conversation=others[len(stories)], reason=NotHeldReason.LONG_LEAVE
        )
    # The rest (and the employee persona) are still to be invited.


def _union_rep_story(leader: Viewer, conversation: Conversation) -> None:
    """Held four weeks ago, signed, then amended: the time for the union work had to change."""
    employee = _as(conversation.employee)
    plan = _held(leader, conversation, working_days_ago=22)
    _signed(employee, leader, plan)
    signing.plan_amend(
        viewer=leader, plan=plan, reason="Tiden til TR-arbejdet i lønkørslen er aftalt på ny med lønchefen."
    )
    plan.refresh_from_db()
    _write(employee, plan)
    signing.plan_submit(viewer=employee, plan=plan)
    signing.plan_sign(viewer=leader, plan=plan, password=DEMO_PASSWORD)
    signing.plan_sign(viewer=employee, plan=plan, password=DEMO_PASSWORD)
    plan.refresh_from_db()
    first = follow_up.plan_items(follow_up.signed_version(plan))[0]
    follow_up.progress_record(
        viewer=employee,
        plan=plan,
        item=first.id,
        status=ProgressStatus.UNDER_WAY,
        note="Første lønkørsel i det nye system er gået godt med sidemand.",
        on=timezone.localdate(),
    )


def _follow_up_held(leader: Viewer, conversation: Conversation) -> None:
    """Held almost five weeks ago with a short plan; its follow-up was held yesterday."""
    plan = _held(leader, conversation, working_days_ago=23)
    _signed(_as(conversation.employee), leader, plan, follow_up_weeks=5)
    plan.refresh_from_db()
    follow_up.follow_up_mark_held(
        viewer=leader,
        plan=plan,
        held_on=max(_working_day(-1), conversation.held_on or timezone.localdate()),
        reached="Kører lønkørslen selv; vejledningen til refusionerne er skrevet.",
        carries_over="At lære en kolega refusionerne tages med i næste runde.",
    )


def _waits_for_signature(leader: Viewer, conversation: Conversation) -> None:
    """Held four weeks ago; the plan is handed in and waits for the leader."""
    employee = _as(conversation.employee)
    plan = _held(leader, conversation, working_days_ago=19)
    _write(employee, plan)
    signing.plan_submit(viewer=employee, plan=plan)


def _open_item(leader: Viewer, conversation: Conversation) -> None:
    """Held three weeks ago with minutes; an open item waits for the leader's answer, and the plan
    is past its date."""
    plan = _held(leader, conversation, working_days_ago=16)
    minutes = meeting.minutes_save(
        viewer=leader,
        conversation=conversation,
        notes={"goals": "Vi talte om det nye økonomisystem og om mere ansvar for afstemningen."},
        version=0,
    )
    assert minutes.version == 1
    meeting.open_item_add(
        viewer=leader,
        conversation=conversation,
        text="Kan en rotation til Regnskab i tre måneder lade sig gøre til foråret?",
        responsible="lederen",
        deadline=_working_day(5),
    )
    _write(_as(conversation.employee), plan)


def _being_written(leader: Viewer, conversation: Conversation) -> None:
    """Held last week; the employee is writing the plan."""
    plan = _held(leader, conversation, working_days_ago=4)
    _write(_as(conversation.employee), plan)


def _notice_given(leader: Viewer, conversation: Conversation) -> None:
    """Booked in two working days; the leader has told the employee what must improve."""
    conversation_schedule(
        viewer=leader, conversation=conversation, when=TimeAndPlace(_working_day_at(2, 10), 60, location=PLACE)
    )
    must_improve = "Aftaler om frister i lønkørslen skal holdes, eller også skal jeg vide det i god tid."
    meeting.leader_preparation_save(viewer=leader, conversation=conversation, answers={}, must_improve=must_improve)
    notice.improvement_notice_give(viewer=leader, conversation=conversation, text=must_improve)


def _brings_union_rep(leader: Viewer, conversation: Conversation) -> None:
    """Booked in three working days; the employee brings the union representative, summoned by
    the leader."""
    conversation_schedule(
        viewer=leader, conversation=conversation, when=TimeAndPlace(_working_day_at(3, 13), 60, location=PLACE)
    )
    representative = User.objects.get(email=PERSONAS["union_rep"].email).person
    attendees.union_rep_bring(
        viewer=_as(conversation.employee), conversation=conversation, representative=representative
    )
    conversation.refresh_from_db()
    attendees.union_rep_summon(viewer=leader, conversation=conversation)
