"""Fixtures for the whole suite. The personas and every helper the tests share live in
samtale/testing/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from samtale.testing import Org, build_org

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    # Tasks run at once in tests (the worker is exercised in its own tests), and static files
    # need no collectstatic manifest.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Nothing kept from another test's database (the round page keeps its counts in the cache).
    cache.clear()


@pytest.fixture(autouse=True)
def _signed_rows_go_before_the_flush(request):  # type: ignore[no-untyped-def]
    """Transactional tests: the shipped concept and activity catalogue are there at the start,
    and signed plans, which the flush cannot delete (the database guards them), are removed at
    the end with the guard lifted for a moment (``remove_signed_rows``)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if not transactional:
        if marker or "db" in request.fixturenames:
            # A transactional test that ran earlier in this process may have flushed what the
            # data migrations ship (the order of tests over the workers is not fixed).
            from samtale.plans.models import ActivityType, activity_catalogue_ensure
            from samtale.rounds.defaults import default_concept_ensure

            request.getfixturevalue("db")
            if not ActivityType.objects.exists():
                activity_catalogue_ensure()
                default_concept_ensure()
        yield
        return
    request.getfixturevalue("transactional_db")
    # What every installation ships by data migration: an earlier transactional test's flush
    # emptied those tables too.
    from samtale.plans.models import activity_catalogue_ensure
    from samtale.rounds.defaults import default_concept_ensure

    default_concept_ensure()
    activity_catalogue_ensure()
    yield
    from samtale.testing import remove_signed_rows

    remove_signed_rows()


@pytest.fixture
def org(db) -> Org:  # type: ignore[no-untyped-def]
    return build_org()


# Browser tests --------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail("axe-core is missing: run `make test` (it runs `npm ci`).")
    return path.read_text()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def audit(axe_source: str):  # type: ignore[no-untyped-def]
    """Run axe-core on the page in the browser and fail on any WCAG 2.1 A/AA violation.

    axe is loaded through the DevTools protocol, not as a <script> tag: the page's Content
    Security Policy (rightly) refuses inline scripts."""

    def run(page) -> None:  # type: ignore[no-untyped-def]
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        violations = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]
        assert not violations, f"axe found WCAG violations on {page.url}: {violations}"

    return run


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    """The demo municipality (small), with the sign-ins `make run` prints."""
    from samtale.org.demo import seed_demo

    seed_demo(employees=80)


@pytest.fixture
def sign_in(live_server):  # type: ignore[no-untyped-def]
    from samtale.org.demo import DEMO_PASSWORD

    def run(page, email: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
        page.goto(live_server.url + "/login/")
        page.get_by_label("E-mailadresse").fill(email)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()

    return run


@pytest.fixture
def mus(org):  # type: ignore[no-untyped-def]
    """A launched round with a conversation for each of the personas who take part."""
    from samtale.testing import build_round

    return build_round(org)
