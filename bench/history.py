"""The benchmarks' organisation with history: closed rounds of earlier years and the demo round
under way, moved forward in bulk by ``samtale.demo.progress.round_progress``."""

from __future__ import annotations

from samtale.demo.progress import FINISHED, round_progress

__all__ = ["organisation_build", "round_progress"]


def organisation_build(people: int, *, finished: int = 3) -> dict[str, int]:
    """The demo organisation of about ``people`` people with history: ``finished`` closed rounds
    (one a year, 95 % held, plans signed, follow-ups held), then the demo round MUS-2027 under way
    (``IN_PROGRESS``). Rounds are launched through ``round_launch``, as HR does; the history's
    e-mails are marked sent, so the outbox holds none of it. Returns row counts."""
    from datetime import date, datetime, time

    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.completion.counters import completion_rebuild
    from samtale.conversations.models import Conversation
    from samtale.conversations.services.invitation import round_launch
    from samtale.demo.organisation import PERSONAS, seed_demo
    from samtale.demo.round import demo_round_seed
    from samtale.lib.bulk import statistics_refresh
    from samtale.org.models import Person, Unit
    from samtale.outbox.models import MessageStatus, OutboxMessage
    from samtale.plans.models import FollowUp, Plan, PlanVersion
    from samtale.rounds.defaults import default_concept_ensure
    from samtale.rounds.models import Round, RoundStatus
    from samtale.rounds.services.rounds import round_create

    seed_demo(employees=people)
    hr_user = Person.objects.get(email=PERSONAS["hr"].email).user
    assert hr_user is not None
    hr = viewer_for(hr_user)
    root = Unit.objects.get(parent=None)
    this_year = timezone.localdate().year
    for index in range(finished, 0, -1):
        year = this_year - index
        past = round_create(
            viewer=hr,
            name=f"MUS-{year}",
            concept=default_concept_ensure(),
            opens_on=date(year, 1, 15),
            held_by=date(year, 4, 30),
            units=[root],
        )
        round_launch(viewer=hr, round_=past)
        round_progress(past, shares=FINISHED, today=date(year, 12, 15), seed=index)
        completion_rebuild(rounds=[past])  # the figures a round keeps when it closes
        closed = datetime.combine(date(year, 12, 31), time(12), tzinfo=timezone.get_current_timezone())
        Round.objects.filter(pk=past.pk).update(status=RoundStatus.CLOSED, closed_at=closed)
    # The demo round, under way: about half held (``samtale.demo.progress.DEMO``); the personas
    # and the persona leader's team keep the demo's states, so each page is measured in the same
    # state at every size.
    current = demo_round_seed(earlier=False)
    assert current is not None
    OutboxMessage.objects.filter(status=MessageStatus.PENDING).update(status=MessageStatus.SENT)
    completion_rebuild()  # the progress was written in bulk, past the services
    # As the daily sweep leaves it each morning: SQLite's statistics of the whole history.
    statistics_refresh()
    return {
        "people": Person.objects.count(),
        "rounds": Round.objects.count(),
        "conversations": Conversation.objects.count(),
        "plans": Plan.objects.count(),
        "plan_versions": PlanVersion.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "emails": OutboxMessage.objects.count(),
    }
