"""The demo's evaluations of "MUS-2027" (``seed_demo``), made through the same services as by hand,
with made-up answers so that every page has something to show.

- The 360-degree evaluation of the leaders is closed: most teams answered, so the persona
  leader (Mads Østergaard) reads their report against their own answers, the department head
  and the director read the reports of the leaders below them, and HR the figures across
  leaders. Some small teams stay under the threshold, and their leaders read that there are too
  few answers.
- The evaluation of the round is open: about three in four have answered, but not the personas,
  so the persona employee can answer it; HR then closes it to read the results per unit.

The e-mails the seeding puts in the outbox are cancelled like the round's (demo data).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.accounts.models import User
from samtale.demo.organisation import PERSONAS
from samtale.org.models import Person
from samtale.outbox.models import MessageStatus, OutboxMessage
from samtale.rounds.models import Round
from samtale.surveys import services
from samtale.surveys.models import Answer, Invitation, QuestionKind, Response, Side, Survey, SurveyKind

WRITTEN = (
    "God og tryg samtale med tid til at tale om fremtiden.",
    "Forberedelsesskemaet hjalp mig til at tænke over, hvad der går godt.",
    "Vi nåede ikke at tale om kompetenceudvikling; det vil jeg gerne næste gang.",
    "Konkrete mål, som jeg kan bruge i hverdagen.",
    "Samtalen blev flyttet to gange, men var god, da den blev holdt.",
)
WRITTEN_360 = (
    "Bliv ved med de korte morgenmøder; de giver overblik.",
    "Giv gerne mere feedback undervejs, ikke kun ved MUS.",
    "Tager sig tid til at lytte, også når der er travlt.",
    "Kunne tage konflikter op tidligere.",
)


def _answers(survey: Survey, invitations: list[Invitation], rng: random.Random, texts: tuple[str, ...]) -> None:
    """Made-up answers for the invitations, written as the service writes them (no link back).
    In the evaluation of the round, about one in ten says their conversation has not been held."""
    questions = list(survey.questions.all())
    responses: list[Response] = []
    answers: list[Answer] = []
    for invitation in invitations:
        held = None if survey.is_360 else rng.random() >= 0.1
        response = Response(
            survey=survey,
            unit_id=invitation.unit_id,
            subject_id=invitation.subject_id,
            side=invitation.side,
            conversation_held=held,
        )
        responses.append(response)
        mood = rng.choice((3, 4, 4, 5)) if invitation.side != Side.SELF else rng.choice((4, 5))
        for question in questions:
            if held is False and question.about_conversation:
                continue
            if question.kind == QuestionKind.SCALE:
                value = min(5, max(1, mood + rng.choice((-1, 0, 0, 1))))
                answers.append(Answer(response=response, question=question, value=value))
            elif question.kind == QuestionKind.YES_NO:
                answers.append(Answer(response=response, question=question, value=int(rng.random() < 0.8)))
            elif rng.random() < 0.3:
                answers.append(Answer(response=response, question=question, text=rng.choice(texts)))
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=5000)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(answered=True)


def demo_surveys_seed(round_: Round) -> None:
    if Survey.objects.filter(round=round_).exists():
        return
    first_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    hr = viewer_for(User.objects.get(email=PERSONAS["hr"].email))
    rng = random.Random(2027)
    persona_emails = {persona.email for persona in PERSONAS.values()}
    closes_on = timezone.localdate() + timedelta(days=21)
    with transaction.atomic():
        leaders = services.survey_create(
            viewer=hr, round_=round_, kind=SurveyKind.LEADER_360, closes_on=closes_on, threshold=5
        )
        services.survey_open(viewer=hr, survey=leaders)
        invitations = list(Invitation.objects.filter(survey=leaders).select_related("person"))
        # Every team answers but the smallest ones, which stay under the threshold; the persona
        # leader's team answers in full.
        team_sizes: dict[int, int] = {}
        for invitation in invitations:
            if invitation.side == Side.TEAM:
                team_sizes[invitation.subject_id or 0] = team_sizes.get(invitation.subject_id or 0, 0) + 1
        persona_leader = Person.objects.get(email=PERSONAS["leader"].email).pk
        answering = [
            invitation
            for invitation in invitations
            if invitation.side != Side.TEAM
            or invitation.subject_id == persona_leader
            or team_sizes.get(invitation.subject_id or 0, 0) >= 5
            or rng.random() < 0.5
        ]
        _answers(leaders, answering, rng, WRITTEN_360)
        services.survey_close(viewer=hr, survey=leaders)

        evaluation = services.survey_create(
            viewer=hr, round_=round_, kind=SurveyKind.EVALUATION, closes_on=closes_on, threshold=5
        )
        services.survey_open(viewer=hr, survey=evaluation)
        participants = [
            invitation
            for invitation in Invitation.objects.filter(survey=evaluation).select_related("person")
            if invitation.person.email not in persona_emails and rng.random() < 0.75
        ]
        _answers(evaluation, participants, rng, WRITTEN)
        OutboxMessage.objects.filter(pk__gt=first_message, status=MessageStatus.PENDING).update(
            status=MessageStatus.CANCELLED, last_error="Demo data: not sent."
        )
