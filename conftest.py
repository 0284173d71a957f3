"""Fixtures for the whole suite. The personas and every shared helper live in samtale/testing/; the
personas are built once per worker (samtale/testing/built_once.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django.django_compat import is_django_unittest

from samtale.testing import Mus, Org, build_org, build_round
from samtale.testing.built_once import (
    LAYERS_OF_THIS_WORKER,
    Handout,
    Layers,
    layer,
    layer_fixture,
    test_settings_overrides,
    wanted_chain,
)

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL the suite keeps statements prepared, as production does, but plans each run
    for its parameters. A test grows its tables inside one transaction that neither autovacuum nor
    ``ANALYZE`` ever sees, on a connection the whole worker shares; a plan PostgreSQL kept for a
    statement from an earlier test's few rows would go on being used on thousands (production's
    connections last a minute, and new statistics make their plans again: lib.bulk)."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if "prepare_threshold" in options:
        options["options"] = "-c plan_cache_mode=force_custom_plan"


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    # Tasks run at once, static files need no manifest, passwords are hashed fast: the settings the
    # personas built once are built under too (built_once.test_settings_overrides).
    for name, value in test_settings_overrides().items():
        setattr(settings, name, value)
    # Nothing kept from another test's database (the round page keeps its counts in the cache).
    cache.clear()


@pytest.fixture(autouse=True)
def _signed_rows_go_before_the_flush(request):  # type: ignore[no-untyped-def]
    """Transactional tests: the shipped concept and activity catalogue are there at the start,
    and signed plans, which the flush cannot delete (the database guards them), are removed at
    the end with the guard lifted for a moment (``remove_signed_rows``)."""
    if not _transactional(request):
        # Before any other test the layers put it back, committed (samtale/testing/built_once.py).
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
    if "live_server" in request.fixturenames:
        _requests_finished(request.getfixturevalue("live_server"))
    from samtale.testing import remove_signed_rows

    remove_signed_rows()


def _requests_finished(server, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Wait for the live server's requests still running (the browser has closed): they share
    the test's database connection, and must not run on into the flush or the next test."""
    threads = getattr(getattr(server.thread, "httpd", None), "_threads", None) or []
    for thread in list(threads):
        thread.join(timeout)


def _transactional(request: pytest.FixtureRequest) -> bool:
    """Whether pytest-django runs the test as a TransactionTestCase (and flushes after it)."""
    marker = request.node.get_closest_marker("django_db")
    if marker and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args[:1] == (True,)
    ):
        return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(request.fixturenames))


# The personas, built once per worker ------------------------------------------------------------


@pytest.fixture(scope="session")
def _built_once_layers(django_db_setup, django_db_blocker) -> Iterator[Layers]:  # type: ignore[no-untyped-def]
    yield LAYERS_OF_THIS_WORKER
    with django_db_blocker.unblock():
        LAYERS_OF_THIS_WORKER.close_all()


@pytest.fixture
def _built_once_beneath(request, _built_once_layers: Layers, django_db_blocker) -> Iterator[Handout]:  # type: ignore[no-untyped-def]
    """The layers this test needs, open beneath it (or none, for a transactional test)."""
    if is_django_unittest(request):
        yield Handout(chain=[])
        return
    transactional = _transactional(request)
    with django_db_blocker.unblock():
        if transactional:
            _built_once_layers.before_transactional()
            chain = []
        else:
            chain = wanted_chain(request)
            _built_once_layers.prepare(chain)
    yield Handout(chain=chain)
    if transactional:
        _built_once_layers.after_transactional()


@pytest.fixture
def _django_db_helper(_built_once_beneath, _django_db_helper):  # type: ignore[no-untyped-def]
    """pytest-django's fixture that opens each test's transaction (or sets up a transactional
    test), with the layers put in place first: the first argument is set up first. Every way
    to the database goes through it (``db``, ``transactional_db``, the ``django_db`` mark), so
    the layers are always beneath the test's transaction. (It is pytest-django's own, private
    fixture, overridden here by name: if a later pytest-django renames it, the self-tests in
    samtale/testing/tests/test_built_once.py fail.)"""
    return _django_db_helper


@pytest.fixture
def _built_once(_built_once_beneath: Handout, db: None) -> Handout:
    return _built_once_beneath


@pytest.fixture(autouse=True, scope="class")
def _built_once_not_beneath_a_django_test_case(request) -> None:  # type: ignore[no-untyped-def]
    """A Django TestCase class opens its own transaction for its class-wide data: on an empty
    database, as always."""
    if is_django_unittest(request):
        layers = request.getfixturevalue("_built_once_layers")
        with request.getfixturevalue("django_db_blocker").unblock():
            layers.before_transactional()


def _mus(org: Org) -> Mus:
    """A launched round with a conversation for each of the personas who take part."""
    return build_round(org)


org = layer_fixture(layer("org", build_org))
mus = layer_fixture(layer("mus", _mus, on="org"))


# Browser tests --------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests run first. They are the longest (up to half a minute each), and the
    surveys' came last in the collection: started at the end of a run they kept one worker busy
    long after the other had finished. (The same order in every xdist worker, as xdist requires.)"""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


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
def live_server(django_db_setup, playwright, live_server):  # type: ignore[no-untyped-def]
    """pytest-django's live server, started once the test database is there and Playwright runs,
    so that its threads share the test's connection to SQLite's in-memory database, as Django
    means them to. Started before either (as the first test of a worker), its threads each
    opened a connection of their own; and once Playwright's sync API runs an event loop in the
    main thread, Django gives the main thread another connection than before. Either way a
    request still running as a test ended held a lock on a table the test's flush then could not
    empty ("database table is locked").

    Its requests are served one at a time: they share that one connection, and two at once (a
    page and the menu's count the page asks for as it loads) broke SQLite's cursor ("bad parameter
    or other API misuse"). A real server gives each request its own connection."""
    _serve_one_at_a_time(live_server.thread.httpd)
    return live_server


def _serve_one_at_a_time(httpd) -> None:  # type: ignore[no-untyped-def]
    import threading

    app, lock = httpd.get_app(), threading.Lock()

    def serial(environ, start_response):  # type: ignore[no-untyped-def]
        with lock:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    httpd.set_app(serial)


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
        page.wait_for_load_state()  # a page still arriving has no document to audit yet
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


# A phone and a laptop: the widths every page must read at (WCAG 2.1 reflow, 1.4.10).
SCREENS = ({"width": 390, "height": 844}, {"width": 1280, "height": 800})


@pytest.fixture
def fits(audit):  # type: ignore[no-untyped-def]
    """The page on a 390 px phone and at 1280 px: it never scrolls sideways, and axe finds nothing
    at either width. The viewport is left at 1280 px."""

    def run(page) -> None:  # type: ignore[no-untyped-def]
        for screen in SCREENS:
            page.set_viewport_size(screen)
            page.wait_for_load_state()
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {screen['width']}px"
            audit(page)

    return run


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    """The demo municipality (small), with the sign-ins `make run` prints."""
    from samtale.demo.organisation import seed_demo

    seed_demo(employees=80)


@pytest.fixture
def sign_in(live_server):  # type: ignore[no-untyped-def]
    from samtale.demo.organisation import DEMO_PASSWORD

    def run(page, email: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
        page.goto(live_server.url + "/login/")
        page.get_by_label("E-mailadresse").fill(email)
        page.get_by_label("Adgangskode").fill(password)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()

    return run
