"""The round's flows as simulated people do them, for ``bench/load.py`` (locust, headless).

Each simulated person signs in once through the sign-in form (their own account, from the file
``SAMTALE_LOCUST_PEOPLE`` names), then works, pausing between steps as long as
``SAMTALE_LOCUST_PACE`` says ("2-8": two to eight seconds, a person reading a page or typing an
answer; "1-3": brisk clicking, the machine's ceiling):

- an employee preparing: the start page, the conversation, the preparation (autosaved as they
  type, as htmx does), now and then the plan;
- an employee writing their plan: the plan, the form, and saving it (the form read and posted
  back, answered by a redirect);
- a leader: the team, a team member's meeting guide;
- HR (two of them, whatever the number of users): the completion overview of the round and a
  team's people.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

from webform import FormFields

PEOPLE: dict[str, list[dict[str, Any]]] = json.loads(Path(os.environ["SAMTALE_LOCUST_PEOPLE"]).read_text())
NEXT = {role: itertools.cycle(people) for role, people in PEOPLE.items()}

# Which application process answered each request (``proc`` in the Server-Timing header), counted
# from the same moment as locust's statistics and written where ``SAMTALE_LOCUST_SERVED_BY`` says.
PROCESS = re.compile(r'proc;desc="(\d+)"')
SERVED_BY: collections.Counter[str] = collections.Counter()


@events.request.add_listener
def served_by(response: Any = None, **_: Any) -> None:
    match = PROCESS.search(response.headers.get("Server-Timing", "")) if response is not None else None
    if match:
        SERVED_BY[match[1]] += 1


SIGNED_IN = itertools.count(1)  # the number of the next person to finish signing in


def everyone_signed_in(environment: Any) -> None:
    """The figures start once every simulated person has signed in: a password check is meant to
    be slow, and the start of a load test is not the round at work."""
    environment.runner.stats.reset_all()
    SERVED_BY.clear()


@events.quitting.add_listener
def served_by_write(**_: Any) -> None:
    if path := os.environ.get("SAMTALE_LOCUST_SERVED_BY"):
        Path(path).write_text(json.dumps(SERVED_BY))


def form_of(html: str, form_id: str) -> list[tuple[str, str]]:
    form = FormFields(form_id)
    form.feed(html)
    return form.fields


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*(float(s) for s in os.environ.get("SAMTALE_LOCUST_PACE", "2-8").split("-")))

    def on_start(self) -> None:
        self.me = next(NEXT[self.role])
        page = self.client.get("/login/", name="sign-in page")
        fields = dict(form_of(page.text, ""))
        self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                "username": self.me["email"],
                "password": self.me["password"],
            },
            headers={"Referer": f"{self.host}/login/"},
            name="sign in",
        )
        if next(SIGNED_IN) == self.environment.runner.target_user_count:
            everyone_signed_in(self.environment)

    def check(self, response: Any) -> None:
        """A page that is not there, or the sign-in page instead of it, counts as an error."""
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
        elif "/login/" in response.url:
            response.failure("signed out")

    def page(self, name: str) -> str:
        with self.client.get(self.me["urls"][name], name=name, catch_response=True) as response:
            self.check(response)
            return str(response.text)

    def post_form(self, name: str, form_id: str, change: Callable[[str, str], str], *, htmx: bool = False) -> None:
        text = self.page(name)
        fields = [(key, change(key, value)) for key, value in form_of(text, form_id)]
        headers = {"Referer": f"{self.host}{self.me['urls'][name]}"}
        if htmx:
            headers["HX-Request"] = "true"
        with self.client.post(
            self.me["urls"][name], data=fields, headers=headers, name=f"{name} (save)", catch_response=True
        ) as response:
            self.check(response)


class Preparing(Person):
    role = "preparing"
    weight = 6

    @task(2)
    def home(self) -> None:
        self.page("home")

    @task(2)
    def conversation(self) -> None:
        self.page("conversation")

    @task(4)
    def prepare(self) -> None:
        def answer(key: str, value: str) -> str:
            return value if key == "csrfmiddlewaretoken" else "Det gik godt med det nye system."

        self.post_form("preparation", "preparation-form", answer, htmx=True)


class Writing(Person):
    role = "writing"
    weight = 2

    @task(2)
    def plan(self) -> None:
        self.page("plan")

    @task(3)
    def write(self) -> None:
        def goal(key: str, value: str) -> str:
            return "Kan selv køre lønkørslen i det nye system" if key == "goal-0-text" else value

        self.post_form("plan edit", "plan-form", goal)


class Leading(Person):
    role = "leading"
    weight = 1

    @task
    def team(self) -> None:
        self.page("team")

    @task
    def guide(self) -> None:
        self.page("meeting guide")


class Overseeing(Person):
    role = "overseeing"
    fixed_count = 2  # a round has a few HR consultants following it, not one in ten of its users

    @task(2)
    def overview(self) -> None:
        self.page("overview")

    @task
    def drill_down(self) -> None:
        self.page("drill-down")
