"""Write the two example HR exports from the demo organisation, so they stay true to it when
the demo changes:

    .venv/bin/python examples/make_examples.py

It builds the demo (300 people) in a temporary database, exports it as an HR system would
(semicolons, UTF-8 with a byte order mark, Danish headings and values, dates as DD-MM-YYYY),
applies the changes of a season (hires, moves, leader changes, a new surname, two leavers)
and writes ``hr-eksport.csv``; then it adds six typical mistakes for ``hr-eksport-med-fejl.csv``.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from samtale.org.importing.reader import COLUMNS  # noqa: E402 (after the path is set)

DANISH_TYPES = {
    "permanent": "Fastansat",
    "fixed_term": "Tidsbegrænset",
    "special_terms": "Fleksjob",
    "trainee": "Elev",
    "temp": "Vikar",
    "job_training": "Jobtræning",
}
# The Danish headings, as an HR system in Denmark writes them (without the optional unit leader).
HEADINGS = [aliases[1].capitalize() for column, aliases in COLUMNS.items() if column != "unit_leader_number"]
NEW_TEAM = ("VK-5.2.4", "Team Digital Post", "VK-5.2")
HIRES = [
    [
        "10301",
        "Nanna Kjeldsen",
        "nanna.kjeldsen@vesterby.example",
        *NEW_TEAM,
        "Teamleder",
        "Fastansat",
        "LEADER:VK-5.2",
        "",
        "01-01-2027",
        "",
    ],
    [
        "10302",
        "Mikkel Holm",
        "mikkel.holm@vesterby.example",
        *NEW_TEAM,
        "Konsulent",
        "Tidsbegrænset",
        "10301",
        "",
        "01-01-2027",
        "31-12-2027",
    ],
    [
        "10303",
        "Laura Winther",
        "laura.winther@vesterby.example",
        "VK-1.1.1",
        "Løn og Regnskab",
        "VK-1.1",
        "Lønkonsulent",
        "Fastansat",
        "LEADER:VK-1.1.1",
        "",
        "01-12-2026",
        "",
    ],
    [
        "10304",
        "Ali Hassan",
        "ali.hassan@vesterby.example",
        "VK-1.2.1",
        "UNIT",
        "VK-1.2",
        "Kontorelev",
        "Elev",
        "LEADER:VK-1.2.1",
        "",
        "01-02-2027",
        "31-01-2029",
    ],
]


def danish_date(value: str) -> str:
    if not value:
        return ""
    year, month, day = value.split("-")
    return f"{day}-{month}-{year}"


def write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    path.write_bytes("\ufeff".encode() + buffer.getvalue().encode("utf-8"))


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="samtale-examples-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="samtale.settings",
        SAMTALE_DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir / 'examples.sqlite3'}",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from samtale.demo.organisation import seed_demo
    from samtale.org.exporting import organisation_rows
    from samtale.org.models import Unit

    seed_demo(employees=300)
    leader_column = list(COLUMNS).index("unit_leader_number")
    rows = [
        [v for i, v in enumerate(row) if i != leader_column]
        for row in list(organisation_rows(danish_headings=True))[1:]
    ]
    rows.sort(key=lambda row: int(row[0]))
    by_number = {row[0]: row for row in rows}
    unit_name = dict(Unit.objects.values_list("code", "name"))
    unit_leader = dict(Unit.objects.values_list("code", "leader__employee_number"))
    for row in rows:
        row[7] = DANISH_TYPES[row[7]]
        row[10], row[11] = danish_date(row[10]), danish_date(row[11])

    def move(number: str, unit: str, parent: str, leader: str, name: str | None = None) -> None:
        row = by_number[number]
        row[3], row[4], row[5], row[8] = unit, name or unit_name[unit], parent, leader

    # A season's changes: two move to the new team, one to another team, a new leader, a new
    # surname, a daily leader, and two who have left (they are simply not in the file).
    move("10154", *NEW_TEAM[::2], "10301", name=NEW_TEAM[1])
    move("10229", *NEW_TEAM[::2], "10301", name=NEW_TEAM[1])
    move("10082", "VK-2.2.2", "VK-2.2", unit_leader["VK-2.2.2"])
    by_number["10299"][8] = "10103"
    by_number["10244"][1] += " Friis"
    by_number["10296"][9] = "10122"
    rows = [row for row in rows if row[0] not in ("10259", "10185")]
    for hire in HIRES:
        hire = list(hire)
        if hire[8].startswith("LEADER:"):
            hire[8] = unit_leader[hire[8].removeprefix("LEADER:")]
        if hire[4] == "UNIT":
            hire[4] = unit_name[hire[3]]
        rows.append(hire)
    write(HERE / "hr-eksport.csv", rows)

    # The same file with six mistakes HR systems and spreadsheets make.
    wrong = [list(row) for row in rows]
    line = {row[0]: index + 2 for index, row in enumerate(wrong)}  # line 1 is the headings
    wrong[line["10154"] - 2][8] = "10310"  # a leader's number mistyped
    wrong[line["10296"] - 2][7] = "Timelønnet"  # an employment type Samtale does not know
    wrong[line["10301"] - 2][1] = ""  # a missing name
    wrong[line["10302"] - 2][2] = "mikkel.holm@vesterby,example"  # a comma for a dot
    wrong[line["10304"] - 2][10] = "30-02-2027"  # a day that does not exist
    laura = wrong.pop(line["10303"] - 2)
    laura[0] = "10212"  # a new hire given an existing number, right after its owner
    wrong.insert(line["10212"] - 1, laura)
    write(HERE / "hr-eksport-med-fejl.csv", wrong)
    print(f"wrote {HERE / 'hr-eksport.csv'} and {HERE / 'hr-eksport-med-fejl.csv'}")


if __name__ == "__main__":
    main()
