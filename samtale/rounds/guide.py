"""The guidance for employees and leaders that comes with a concept (docs/domain.md § Guidance):
what a MUS is and is not, the appreciative conversation with its two example dialogues, how to
prepare, good feedback, the "must improve" notice and the difficult conversation, confidentiality
and private life, and what happens after the conversation.

Written from the Danish source "MUS med mening" (its pages 7–10, 13, 17–19, 22–24 and 26;
docs/domain.md § Sources), in Danish like the concept's phases and questions. A concept keeps
its own texts in ``Concept.guide`` ({key: {"title": …, "text": …}}) once HR has adapted them;
until then these are its texts. The guidance is help, not a record of anything, so HR's changes
apply at once to every round that uses the concept.

A text is plain: paragraphs are separated by a blank line; a line starting with "- " is a point
in a list; lines starting with "L:" or "M:" are a dialogue between leader and employee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from samtale.rounds.models import Concept


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    text: str
    # For whom it is written first: "employee", "leader" or "both" (both read every topic).
    audience: str = "both"


DEFAULT_TOPICS: tuple[Topic, ...] = (
    Topic(
        "what",
        "Hvad er MUS – og hvad er det ikke",
        """Ved medarbejderudviklingssamtalen taler du og din personaleleder om din indsats, dine kvalifikationer og dine planer for fremtiden. Omdrejningspunktet er dine gode erfaringer og dine ønsker til fremtiden: de er så vidt muligt udgangspunktet for de udviklingsmål, I sammen skriver i din udviklingsplan.

En god MUS er:
- en planlagt og struktureret samtale, der tager udgangspunkt i de gode arbejdsoplevelser
- forberedt grundigt af både dig og din leder
- en samtale mellem ligeværdige parter
- en anledning til at få konstruktiv feedback på din indsats
- en drøftelse af opgaver og kompetencebehov i det kommende år
- stedet, hvor I opstiller relevante og realistiske mål for din udvikling med aktiviteter til
- en gensidig aftale: I forpligter jer begge på din udviklingsplan.

MUS er ikke:
- en snak om, hvordan en bestemt opgave løses, eller feedback på en enkelt opgave – det hører til i den daglige dialog, som MUS ikke erstatter
- en anledning til advarsler eller påtaler: akutte problemer løses, når de opstår
- en bedømmelsessamtale om dit kompetenceniveau – det er afklaret før samtalen
- en løs snak om kurser: behov for kurser gøres konkrete og skrives ind i udviklingsplanen.""",
    ),
    Topic(
        "method",
        "Den værdsættende samtale",
        """MUS bygger på den værdsættende samtale (Appreciative Inquiry): I retter opmærksomheden mod det, du selv finder værdifuldt i dit arbejde, og bygger din udvikling på det, der allerede virker.

To ting er vigtige undervejs. I undersøger sammen, hvad der giver dig arbejdsglæde og gør din indsats god – med udgangspunkt i en god arbejdsoplevelse, som din leder spørger ind til. Og samtalen er en dialog, ikke en forhandling: udviklingsmål er ikke resultatet af en forhandling, men et fælles billede af, hvad der skal til.

Eksempel 1 – den forhandlende samtale, som MUS ikke skal være:

L: Hvordan synes du, det er gået siden sidst?
M: Det er gået meget godt. Der var selvfølgelig den opgave, hvor mit barn var sygt, og den, hvor en kollega holdt op, så jeg måtte lave noget af hans også.
L: Det er jeg sådan set enig i, men der var også den opgave, hvor jeg godt synes, du kunne have ydet lidt mere.
M: Den synes jeg faktisk gik helt godt. Du må huske på, at vi var enige om …

Så er forhandlingen i gang: om hvor meget der var godt, og om hvem der har ansvaret for det mindre gode. Den giver hverken leder eller medarbejder en ny forståelse af hinanden – og den fortsætter, når I når til fremtiden og til kurserne.

Eksempel 2 – den samtale, der kan skabe noget nyt:

L: Der er sket meget siden sidst, men vi skal starte et sted: Hvad synes du er gået allerbedst?
M: Det har nok været projektet med den nye vejledning. Det gik rigtig godt, og samarbejdet med Hanne fungerede bare.
L: Hvad var det, der gjorde, at det gik godt, og at samarbejdet fungerede?
M: Den måde, vi gav hinanden plads på og alligevel kunne give hinanden gode råd.
L: Hvad gjorde du for, at det blev sådan?
M: Jeg spurgte tidligt, hvad hun havde brug for fra mig …
L: Kan du forestille dig andre situationer, hvor det ville blive rigtig godt, hvis du gjorde det samme?

Her ser I sammen samarbejdet og medarbejderens situation på en ny måde. Lederen spørger ind til, hvad der skal til for, at det kan blive sådan igen, og hvad lederen kan gøre for at støtte det.""",
    ),
    Topic(
        "prepare",
        "Sådan forbereder du dig",
        """Afsæt tid til forberedelsen: den giver dig et langt bedre overblik i selve samtalen. Din forberedelse i Samtale er din egen, indtil du vælger at dele den.

Tænk på en god arbejdsoplevelse fra det seneste år, hvor du var særligt engageret – fx en konflikt, du håndterede godt, en kollega, du hjalp, eller en svær opgave, der lykkedes. Spørg dig selv:
- Hvad gjorde netop denne oplevelse god?
- Hvad gjorde du?
- Hvem arbejdede du sammen med, og hvad gjorde de?
- Hvad lærte du?

Tænk over dine ønsker til fremtiden: hvilke opgaver og arbejdsområder vil du gerne arbejde med? Og hvilke udviklingsaktiviteter har du brug for – nye opgaver, projektarbejde, sidemandsoplæring, kurser, uddannelse, coaching, mentorordning?

Er der et særligt emne, du vil tage op, så meld det til din leder i god tid, så din leder også kan forberede sig. Det samme gælder den anden vej.""",
        audience="employee",
    ),
    Topic(
        "feedback",
        "God feedback",
        """Feedback i MUS er en tilbagemelding på arbejdsindsatsen i det hele – fx ud fra enhedens fokusområder. Den erstatter ikke den konkrete tilbagemelding, der hører til i hverdagen.

Feedback går begge veje: medarbejderen giver også lederen feedback.

God feedback:
- tager udgangspunkt i konkrete situationer, helst dem, der lykkedes
- siger, hvad der virkede, og hvorfor
- er klar og ærlig – også når noget skal være anderledes – og siger, hvad der skal til
- spørger ind, før den konkluderer: hvad var det, der gjorde forskellen?
- handler om det, den anden kan gøre noget ved.""",
    ),
    Topic(
        "must_improve",
        "Når noget skal forbedres – og den svære samtale",
        """Hvis lederen vurderer, at indsatsen eller adfærden på et område ikke er acceptabel og skal forbedres, skal medarbejderen have besked før samtalen – ikke i den. I Samtale giver lederen en forhåndsbesked om forbedring, som medarbejderen får besked om og kan læse.

I selve samtalen er fokus på, hvilken indsats der skal til for at nå målet. Også her tager I udgangspunkt i de gode erfaringer: hvordan kan det, der virker i ét samarbejde, bruges til at forbedre et andet?

Er I enige om, at noget skal forbedres, står det tydeligt i udviklingsplanens indsatsområder.

Akutte problemer venter ikke på MUS: de tages op, når de opstår. MUS er ikke en anledning til advarsler eller påtaler.""",
        audience="leader",
    ),
    Topic(
        "privacy",
        "Fortrolighed og dit privatliv",
        """Din medarbejderudviklingssamtale er fortrolig mellem dig og din leder.

- Din forberedelse er din egen. Din leder ser den kun, hvis du deler den, og du kan tage delingen tilbage.
- Din udviklingsplan læses af dig, din personaleleder og lederne over din leder. Skifter du leder, går planen videre til din nye personaleleder.
- HR ser, om samtalerne bliver afholdt, og om der er en plan – aldrig, hvad der står i dem.
- Du kan tage din tillidsrepræsentant med. Det er din beslutning; sig det til din leder i god tid, så din leder kan indkalde tillidsrepræsentanten.
- Har du en daglig leder, som ikke er din personaleleder, kan du bede om, at vedkommende deltager.

Dit privatliv er kun et emne, hvis du selv tager det op. Du har ikke pligt til at tale om det.""",
        audience="employee",
    ),
    Topic(
        "after",
        "Efter samtalen",
        """Efter samtalen skriver du din udviklingsplan med dine egne ord – ud fra referatet – og afleverer den til din leder senest 14 dage efter samtalen.

Planen har tre dele og en dato:
- indsatsområder for det kommende år (skal udfyldes) – er I enige om, at noget skal forbedres, står det her
- emner, der skal følges op på, og hvem der er ansvarlig (kan udfyldes)
- udviklingsmål med aktiviteter: hvornår, hvem der sætter dem i gang, hvordan og hvornår der følges op (skal udfyldes)
- dato eller uge for opfølgningssamtalen, senest 6 måneder efter samtalen.

Står der åbne punkter, som lederen skal undersøge – fx om et kursus kan rummes i budgettet – får du svar hurtigst muligt, så planen kan gøres færdig.

Når I begge har underskrevet, er planen låst: ændringer bliver en ny version, som I underskriver igen. Du følger løbende op og siger til, hvis det bliver nødvendigt at afvige fra planen. Din leder indkalder til opfølgningssamtalen.""",
    ),
)

KEYS = tuple(topic.key for topic in DEFAULT_TOPICS)

# The guidance that belongs with each step of a conversation (conversations/_steps.html).
STEP_TOPICS = {
    "invitation": "what",
    "preparation": "prepare",
    "conversation": "method",
    "plan": "after",
    "follow_up": "after",
}


def topics_of(concept: Concept | None) -> list[Topic]:
    """The concept's guidance: its own text for each topic HR has adapted, the shipped text for the
    rest, in the shipped order."""
    own = (concept.guide if concept is not None else None) or {}
    topics = []
    for default in DEFAULT_TOPICS:
        mine = own.get(default.key) or {}
        topics.append(
            Topic(
                default.key,
                str(mine.get("title") or default.title),
                str(mine.get("text") or default.text),
                default.audience,
            )
        )
    return topics


@dataclass(frozen=True)
class Block:
    """A piece of a topic's text as the page draws it."""

    kind: str  # "p", "list", "dialogue"
    lines: tuple[str, ...]
    # In a dialogue: each line as (speaker, words); "L" the leader, "M" the employee.
    turns: tuple[tuple[str, str], ...] = ()


def blocks(text: str) -> list[Block]:
    """A plain text as paragraphs, lists and dialogues (see the module's docstring)."""
    result: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("L:", "M:") for line in lines):
            turns = tuple((line[0], line[2:].strip()) for line in lines)
            result.append(Block("dialogue", tuple(lines), turns))
            continue
        lead = [line for line in lines if not line.startswith("- ")]
        points = [line[2:].strip() for line in lines if line.startswith("- ")]
        if lead:
            result.append(Block("p", (" ".join(lead),)))
        if points:
            result.append(Block("list", tuple(points)))
    return result
