"""The demo's competences and courses (docs/domain.md § Competences and courses): about forty
competences in the three groups on the default scale, job profiles for the payroll consultants and
for the persona's department, thirty courses with coming sessions, levels registered for the
people, one level of the employee persona's still to settle with her leader before her MUS, a seat
asked for from a team member's plan and approved (waiting for the education consultant), and a
course completed in another's education record. Dates count from today, so it holds on any day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from django.db import transaction
from django.utils import timezone

from samtale.competences.counters import counters_rebuild
from samtale.competences.defaults import default_scale
from samtale.competences.models import (
    Competence,
    CompetenceGroup,
    Course,
    CourseSession,
    EntryKind,
    ExpectedLevel,
    JobProfile,
    ProviderKind,
    Registration,
    RegistrationChange,
)
from samtale.competences.services import register as register_services
from samtale.competences.services.record import education_entry_record
from samtale.demo.organisation import PERSONAS
from samtale.learning import services as learning
from samtale.learning.counters import activity_counts_rebuild
from samtale.learning.models import RequestStatus, SeatRequest
from samtale.lib.bulk import insert_rows
from samtale.org.models import Person, employed_q
from samtale.plans.models import Plan, PlanStatus
from samtale.plans.services.follow_up import activity_source, signed_version

PROFESSIONAL = [
    ("F01", "Lønlovgivning og overenskomster", "Regler for løn, tillæg og ansættelsesvilkår."),
    ("F02", "Ferieloven", "Optjening, afholdelse og udbetaling af ferie."),
    ("F03", "Refusioner og sygedagpenge", "Refusion fra kommuner, stat og forsikring."),
    ("F04", "Økonomisystemets lønmodul", "Lønkørsel, rettelser og afstemning i systemet."),
    ("F05", "Budget og regnskab", "Budgetlægning, opfølgning og årsregnskab."),
    ("F06", "Forvaltningsret og sagsbehandling", "Partshøring, begrundelse, klagevejledning."),
    ("F07", "Journalisering og databeskyttelse", "Journalpligt, GDPR og sikker behandling af oplysninger."),
    ("F08", "Digital selvbetjening", "At hjælpe borgere og kolleger i de digitale løsninger."),
    ("F09", "Excel og dataanalyse", "Opslag, pivottabeller og overblik over tal."),
    ("F10", "Projektledelse", "At planlægge, styre og afslutte et projekt."),
    ("F11", "Udbud og kontraktstyring", "Indkøb efter reglerne og opfølgning på kontrakter."),
    ("F12", "Skriftlig formidling", "Klart sprog i breve, notater og vejledninger."),
    ("F13", "Borgerkommunikation", "Dialog med borgere i telefon, på mail og ved skranken."),
    ("F14", "Statistik og rapportering", "Ledelsesinformation, nøgletal og rapporter."),
    ("F15", "Procesoptimering (LEAN)", "At finde spild og forbedre arbejdsgange."),
]
PERSONAL = [
    ("P01", "Robusthed", "At bevare overblik og arbejdsglæde i travle perioder."),
    ("P02", "Selvledelse og planlægning", "At prioritere og planlægge eget arbejde."),
    ("P03", "Omstillingsparathed", "At tage nye opgaver og systemer til sig."),
    ("P04", "Initiativ", "At se hvad der skal gøres, og gøre det."),
    ("P05", "Ansvarlighed", "At tage ejerskab for opgaver og aftaler."),
    ("P06", "Læringsparathed", "At søge ny viden og lære af erfaringer."),
    ("P07", "Beslutningsevne", "At træffe beslutninger på et rimeligt grundlag."),
    ("P08", "Stresshåndtering", "At kende sine signaler og handle på dem."),
    ("P09", "Kreativitet", "At finde nye løsninger på kendte problemer."),
    ("P10", "Overblik", "At se sammenhænge og holde styr på mange ting på én gang."),
    ("P11", "Kvalitetsbevidsthed", "At levere det aftalte, korrekt og til tiden."),
    ("P12", "Refleksion over egen praksis", "At undersøge hvorfor noget lykkedes eller ej."),
    ("P13", "Faglig nysgerrighed", "At holde sig opdateret på sit fagområde."),
]
SOCIAL = [
    ("S01", "Samarbejde", "At arbejde sammen mod fælles mål."),
    ("S02", "Videndeling", "At dele viden og erfaringer med kolleger."),
    ("S03", "Konflikthåndtering", "At tage uenigheder op og finde løsninger."),
    ("S04", "Feedback", "At give og tage imod konstruktiv feedback."),
    ("S05", "Mødeledelse", "At forberede og lede effektive møder."),
    ("S06", "Sidemandsoplæring og mentorskab", "At lære andre op i det daglige."),
    ("S07", "Kommunikation på tværs", "At kommunikere med andre afdelinger og fagligheder."),
    ("S08", "Service", "At møde borgere og kolleger med hjælpsomhed."),
    ("S09", "Netværk", "At bruge og udbygge sit faglige netværk."),
    ("S10", "Tværfagligt samarbejde", "At løse opgaver sammen med andre fagligheder."),
    ("S11", "Inddragelse", "At inddrage dem, en beslutning berører."),
    ("S12", "Facilitering", "At lede processer, hvor andre skaber resultatet."),
]

COURSES = [
    # code, title, provider kind, provider, competence codes, price
    ("K01", "Lønmodulet for superbrugere", ProviderKind.INTERNAL, "Vesterby Akademi", ["F04"], None),
    ("K02", "Ferieloven i praksis", ProviderKind.INTERNAL, "Vesterby Akademi", ["F02", "F01"], None),
    ("K03", "Refusioner fra A til Z", ProviderKind.EXTERNAL, "Forvaltningshøjskolen", ["F03"], "4950"),
    ("K04", "Overenskomster for lønmedarbejdere", ProviderKind.EXTERNAL, "KL", ["F01"], "3200"),
    ("K05", "Budgetopfølgning", ProviderKind.INTERNAL, "Økonomi og Styring", ["F05"], None),
    ("K06", "Forvaltningsret for sagsbehandlere", ProviderKind.EXTERNAL, "COK", ["F06"], "5600"),
    ("K07", "GDPR i hverdagen", ProviderKind.INTERNAL, "Vesterby Akademi", ["F07"], None),
    ("K08", "Digital borgerhjælp", ProviderKind.INTERNAL, "Borgerservice", ["F08", "F13"], None),
    ("K09", "Excel for øvede", ProviderKind.EXTERNAL, "Dansk IT-Uddannelse", ["F09"], "2400"),
    ("K10", "Projektledelse i kommunen", ProviderKind.EXTERNAL, "COK", ["F10", "S05"], "9800"),
    ("K11", "Udbud og indkøb", ProviderKind.EXTERNAL, "KL", ["F11"], "4100"),
    ("K12", "Klart sprog", ProviderKind.INTERNAL, "Kommunikation", ["F12"], None),
    ("K13", "Den gode borgersamtale", ProviderKind.INTERNAL, "Borgerservice", ["F13", "S08"], None),
    ("K14", "Ledelsesinformation med Power BI", ProviderKind.EXTERNAL, "Dansk IT-Uddannelse", ["F14", "F09"], "5200"),
    ("K15", "LEAN-værktøjer", ProviderKind.INTERNAL, "Vesterby Akademi", ["F15"], None),
    ("K16", "Robusthed og trivsel", ProviderKind.INTERNAL, "HR og Arbejdsmiljø", ["P01", "P08"], None),
    ("K17", "Planlæg din arbejdsdag", ProviderKind.INTERNAL, "Vesterby Akademi", ["P02", "P10"], None),
    ("K18", "Forandringer og dig", ProviderKind.EXTERNAL, "Forvaltningshøjskolen", ["P03"], "3900"),
    ("K19", "Beslutninger under usikkerhed", ProviderKind.EXTERNAL, "COK", ["P07"], "4600"),
    ("K20", "Kreative metoder", ProviderKind.INTERNAL, "Innovation", ["P09", "S12"], None),
    ("K21", "Kvalitet i sagsbehandlingen", ProviderKind.INTERNAL, "Jura", ["P11", "F06"], None),
    ("K22", "Den refleksive praktiker", ProviderKind.EXTERNAL, "Professionshøjskolen", ["P12", "P06"], "6200"),
    ("K23", "Samarbejde i teams", ProviderKind.INTERNAL, "HR og Arbejdsmiljø", ["S01"], None),
    ("K24", "Videndeling der virker", ProviderKind.INTERNAL, "Vesterby Akademi", ["S02"], None),
    ("K25", "Konflikthåndtering", ProviderKind.EXTERNAL, "COK", ["S03"], "4300"),
    ("K26", "Giv og modtag feedback", ProviderKind.INTERNAL, "HR og Arbejdsmiljø", ["S04"], None),
    ("K27", "Mødeledelse", ProviderKind.INTERNAL, "Vesterby Akademi", ["S05"], None),
    ("K28", "Oplæring af nye kolleger", ProviderKind.INTERNAL, "HR og Arbejdsmiljø", ["S06"], None),
    ("K29", "Tværfagligt samarbejde", ProviderKind.EXTERNAL, "Professionshøjskolen", ["S10", "S07"], "3500"),
    ("K30", "Facilitering af workshops", ProviderKind.EXTERNAL, "Forvaltningshøjskolen", ["S12", "S11"], "7400"),
]
PLACES = ["Rådhuset, mødelokale 2", "Vesterby Akademi, Torvet 4", "Forvaltningshøjskolen, København", ""]
# The payroll consultants' profile (by job title) and the persona's department's (by unit).
PAYROLL_PROFILE = {"F01": 4, "F02": 4, "F03": 3, "F04": 4, "F09": 3, "P02": 3, "S01": 3, "S02": 3}


@transaction.atomic
def demo_competences_seed(*, seed: int = 2027) -> bool:
    """The catalogue, the profiles, the registers and the seats; False when it is there already."""
    if Competence.objects.exists():
        return False
    rng = random.Random(seed)
    today = timezone.localdate()
    competences = competence_catalogue_seed()
    courses = _courses(competences, rng, today)
    _registers(competences, rng)
    counters_rebuild()
    _seats(courses, today)
    activity_counts_rebuild()  # the round's plans were moved forward in bulk
    return True


def competence_catalogue_seed() -> dict[str, Competence]:
    """The forty competences on the default scale and the two job profiles, by code (the benchmarks
    use them too)."""
    scale = default_scale()
    competences = {}
    for group, rows in (
        (CompetenceGroup.PROFESSIONAL, PROFESSIONAL),
        (CompetenceGroup.PERSONAL, PERSONAL),
        (CompetenceGroup.SOCIAL, SOCIAL),
    ):
        for code, name, description in rows:
            competences[code] = Competence.objects.create(
                code=code, name=name, group=group, description=description, scale=scale
            )
    _profiles(competences)
    return competences


def _profiles(competences: dict[str, Competence]) -> None:
    payroll = JobProfile.objects.create(name="Lønkonsulent", job_title="Lønkonsulent")
    ExpectedLevel.objects.bulk_create(
        [ExpectedLevel(profile=payroll, competence=competences[c], level=lv) for c, lv in PAYROLL_PROFILE.items()]
    )
    head = Person.objects.filter(email=PERSONAS["department_head"].email).select_related("unit").first()
    if head is not None:
        department = JobProfile.objects.create(name=f"Alle i {head.unit.name}", unit=head.unit)
        ExpectedLevel.objects.bulk_create(
            [
                ExpectedLevel(profile=department, competence=competences[c], level=3)
                for c in ("F07", "F12", "P02", "S01", "S02")
            ]
        )


def _courses(competences: dict[str, Competence], rng: random.Random, today: date) -> dict[str, Course]:
    courses = {}
    for index, (code, title, kind, provider, builds, price) in enumerate(COURSES):
        course = Course.objects.create(
            code=code,
            title=title,
            provider_kind=kind,
            provider=provider,
            description=f"{title}: et kursus for medarbejdere i Vesterby Kommune.",
            price=Decimal(price) if price else None,
        )
        course.competences.set([competences[c] for c in builds])
        courses[code] = course
        for run in range(1 + index % 2):
            starts = today + timedelta(days=21 + 7 * ((index * 3 + run * 11) % 20))
            days = 1 + (index + run) % 2
            place = PLACES[(index + run) % len(PLACES)]
            CourseSession.objects.create(
                course=course,
                starts_on=starts,
                ends_on=starts + timedelta(days=days - 1),
                place=place,
                online=not place,
                seats=rng.choice([12, 16, 20, 24]),
                registration_deadline=starts - timedelta(days=10),
            )
    return courses


def _registers(competences: dict[str, Competence], rng: random.Random) -> None:
    """Levels for most people, agreed with their leader; the employee persona's through the
    services, one of them still differing from her leader's assessment."""
    employee = Person.objects.filter(email=PERSONAS["employee"].email).select_related("personnel_leader").first()
    codes = list(competences)
    now = timezone.now()
    rows, changes = [], []
    people = Person.objects.filter(employed_q())
    if employee is not None:
        people = people.exclude(pk=employee.pk)
    for person_id, leader_id in people.values_list("pk", "personnel_leader_id"):
        if rng.random() < 0.2:
            continue  # not everyone has registered yet
        for code in rng.sample(codes, rng.randint(3, 8)):
            level = rng.choice([2, 3, 3, 4, 4, 4, 5, 6])
            assessed = leader_id is not None and rng.random() < 0.8
            rows.append(
                {
                    "uuid": uuid4(),
                    "person_id": person_id,
                    "competence_id": competences[code].pk,
                    "employee_level": level,
                    "employee_at": now,
                    "leader_level": level if assessed else None,
                    "leader_at": now if assessed else None,
                    "assessed_by_id": leader_id if assessed else None,
                    "settled_at": now if assessed else None,
                    "level": level,
                }
            )
    ids = insert_rows(Registration, rows, key="uuid")
    for row in rows:
        changes.append({"registration_id": ids[row["uuid"]], "side": "employee", "level": row["level"], "at": now})
    insert_rows(RegistrationChange, changes)
    if employee is None or employee.personnel_leader is None or employee.user is None:
        return
    from samtale.access.viewer import viewer_for

    me = viewer_for(employee.user)
    leader = viewer_for(employee.personnel_leader.user) if employee.personnel_leader.user else None
    mine = [("F01", 4, 4), ("F02", 3, 3), ("F04", 5, 3), ("F09", 3, 3), ("P02", 4, 4), ("S02", 4, 4)]
    examples = {
        "F01": "Jeg svarer kollegerne på spørgsmål om tillæg i den nye overenskomst.",
        "F04": "Jeg kørte lønnen alene i sommerferien og rettede fejlene i refusionerne.",
        "S02": "Jeg har skrevet teamets vejledning til refusioner.",
    }
    for code, own, theirs in mine:
        register_services.registration_record(
            viewer=me, person=employee, competence=competences[code], level=own, example=examples.get(code, "")
        )
        if leader is not None:
            note = "Vi skal tale om, hvor du er sikker alene." if own != theirs else ""
            register_services.registration_assess(
                viewer=leader, person=employee, competence=competences[code], level=theirs, note=note
            )


def _seats(courses: dict[str, Course], today: date) -> None:
    """A seat asked for from the union representative persona's plan and approved (the education
    consultant enrols it), and a course completed by a team member whose plan is signed."""
    from samtale.access.viewer import viewer_for

    signed = list(
        Plan.objects.filter(
            status=PlanStatus.SIGNED,
            employee__personnel_leader__email=PERSONAS["leader"].email,
            conversation__round__status="launched",
        )
        .select_related("employee__user", "employee__personnel_leader__user", "conversation__round")
        .order_by("employee__employee_number")
    )
    course_items = []
    for plan in signed:
        version = signed_version(plan)
        content = version.content if version else {}
        for goal in content.get("goals", []):
            for activity in goal.get("activities", []):
                if activity.get("type") == "professional_courses":
                    course_items.append((plan, activity["id"]))
    by_person = {plan.employee.email: (plan, item) for plan, item in course_items}
    asked = by_person.get(PERSONAS["union_rep"].email) or (course_items[0] if course_items else None)
    if asked is not None:
        plan, item = asked
        employee, leader = plan.employee, plan.employee.personnel_leader
        if employee.user and leader and leader.user:
            session = courses["K01"].sessions.order_by("starts_on").first()
            assert session is not None
            seat = learning.seat_request(
                viewer=viewer_for(employee.user),
                plan=plan,
                activity_id=item,
                session=session,
                reason="Vi skal over på det nye lønmodul i foråret, og jeg kører TR-lønningerne.",
            )
            learning.seat_request_decide(
                viewer=viewer_for(leader.user),
                seat_request=seat,
                approve=True,
                note="Det er der plads til i budgettet.",
            )
    done = next(((p, i) for p, i in course_items if asked is None or p.pk != asked[0].pk), None)
    if done is None:
        return
    plan, item = done
    course = courses["K02"]
    past = CourseSession.objects.create(
        course=course,
        starts_on=today - timedelta(days=12),
        ends_on=today - timedelta(days=11),
        place=PLACES[0],
        seats=16,
        registration_deadline=today - timedelta(days=30),
        enrolled=1,
    )
    held_on = plan.conversation.held_on or today
    completed_on = max(today - timedelta(days=11), held_on)
    seat = SeatRequest.objects.create(
        person=plan.employee,
        session=past,
        plan=plan,
        activity=item,
        status=RequestStatus.COMPLETED,
        requested_at=timezone.now() - timedelta(days=40),
        answer_by=today - timedelta(days=30),
        decided_at=timezone.now() - timedelta(days=38),
        decided_by=plan.employee.personnel_leader,
        approved_at=timezone.now() - timedelta(days=38),
        enrolled_at=timezone.now() - timedelta(days=35),
        completed_on=completed_on,
    )
    education_entry_record(
        person=plan.employee,
        kind=EntryKind.COURSE,
        title=course.title,
        provider=course.provider,
        course=course,
        started_on=past.starts_on,
        completed_on=completed_on,
        source=activity_source(plan, item),
        competences=course.competences.all(),
    )
