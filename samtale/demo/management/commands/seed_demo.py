from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from samtale.demo.organisation import DEMO_PASSWORD, demo_logins, seed_demo


class Command(BaseCommand):
    help = (
        "Build the fictitious demo organisation (Vesterby Kommune) with known sign-ins for each role, "
        "and a launched round over it (MUS-2027 in the winter 2026/27). Does nothing if they are there already."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--employees", type=int, default=300, help="About how many people (default 300).")
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")
        parser.add_argument("--no-round", action="store_true", help="Leave out the demo round.")

    def handle(self, *args: Any, employees: int, quiet: bool, no_round: bool, **options: Any) -> None:
        from samtale.demo.competences import demo_competences_seed
        from samtale.demo.evaluations import demo_surveys_seed
        from samtale.demo.round import demo_round_seed  # the organisation first, then the round over it

        result = seed_demo(employees=employees)
        if result.created:
            self.stdout.write(f"Demo organisation created: {result.people} people in {result.units} units.")
        else:
            self.stdout.write(f"Demo organisation already present ({result.people} people); nothing changed.")
        if not no_round and (round_ := demo_round_seed()) is not None:
            self.stdout.write(f"Demo round {round_.name} launched: {round_.conversations.count()} conversations.")
            demo_surveys_seed(round_)
            self.stdout.write(f"Demo evaluations of {round_.name}: the 360 of the leaders closed, the round's open.")
        if demo_competences_seed():
            self.stdout.write("Demo competences and courses: 40 competences, 30 courses, levels for most people.")
        if not quiet:
            self.stdout.write(f"\nSign in at {settings.BASE_URL} with password: {DEMO_PASSWORD}")
            for role, email in demo_logins():
                self.stdout.write(f"  {role:<36} {email}")
