"""The concept Samtale ships: "MUS med mening", written from the Danish source of that name (its
pages 7–22; docs/domain.md § Sources and § A round, phase by phase). Its texts are in Danish, the
language of the source and of the organisations that use it; HR copies and edits it for their own
organisation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction

from samtale.rounds.models import Concept, ConceptPhase, ConversationKind, PreparationForm, PreparationQuestion

DEFAULT_NAME = "MUS med mening"
# The shipped concept's family, the same in every installation, so that it can be found again
# after HR renames it or edits it into a new version.
DEFAULT_FAMILY = UUID("5f0c2a8e-6d1b-4f43-9a52-3c8e1b7d0a61")
# The plan is handed in within 14 days of the conversation, and the follow-up is held at most 6
# months after it (docs/domain.md § Default timeline).
PLAN_DUE_DAYS = 14
FOLLOW_UP_WITHIN_MONTHS = 6

DESCRIPTION = (
    "Medarbejderudviklingssamtalen er en dialog mellem dig og din personaleansvarlige leder om din udvikling "
    "og dine arbejdsopgaver. Samtalen tager udgangspunkt i det, der virker (værdsættende samtale): gode "
    "arbejdsoplevelser, ønsker for fremtiden, og konkrete, realistiske udviklingsmål med aktiviteter. "
    "MUS er ikke en advarsel, ikke en vurdering af kompetenceniveauer, ikke en snak om en bestemt opgave og "
    "ikke en ønskeliste over kurser."
)

# (key, heading, guidance, inspiration questions)
PHASES = [
    (
        "goals",
        "Mål og forventninger til samtalen",
        "Aftal indledningsvis, hvad I hver især vil have ud af samtalen, så I ved afslutningen kan følge op "
        "på, om målene er nået og forventningerne indfriet. Et fælles billede af samtalens rammer og mål gør "
        "samtalen målrettet og udbytterig.",
        "Hvad vil du gerne have ud af samtalen i dag?\n"
        "Hvad vil jeg som leder gerne have ud af den?\n"
        "Er der særlige emner, vi har meldt til hinanden, som skal nå at blive drøftet?",
    ),
    (
        "feedback",
        "Feedback og gode arbejdsoplevelser",
        "Giv feedback begge veje – også medarbejderen til lederen – fx ud fra enhedens fokusområder. Ret "
        "fokus mod det, der er værdifuldt i det daglige: tag udgangspunkt i en god arbejdsoplevelse, hvor "
        "medarbejderen var særligt engageret, og find frem til, hvad der gjorde den god. Samtalen handler om, "
        "hvad der virker og hvorfor – ikke om at forhandle om, hvad der gik godt eller skidt.",
        "Fortæl om en god arbejdsoplevelse fra det seneste år, hvor du var særligt engageret.\n"
        "Hvad gjorde, at det blev en god oplevelse?\n"
        "Hvad gjorde du?\n"
        "Hvem arbejdede du sammen med, og hvad gjorde de?\n"
        "Hvad lærte du?\n"
        "Hvilken feedback vil du give mig som leder?",
    ),
    (
        "future",
        "Ønsker for fremtiden",
        "Brug de gode arbejdsoplevelser som afsæt til at tale om ønsker for fremtiden og jeres gensidige "
        "forventninger, så I skaber et fælles billede. Inddrag de udfordringer, enheden står over for: "
        "sammenhængen mellem mål, opgaver og kompetencer, og hvad det kræver af medarbejderens udvikling.",
        "Hvilke arbejdsopgaver og områder vil du gerne arbejde mere med?\n"
        "Hvordan kan du få mere af det, der gav de gode oplevelser?\n"
        "Hvilke udfordringer står vi over for i enheden, og hvad betyder de for dig?",
    ),
    (
        "development_goals",
        "Udviklingsmål",
        "Formulér sammen målene for medarbejderens udvikling ud fra det fælles billede af fremtiden. Målene "
        "skal være konkrete og realistiske – gerne målbare, så I ved, hvornår de er nået. Kræver et mål en "
        "afklaring (fx at bytte opgaver eller en rokering til en anden enhed), så aftal en frist for svaret.",
        "Hvad vil være anderledes, når målet er nået?\n"
        "Hvordan kan vi se, at målet er nået?\n"
        "Skal noget afklares først, og hvornår kan vi have et svar?",
    ),
    (
        "activities",
        "Udviklingsaktiviteter",
        "Aftal for hvert mål, hvilke aktiviteter der skal til, hvornår de går i gang, hvem der er ansvarlig "
        "for at sætte dem i gang, og hvornår der følges op. Der er mange veje til udvikling: nye opgaver, "
        "projektarbejde, efteruddannelse, videreuddannelse, sidemandsoplæring, udveksling, coaching, "
        "supervision, mentorordning, udfordringer, faglige kurser, personlig udvikling og internationale "
        "relationer.",
        "Hvilke aktiviteter bringer dig nærmest målet?\n"
        "Hvornår går aktiviteten i gang, og hvem sætter den i gang?\n"
        "Hvordan og hvornår følger vi op?",
    ),
    (
        "summary",
        "Opsamling og afslutning",
        "Saml op: Er målene fra samtalens start nået, og har I drøftet de emner, I aftalte? Gennemgå de "
        "aftaler, udviklingsplanen skal indeholde, så I er enige om, hvad der skal stå. Aftal en dato for "
        "opfølgningssamtalen og frister for de udeståender, der skal afklares, før planen kan skrives færdig.",
        "Har vi nået de mål, vi satte for samtalen?\n"
        "Hvad skal der stå i udviklingsplanen?\n"
        "Hvornår holder vi opfølgningssamtalen?\n"
        "Hvilke udeståender skal afklares, og hvornår?",
    ),
]

# (key, question, help)
EMPLOYEE_QUESTIONS = [
    (
        "experience",
        "Beskriv en god arbejdsoplevelse fra det seneste år, hvor du var særligt engageret og optaget af dit arbejde.",
        "Tænk på en situation, hvor det fungerede helt optimalt – noget, du gerne vil have mere af. Det kan fx "
        "være, da du håndterede en konflikt på en god måde, hjalp en kollega, eller da en stor eller svær opgave "
        "blev løst.",
    ),
    ("what_made_it_good", "Hvad gjorde netop denne oplevelse god?", ""),
    ("what_you_did", "Hvad gjorde du?", ""),
    ("who_with", "Hvem arbejdede du sammen med, og hvad gjorde de?", ""),
    ("learned", "Hvad lærte du?", ""),
    (
        "future",
        "Hvilke ønsker har du for fremtiden – hvilke arbejdsområder vil du gerne arbejde med?",
        "Tænk også på de udfordringer, din enhed står over for.",
    ),
    (
        "activities",
        "Hvilke udviklingsaktiviteter har du brug for?",
        "Fx nye opgaver, projektarbejde, sidemandsoplæring, coaching, mentorordning eller et fagligt kursus.",
    ),
    ("feedback_to_leader", "Hvilken feedback vil du give din leder?", ""),
    (
        "goals_for_conversation",
        "Hvad vil du gerne have ud af samtalen?",
        "Dit privatliv er ikke et emne, medmindre du selv tager det op.",
    ),
]

LEADER_QUESTIONS = [
    ("goals_for_conversation", "Hvilke mål og forventninger har du til samtalen?", ""),
    (
        "feedback",
        "Hvilken konstruktiv feedback vil du give medarbejderen?",
        "Tag udgangspunkt i konkrete eksempler og i enhedens fokusområder.",
    ),
    (
        "good_experiences",
        "Hvilke gode arbejdsoplevelser har du set medarbejderen have?",
        "",
    ),
    (
        "tasks_ahead",
        "Hvordan vil medarbejderens opgaver og kompetencebehov udvikle sig?",
        "Tænk på enhedens mål og udfordringer for det kommende år.",
    ),
]


def default_concept_create(
    *, concept_model: Any = Concept, phase_model: Any = ConceptPhase, question_model: Any = PreparationQuestion
) -> Any:
    """Create the shipped concept as the first version of its own family. The data migration
    passes its historical models; everything else uses the real ones."""
    concept = concept_model.objects.create(
        family=DEFAULT_FAMILY,
        version=1,
        name=DEFAULT_NAME,
        kind=ConversationKind.MUS.value,
        description=DESCRIPTION,
        plan_due_days=PLAN_DUE_DAYS,
        follow_up_within_months=FOLLOW_UP_WITHIN_MONTHS,
    )
    phase_model.objects.bulk_create(
        phase_model(concept=concept, order=index, key=key, heading=heading, guidance=guidance, questions=questions)
        for index, (key, heading, guidance, questions) in enumerate(PHASES, start=1)
    )
    for form, questions in (
        (PreparationForm.EMPLOYEE.value, EMPLOYEE_QUESTIONS),
        (PreparationForm.LEADER.value, LEADER_QUESTIONS),
    ):
        question_model.objects.bulk_create(
            question_model(concept=concept, form=form, order=index, key=key, text=text, help=help_text)
            for index, (key, text, help_text) in enumerate(questions, start=1)
        )
    return concept


@transaction.atomic
def default_concept_ensure() -> Concept:
    """The current version of the shipped concept. The data migration ``0002_default_concept``
    creates it in every installation; it is created here only where the database was emptied
    after the migrations ran (the test runner's flush between transactional tests).

    It is found by its family, not its name: HR may rename it, and an edit of it while a round
    uses it makes a new version of the same family."""
    existing = Concept.objects.filter(family=DEFAULT_FAMILY, is_current=True).first()
    if existing is not None:
        return existing
    return default_concept_create()
