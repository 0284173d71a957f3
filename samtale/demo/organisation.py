"""A fictitious Danish municipality, "Vesterby Kommune", for the demo, the browser tests and
the benchmarks: Danish names with æ, ø and å, 4 or 5 levels of units, every employment type,
HR consultants, union representatives, management, and fixed personas with known sign-ins.

Deterministic for a given size (a seeded random generator), and fast: people are inserted in
bulk, leaders before the people they lead, so no row is written twice.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from samtale.accounts.models import User, unusable_password
from samtale.lib.bulk import insert_rows, update_rows
from samtale.org.models import EmploymentType, Person, Role, RoleKind, Unit
from samtale.org.services import unit_tree_rebuild

ROOT_CODE = "VK"
DEMO_PASSWORD = "samtale-demo"  # noqa: S105 (the demo sign-ins are public on purpose)
DOMAIN = "vesterby.example"


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    name: str
    job_title: str
    role_label: str  # printed by `make run`


PERSONAS = {
    "management": Persona(
        "management", f"ledelse@{DOMAIN}", "Lene Vestergaard", "Kommunaldirektør", "management (sets a round's goals)"
    ),
    "director": Persona("director", f"direktoer@{DOMAIN}", "Jørgen Ærenlund", "Direktør", "director"),
    "department_head": Persona(
        "department_head", f"afdelingschef@{DOMAIN}", "Birgitte Ågård", "Afdelingschef", "department head"
    ),
    "leader": Persona("leader", f"leder@{DOMAIN}", "Mads Østergaard", "Teamleder", "personnel leader"),
    "employee": Persona("employee", f"medarbejder@{DOMAIN}", "Freja Sørensen", "Lønkonsulent", "employee"),
    "union_rep": Persona(
        "union_rep", f"tr@{DOMAIN}", "Ole Kjær", "Bogholder, tillidsrepræsentant", "union representative"
    ),
    "hr": Persona("hr", f"hr@{DOMAIN}", "Hanne Bøgh", "MUS-konsulent", "HR / MUS consultant"),
    "dpo": Persona(
        "dpo", f"databeskyttelse@{DOMAIN}", "Dorthe Lund", "Databeskyttelsesrådgiver", "data protection officer"
    ),
    "educator": Persona(
        "educator", f"uddannelse@{DOMAIN}", "Ebbe Winther", "Uddannelseskonsulent", "education consultant"
    ),
}
ADMIN = Persona("admin", f"admin@{DOMAIN}", "Administrator", "", "administrator")

FIRST_NAMES = (
    "Søren",
    "Bjørn",
    "Åse",
    "Jørgen",
    "Mette",
    "Kirsten",
    "Lærke",
    "Mads",
    "Sofie",
    "Anders",
    "Ida",
    "Niels",
    "Freja",
    "Rasmus",
    "Signe",
    "Frederik",
    "Maja",
    "Kasper",
    "Anne",
    "Jens",
    "Birthe",
    "Thea",
    "Mikkel",
    "Karen",
    "Henrik",
    "Astrid",
    "Morten",
    "Line",
    "Peter",
    "Camilla",
    "Jesper",
    "Tove",
    "Bodil",
    "Torben",
    "Ebbe",
    "Gunnar",
    "Dorthe",
    "Vibeke",
    "Øjvind",
    "Åge",
    "Helle",
    "Malene",
    "Christian",
    "Louise",
    "Nikolaj",
    "Pernille",
    "Steffen",
    "Rikke",
    "Ulla",
    "Villads",
    "Yrsa",
    "Sølvi",
    "Bent",
    "Hanne",
    "Jytte",
)
LAST_NAMES = (
    "Østergaard",
    "Sørensen",
    "Møller",
    "Frølich",
    "Bæk",
    "Kjær",
    "Dyrbøl",
    "Ågård",
    "Nørgaard",
    "Lærkesen",
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Knudsen",
    "Mortensen",
    "Bøgh",
    "Skovgaard",
    "Dalsgaard",
    "Kjærsgaard",
    "Højgaard",
    "Vestergaard",
    "Søndergaard",
    "Grønbæk",
    "Fæster",
    "Brøndum",
    "Ærenlund",
    "Åkjær",
    "Lund",
    "Holm",
    "Bech",
    "Krøyer",
    "Schmidt",
    "Friis",
    "Dahl",
)
DIRECTORATES = (
    "Økonomi og Personale",
    "Børn og Unge",
    "Social og Sundhed",
    "Teknik og Miljø",
    "Kultur og Fritid",
)
DEPARTMENTS = (
    "Økonomiafdelingen",
    "HR og Personale",
    "Jura og Indkøb",
    "Skoler",
    "Dagtilbud",
    "PPR og Sundhedspleje",
    "Ældrepleje",
    "Hjemmepleje",
    "Jobcenter",
    "Ydelser",
    "Byggeri",
    "Vej og Park",
    "Miljø og Natur",
    "Bibliotekerne",
    "Idræt og Fritid",
    "Borgerservice",
    "Digitalisering",
    "Sundhed og Forebyggelse",
)
PLACES = (
    "Nørrebro",
    "Søndermark",
    "Østervang",
    "Ålholm",
    "Bøgely",
    "Kærhaven",
    "Fælledvej",
    "Højvang",
    "Strandgården",
    "Ærøvej",
    "Grønnegade",
    "Lærkevej",
    "Møllebakken",
    "Skovbrynet",
    "Åbyhøj",
    "Kløvermarken",
)
TITLES = (
    "Sagsbehandler",
    "Konsulent",
    "Specialkonsulent",
    "Pædagog",
    "Lærer",
    "Sygeplejerske",
    "Social- og sundhedshjælper",
    "Ingeniør",
    "Bibliotekar",
    "Assistent",
    "Administrativ medarbejder",
    "Projektleder",
    "Økonom",
    "Jurist",
    "Ergoterapeut",
    "Fysioterapeut",
    "Vejmand",
    "Gartner",
    "IT-supporter",
)
# (employment type, weight): mostly permanent, every type present.
EMPLOYMENT_MIX = (
    (EmploymentType.PERMANENT, 78),
    (EmploymentType.FIXED_TERM, 7),
    (EmploymentType.SPECIAL_TERMS, 4),
    (EmploymentType.TRAINEE, 4),
    (EmploymentType.TEMP, 4),
    (EmploymentType.JOB_TRAINING, 3),
)


def slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "." for c in text).strip(".")


@dataclass
class _UnitNode:
    code: str
    name: str
    parent: _UnitNode | None
    depth: int
    children: list[_UnitNode] = field(default_factory=list)
    unit: Unit | None = None
    leader_record: dict | None = None


@dataclass
class SeedResult:
    created: bool
    people: int
    units: int


def demo_exists() -> bool:
    return Unit.objects.filter(code=ROOT_CODE).exists()


def _build_tree(employees: int, rng: random.Random) -> list[_UnitNode]:
    """Units top-down: the municipality, 5 directorates, departments, offices, and teams below
    them for large sizes (4 levels up to 5,000 people, else 5)."""
    leaves_wanted = max(10, employees // 11)
    levels_below = 2 if employees <= 5000 else 3
    branching = max(2, math.ceil((leaves_wanted / len(DIRECTORATES)) ** (1 / levels_below)))
    root = _UnitNode(ROOT_CODE, "Vesterby Kommune", None, 0)
    nodes = [root]
    for d, name in enumerate(DIRECTORATES, start=1):
        directorate = _UnitNode(f"{ROOT_CODE}-{d}", name, root, 1)
        root.children.append(directorate)
        nodes.append(directorate)
        frontier = [directorate]
        for level in range(levels_below):
            next_frontier = []
            for parent in frontier:
                for index in range(branching):
                    code = f"{parent.code}.{index + 1}"
                    if level == 0:
                        name = DEPARTMENTS[(d * 3 + index) % len(DEPARTMENTS)]
                        if d == 1 and index < 2:  # the personas' departments
                            name = DEPARTMENTS[index]
                    elif level == levels_below - 1:
                        name = f"Team {PLACES[(index + len(nodes)) % len(PLACES)]}"
                    else:
                        name = f"{parent.name}, kontor {PLACES[(index * 5 + len(nodes)) % len(PLACES)]}"
                    child = _UnitNode(code, name, parent, parent.depth + 1)
                    parent.children.append(child)
                    nodes.append(child)
                    next_frontier.append(child)
            frontier = next_frontier
    # The personas' team: the first team of the first department of the first directorate.
    team = root.children[0].children[0]
    while team.children:
        team = team.children[0]
    team.name = "Løn og Regnskab"
    return nodes


@transaction.atomic
def seed_demo(*, employees: int = 300, seed: int = 2027) -> SeedResult:
    """Build the demo organisation, unless it is there already (then nothing changes)."""
    if demo_exists():
        _ensure_admin()
        return SeedResult(False, Person.objects.count(), Unit.objects.count())
    rng = random.Random(seed)
    nodes = _build_tree(employees, rng)
    _create_units(nodes)
    places = _PersonaUnits.find(nodes)
    leaves = [n for n in nodes if not n.children]
    people = _People(rng)
    _add_unit_leaders(people, nodes, places)
    members = _add_members(people, leaves, places, count=max(employees - len(nodes), len(leaves) * 2))
    coordinators = _add_coordinators(members, rng)
    # The data protection officer and the education consultant after everyone else is drawn, and
    # numbered apart, so that everyone else keeps the number, the name and the daily leader the
    # examples in examples/ were made with.
    officer = people.new(places.hr, persona=PERSONAS["dpo"], title=PERSONAS["dpo"].job_title, number="9000001")
    officer["leader"] = places.hr.leader_record
    educator = people.new(
        places.hr, persona=PERSONAS["educator"], title=PERSONAS["educator"].job_title, number="9000002"
    )
    educator["leader"] = places.hr.leader_record
    _insert(people.records, coordinators)
    _assign_roles(nodes)
    _ensure_admin()
    return SeedResult(True, len(people.records), len(nodes))


def _create_units(nodes: list[_UnitNode]) -> None:
    """The units, in bulk, with their parents and their paths from the top."""
    Unit.objects.bulk_create([Unit(code=n.code, name=n.name, path="", depth=0) for n in nodes], batch_size=2000)
    unit_by_code = {u.code: u for u in Unit.objects.filter(code__in=[n.code for n in nodes])}
    for node in nodes:
        node.unit = unit_by_code[node.code]
    update_rows(
        Unit, ["parent"], [(n.unit.pk, n.parent.unit.pk) for n in nodes if n.parent and n.unit and n.parent.unit]
    )
    unit_tree_rebuild()
    for unit in Unit.objects.filter(code__in=[n.code for n in nodes]).only("id", "code", "path", "depth"):
        unit_by_code[unit.code].path, unit_by_code[unit.code].depth = unit.path, unit.depth


@dataclass(frozen=True)
class _PersonaUnits:
    """Where the personas work: the top, the first directorate, the department and team of the
    employee and their leader, and HR's department."""

    root: _UnitNode
    directorate: _UnitNode
    department: _UnitNode
    team: _UnitNode
    hr: _UnitNode

    @classmethod
    def find(cls, nodes: list[_UnitNode]) -> _PersonaUnits:
        root = nodes[0]
        team = next(n for n in nodes if not n.children and n.name == "Løn og Regnskab")
        department = team.parent
        while department is not None and department.depth > 2:
            department = department.parent
        assert department is not None
        return cls(root, root.children[0], department, team, root.children[0].children[1])

    def leader_persona(self, node: _UnitNode) -> Persona | None:
        """The persona who leads the unit, if one does."""
        if node is self.root:
            return PERSONAS["management"]
        if node is self.directorate:
            return PERSONAS["director"]
        if node is self.department:
            return PERSONAS["department_head"]
        if node is self.team:
            return PERSONAS["leader"]
        return None


class _People:
    """The people to insert, as records made one at a time from the seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.records: list[dict] = []
        self._numbers = iter(range(10001, 10_000_000))
        self._today = timezone.localdate()
        self._persona_password = make_password(DEMO_PASSWORD)

    def new(
        self,
        node: _UnitNode,
        *,
        persona: Persona | None = None,
        title: str | None = None,
        employment_type: str = EmploymentType.PERMANENT,
        number: str | None = None,
    ) -> dict:
        rng = self.rng
        number = number or str(next(self._numbers))
        if persona:
            name, email = persona.name, persona.email
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            email = f"{slug(first)}.{slug(last)}.{number}@{DOMAIN}"
        # The same draws whatever the day, so the demo is the same people on any day; only the
        # end dates of temporary employment move, with the year, to stay in the future.
        start = date(rng.randint(1988, 2025), rng.randint(1, 12), rng.randint(1, 28))
        days_left = rng.randint(60, 900)
        end = None
        if employment_type in (EmploymentType.FIXED_TERM, EmploymentType.TEMP, EmploymentType.TRAINEE):
            end = date(self._today.year + 1, 1, 1) + timedelta(days=days_left)
        record = {
            "employee_number": number,
            "name": name,
            "email": email,
            "node": node,
            "job_title": title or rng.choice(TITLES),
            "employment_type": employment_type,
            "start_date": start,
            "end_date": end,
            "password": self._persona_password if persona else None,
            "leader": None,
            "daily": None,
            "persona": persona.key if persona else None,
        }
        self.records.append(record)
        return record


LEADER_TITLES = {0: "Kommunaldirektør", 1: "Direktør", 2: "Afdelingschef", 3: "Kontorchef", 4: "Teamleder"}


def _add_unit_leaders(people: _People, nodes: list[_UnitNode], places: _PersonaUnits) -> None:
    """Unit leaders, top-down: each leads their unit and reports to the leader of the unit above."""
    for node in nodes:
        persona = places.leader_persona(node)
        title = persona.job_title if persona else LEADER_TITLES.get(node.depth, "Leder")
        record = people.new(node, persona=persona, title=title)
        record["leader"] = node.parent.leader_record if node.parent else None
        node.leader_record = record


def _add_members(people: _People, leaves: list[_UnitNode], places: _PersonaUnits, *, count: int) -> list[dict]:
    """Everyone else, spread over the teams, the personas first; each led by their team's leader."""
    specials = [
        (places.team, PERSONAS["employee"]),
        (places.team, PERSONAS["union_rep"]),
        (places.hr, PERSONAS["hr"]),
    ]
    kinds, weights = zip(*EMPLOYMENT_MIX, strict=True)
    members: list[dict] = []
    for node, persona in specials:
        record = people.new(node, persona=persona, title=persona.job_title)
        record["leader"] = node.leader_record
        members.append(record)
    for index in range(count - len(specials)):
        node = leaves[index % len(leaves)] if index < len(leaves) * 2 else people.rng.choice(leaves)
        employment_type = people.rng.choices(kinds, weights)[0]
        record = people.new(node, employment_type=employment_type)
        record["leader"] = node.leader_record
        members.append(record)
    return members


def _add_coordinators(members: list[dict], rng: random.Random) -> set[int]:
    """In bigger teams a coordinator is the daily leader of some of the others; the ids of the
    coordinators' records."""
    by_node: dict[str, list[dict]] = {}
    for record in members:
        by_node.setdefault(record["node"].code, []).append(record)
    coordinators: set[int] = set()
    for team in by_node.values():
        if len(team) >= 8:
            coordinator = next(
                (r for r in team if r["persona"] is None and r["employment_type"] == EmploymentType.PERMANENT), None
            )
            if coordinator is None:
                continue
            coordinator["job_title"] = "Teamkoordinator"
            coordinators.add(id(coordinator))
            for record in team:
                if record is not coordinator and record["persona"] != "employee" and rng.random() < 0.4:
                    record["daily"] = coordinator
    return coordinators


def _insert(records: list[dict], coordinators: set[int]) -> None:
    now = timezone.now()
    user_ids = insert_rows(
        User,
        [
            {
                "email": r["email"],
                "name": r["name"],
                "password": r["password"] or unusable_password(),
                "language": settings.LANGUAGE_CODE,
                "date_joined": now,
            }
            for r in records
        ],
        key="email",
    )

    # Leaders before the people they lead, coordinators before the people they coordinate.
    def phase(record: dict) -> int:
        if record["node"].leader_record is record:
            return record["node"].depth
        return 10 if id(record) in coordinators else 11

    for step in sorted({phase(r) for r in records}):
        batch = [r for r in records if phase(r) == step]
        ids = insert_rows(
            Person,
            [
                {
                    "employee_number": r["employee_number"],
                    "name": r["name"],
                    "email": r["email"],
                    "unit_id": r["node"].unit.pk,
                    "job_title": r["job_title"],
                    "employment_type": r["employment_type"],
                    "start_date": r["start_date"],
                    "end_date": r["end_date"],
                    "personnel_leader_id": r["leader"]["id"] if r["leader"] else None,
                    "daily_leader_id": r["daily"]["id"] if r["daily"] else None,
                    "user_id": user_ids[r["email"]],
                    "created_at": now,
                    "updated_at": now,
                }
                for r in batch
            ],
            key="employee_number",
        )
        for record in batch:
            record["id"] = ids[record["employee_number"]]
    leaders = {}
    for record in records:
        node = record["node"]
        if node.leader_record is record:
            leaders[node.unit.pk] = record["id"]
    update_rows(Unit, ["leader"], leaders.items())

    # Two people whose participation HR has decided by hand, as in real life.
    trainee = Person.objects.filter(employment_type=EmploymentType.TRAINEE).order_by("id").first()
    if trainee:
        Person.objects.filter(pk=trainee.pk).update(
            eligibility_override=True,
            eligibility_override_reason="Elev i sidste år; fastansættelse er aftalt, så MUS giver mening.",
        )
    absent = (
        Person.objects.filter(employment_type=EmploymentType.PERMANENT, job_title="Sagsbehandler")
        .order_by("id")
        .first()
    )
    if absent:
        Person.objects.filter(pk=absent.pk).update(
            eligibility_override=False,
            eligibility_override_reason="Orlov hele året; MUS holdes ved hjemkomst.",
        )


def _assign_roles(nodes: list[_UnitNode]) -> None:
    by_email = {p.email: p for p in Person.objects.filter(email__in=[x.email for x in PERSONAS.values()])}
    directorates = nodes[0].children
    roles = [
        Role(person=by_email[PERSONAS["hr"].email], kind=RoleKind.HR, region="Hele kommunen"),
        Role(person=by_email[PERSONAS["management"].email], kind=RoleKind.MANAGEMENT),
        Role(person=by_email[PERSONAS["dpo"].email], kind=RoleKind.DPO),
        Role(person=by_email[PERSONAS["educator"].email], kind=RoleKind.EDUCATION, region="Hele kommunen"),
    ]
    Role.objects.bulk_create(roles)
    union_rep = Role.objects.create(
        person=by_email[PERSONAS["union_rep"].email], kind=RoleKind.UNION_REP, region=directorates[0].name
    )
    assert directorates[0].unit is not None
    union_rep.units.set([directorates[0].unit])
    # A regional MUS consultant and a union representative for each of the other directorates.
    for directorate in directorates[1:]:
        unit = directorate.unit
        assert unit is not None
        member = (
            Person.objects.filter(unit__path__startswith=unit.path)
            .exclude(unit=unit)
            .exclude(led_units__isnull=False)
            .order_by("employee_number")
        )
        consultant, representative = list(member[:2])
        hr = Role.objects.create(person=consultant, kind=RoleKind.HR, region=directorate.name)
        hr.units.set([unit])
        rep = Role.objects.create(person=representative, kind=RoleKind.UNION_REP, region=directorate.name)
        rep.units.set([unit])
    Role.objects.bulk_create(
        [Role(person_id=d.leader_record["id"], kind=RoleKind.MANAGEMENT) for d in directorates if d.leader_record],
        ignore_conflicts=True,
    )


def _ensure_admin() -> None:
    if not User.objects.filter(email=ADMIN.email).exists():
        User.objects.create_superuser(ADMIN.email, DEMO_PASSWORD, name=ADMIN.name)


def demo_logins() -> list[tuple[str, str]]:
    """(role, e-mail) for every persona, in the order `make run` prints them."""
    return [(p.role_label, p.email) for p in (*PERSONAS.values(), ADMIN)]
