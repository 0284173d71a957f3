"""Data built once per worker and kept beneath each test's transaction: the idea of Django's
``TestCase.setUpTestData``, for pytest and across modules.

Building the personas' organisation and launching their round (which renders and sends fifteen
e-mails) took far longer than most tests that use them. Now each is a *layer*: built once, in its
own transaction (the organisation) or savepoint (the round, and a module's own data on top of it),
and left open. pytest-django's per-test transaction is then a savepoint above the layers, rolled
back after each test as before, so every test starts from the layers exactly as they were built.

- A test that needs fewer layers than are open (the organisation but no round; no personas at
  all) has the ones above rolled back first; a test that needs more has them built.
- A transactional test (``transactional_db``, ``live_server``, ``django_db(transaction=True)``)
  and a Django ``TestCase`` class start, as always, from an empty database: every layer is
  rolled back before them, and built again for the next test that needs it. A transactional
  test's flush also empties what the data migrations ship; that is put back, committed, before
  the next test (it used to be put back inside each later test, and rolled back with it).
- The objects a test gets (``org``, ``mus``, ...) are new copies of the layers' objects as they
  were just after the build (unpickled, or deep-copied), so nothing an earlier test did to them in
  Python reaches a later test; the rows are the same rows, as rolled back.
- What the build sent to ``mail.outbox`` is put there again, as copies, for each test that gets
  the layer, where the fixture built in the test used to put it.
- The layers are built again when the local date has changed since (the round opens "today"),
  and under the settings every test runs with (``test_settings_overrides``).
- A layer is *not* used for a test in which another of the suite's fixtures may change what it
  is built from first: one that depends on a layer below it but not on it (``_english(org)``
  before ``mus``), or on ``settings`` or ``monkeypatch``. There the layer's fixture builds it
  inside the test's transaction, as before.

The ``org`` and ``mus`` fixtures of conftest.py are layers; a module adds its own with
``@built_once(on="mus")`` (test_matrix_surveys.py). The machinery is wired in through conftest.py's
``_django_db_helper``, which makes sure the layers are in place before pytest-django opens the
test's transaction.
"""

from __future__ import annotations

import copy
import inspect
import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from samtale.testing.personas import FAST_PASSWORD_HASHERS


def test_settings_overrides() -> dict[str, Any]:
    """The settings every test runs with (conftest.py's ``_test_settings`` applies them to each
    test, and the layers are built under them): tasks run at once (the worker is exercised in its
    own tests), static files need no collectstatic manifest and are looked up when asked for, and
    passwords are hashed fast."""
    from django.conf import settings

    return {
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "PASSWORD_HASHERS": FAST_PASSWORD_HASHERS,
        # Every test's Client builds the middleware again, and WhiteNoise would read every static
        # file's headers each time (0.1 s a client); looking a file up when it is asked for serves
        # the same files.
        "WHITENOISE_AUTOREFRESH": True,
        # Every statement lib.queries keeps is compiled again in every test and must be the same.
        "SAMTALE_QUERIES_CHECKED": True,
    }


@dataclass(frozen=True)
class Layer:
    """Data built once: ``build`` takes the values of the layers below it by name (``org``, ``mus``)
    and returns this layer's value, which the fixture of the same name hands to each test."""

    name: str
    on: str | None
    build: Callable[..., Any]
    params: tuple[str, ...]

    def chain(self) -> list[Layer]:
        """This layer and those below it, from the bottom."""
        below = LAYERS[self.on].chain() if self.on else []
        return [*below, self]


LAYERS: dict[str, Layer] = {}
_MARK = "_samtale_built_once"


def layer(name: str, build: Callable[..., Any], *, on: str | None = None) -> Layer:
    """Register a layer (once: the names are global to the suite)."""
    if on is not None and on not in LAYERS:
        raise ValueError(f"built_once: {name!r} is built on {on!r}, which is no layer")
    existing = LAYERS.get(name)
    if existing is not None and existing.build is not build:
        raise ValueError(f"built_once: a layer named {name!r} exists already (the names are global)")
    params = tuple(inspect.signature(build).parameters)
    chain = set(LAYERS[on].chain() if on else [])
    unknown = [p for p in params if p not in {below.name for below in chain}]
    if unknown:
        raise ValueError(f"built_once: {name!r} asks for {unknown}, which are not layers below it")
    LAYERS[name] = Layer(name=name, on=on, build=build, params=params)
    return LAYERS[name]


def built_once(*, on: str) -> Callable[[Callable[..., Any]], Any]:
    """A fixture whose value is built once per worker on the layer ``on`` and rolled back to after
    each test (see the module's docstring). The function takes the layers below by name::

        @built_once(on="mus")
        def surveys(org: Org, mus: Mus) -> dict[str, Any]:
            ...
    """

    def decorate(build: Callable[..., Any]) -> Any:
        entry = layer(build.__name__, build, on=on)
        return layer_fixture(entry)

    return decorate


def layer_fixture(entry: Layer) -> Any:
    """The pytest fixture that hands a layer's value to a test. It asks for the layers below by
    name (its signature says so, for pytest), so they are handed out first, as their fixtures
    always were."""

    def fixture(_built_once: Handout, **below: Any) -> Any:
        return _built_once.value(entry, below)

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    fixture.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, kind) for name in ("_built_once", *entry.params)]
    )
    fixture.__name__ = entry.name
    fixture.__doc__ = entry.build.__doc__
    setattr(fixture, _MARK, entry.name)
    return pytest.fixture(name=entry.name)(fixture)


def _item_layer_fixtures(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    """The layers among the test's fixtures, each with the names of the fixtures it depends on."""
    info = getattr(request.node, "_fixtureinfo", None)
    found: dict[str, list[str]] = {}
    if info is None:
        return found
    for name in request.fixturenames:
        definitions = info.name2fixturedefs.get(name) or ()
        if definitions and getattr(definitions[-1].func, _MARK, None) == name and name in LAYERS:
            found[name] = list(definitions[-1].argnames)
    return found


def _depends_on(info: Any, name: str, target: str, seen: set[str] | None = None) -> bool:
    seen = set() if seen is None else seen
    definitions = info.name2fixturedefs.get(name) or ()
    if not definitions:
        return False
    for argname in definitions[-1].argnames:
        if argname == target:
            return True
        if argname not in seen:
            seen.add(argname)
            if _depends_on(info, argname, target, seen):
                return True
    return False


# Fixtures that change what a layer is built from, if they run before it: the organisation below it,
# the settings, anything patched. (``_test_settings`` applies the settings the layers are built under.)
_GROUND = ("settings", "monkeypatch")
_NOT_MEDDLING = {"_test_settings"}


def _ours(info: Any, name: str) -> bool:
    """A fixture of the suite's own (a plugin's fixtures do not change the personas' ground)."""
    definitions = info.name2fixturedefs.get(name) or ()
    module = getattr(definitions[-1].func, "__module__", "") if definitions else ""
    return module == "conftest" or module.startswith("samtale.")


def wanted_chain(request: pytest.FixtureRequest) -> list[Layer]:
    """The layers to have open beneath this test: the chain of the deepest layer it asks for, cut
    below the first layer that another of its fixtures might change the ground of before it is
    built (that one, and those above it, the test's fixtures build inside its transaction)."""
    wanted = _item_layer_fixtures(request)
    if not wanted:
        return []
    chains = [LAYERS[name].chain() for name in wanted]
    deepest = max(chains, key=len)
    names = [entry.name for entry in deepest]
    for chain in chains:
        if [entry.name for entry in chain] != names[: len(chain)]:
            raise pytest.UsageError(
                f"{request.node.nodeid}: the layers {[e.name for e in chain]} and {names} are not one chain"
            )
    info = getattr(request.node, "_fixtureinfo", None)
    others = [
        name
        for name in request.fixturenames
        if name not in wanted and name not in _NOT_MEDDLING and not name.startswith("_built_once") and _ours(info, name)
    ]
    usable: list[Layer] = []
    for entry in deepest:
        ground = [*_GROUND, *(below.name for below in usable)]
        meddlers = [
            name
            for name in others
            if any(_depends_on(info, name, g) for g in ground) and not _depends_on(info, name, entry.name)
        ]
        if meddlers:
            break
        usable.append(entry)
    return usable


class Frozen:
    """A value kept as it is now, thawed into a new copy for each test: pickled (a model instance
    comes back from pickle several times faster than from copy.deepcopy), else deep-copied."""

    def __init__(self, value: Any) -> None:
        try:
            self.pickled: bytes | None = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self.value = None
        except (pickle.PicklingError, TypeError, AttributeError):
            self.pickled = None
            self.value = copy.deepcopy(value)

    def thaw(self) -> Any:
        if self.pickled is not None:
            return pickle.loads(self.pickled)  # noqa: S301 (our own bytes, made a moment ago)
        return copy.deepcopy(self.value)


@dataclass
class _Open:
    layer: Layer
    atomic: Any
    values: Frozen  # every layer's value up to this one, as just after the build
    mails: Frozen  # what the build sent to mail.outbox
    built_on: date


class Layers:
    """The open layers of this worker's connection, bottom first."""

    def __init__(self) -> None:
        self.open: list[_Open] = []
        # The connection (Django's DatabaseWrapper) the layers are open on. Not always the one
        # the ORM hands out next: once Playwright's sync API has started (a browser test), an
        # event loop runs in the main thread and Django keeps its connections per context from
        # then on, so the tests after it get another connection than the tests before it.
        self.wrapper: Any = None
        # What the data migrations ship may be missing: put it back before the first test, and
        # after every transactional test's flush.
        self.flushed = True

    def names(self) -> list[str]:
        return [entry.layer.name for entry in self.open]

    # Opening and closing ---------------------------------------------------------------------

    def prepare(self, chain: list[Layer]) -> None:
        """Open exactly ``chain`` beneath the test about to start (a non-transactional one)."""
        self._leave_another_connection()
        self._check_intact()
        if self.flushed:
            self.close_all()
            self._ship()
        if self.open and self.open[0].built_on != timezone.localdate():
            self.close_all()  # built on another day: "today" has moved on beneath them
        names = [entry.name for entry in chain]
        keep = 0
        while keep < min(len(self.open), len(names)) and self.open[keep].layer.name == names[keep]:
            keep += 1
        while len(self.open) > keep:
            self._close_top()
        for entry in chain[keep:]:
            self._build(entry)

    def before_transactional(self) -> None:
        """A transactional test (or a Django TestCase class) starts from an empty database."""
        self._leave_another_connection()
        self._check_intact()
        self.close_all()

    def after_transactional(self) -> None:
        self.flushed = True

    def close_all(self) -> None:
        with self._on_their_connection():
            while self.open:
                self._close_top()

    def _close_top(self) -> None:
        entry = self.open.pop()
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.atomic_blocks and connection.atomic_blocks[-1] is entry.atomic:
            transaction.set_rollback(True)
            entry.atomic.__exit__(None, None, None)

    @contextmanager
    def _on_their_connection(self) -> Iterator[None]:
        """The ORM on the connection the layers are open on, for a moment."""
        current = connections[DEFAULT_DB_ALIAS]
        if self.wrapper is None or self.wrapper is current:
            yield
            return
        connections[DEFAULT_DB_ALIAS] = self.wrapper
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = current

    def _leave_another_connection(self) -> None:
        """Layers open on a connection the ORM no longer hands out are rolled back (their
        transaction would lock the other connection out of SQLite's shared in-memory database)."""
        if self.wrapper is not connections[DEFAULT_DB_ALIAS]:
            self.close_all()
            self.wrapper = None

    def _check_intact(self) -> None:
        """The layers' atomic blocks are the connection's: nothing above them is left open by a
        test; if one of them went with its connection (closed in the transaction), start again."""
        connection = connections[DEFAULT_DB_ALIAS]
        blocks = list(connection.atomic_blocks)
        ours = [entry.atomic for entry in self.open]
        if len(blocks) > len(ours) or blocks != ours[: len(blocks)]:
            raise RuntimeError(f"built_once: atomic blocks other than the layers {self.names()} are open before a test")
        del self.open[len(blocks) :]
        if connection.needs_rollback or connection.closed_in_transaction:
            self.close_all()

    def _ship(self) -> None:
        """What the data migrations ship (a transactional test's flush emptied those tables too),
        committed, beneath every layer."""
        from samtale.plans.models import ActivityType, activity_catalogue_ensure
        from samtale.rounds.defaults import default_concept_ensure

        assert not self.open
        if not ActivityType.objects.exists():
            activity_catalogue_ensure()
            default_concept_ensure()
        self.flushed = False

    def _build(self, entry: Layer) -> None:
        values = self.open[-1].values.thaw() if self.open else {}  # the build changes its own copies
        if not self.open:
            self.wrapper = connections[DEFAULT_DB_ALIAS]
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        atomic._from_testcase = True  # type: ignore[attr-defined]  # like TestCase's: durable blocks may open above
        atomic.__enter__()
        outbox = getattr(mail, "outbox", None)
        sent_before = len(outbox) if outbox is not None else 0
        try:
            with override_settings(**test_settings_overrides()):
                values[entry.name] = entry.build(**{name: values[name] for name in entry.params})
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(*sys.exc_info())
            if outbox is not None:
                del outbox[sent_before:]
            raise
        mails: list[Any] = []
        if outbox is not None:
            mails = list(outbox[sent_before:])
            del outbox[sent_before:]
        self.open.append(
            _Open(
                layer=entry,
                atomic=atomic,
                values=Frozen(values),
                mails=Frozen(mails),
                built_on=timezone.localdate(),
            )
        )


LAYERS_OF_THIS_WORKER = Layers()


@dataclass
class Handout:
    """What one test gets of the layers: one deep copy of all their values (so that the objects
    refer to one another as they did when built), and each layer's e-mails as it is handed out."""

    chain: list[Layer]
    values: dict[str, Any] | None = None
    handed: dict[str, Any] = field(default_factory=dict)

    def value(self, entry: Layer, below: dict[str, Any]) -> Any:
        if entry.name in self.handed:
            return self.handed[entry.name]
        layers = LAYERS_OF_THIS_WORKER
        if entry in self.chain:
            assert layers.names() == [e.name for e in self.chain], (layers.names(), self.chain)
            if self.values is None:
                self.values = layers.open[len(self.chain) - 1].values.thaw()
            value = self.values[entry.name]
            outbox = getattr(mail, "outbox", None)
            if outbox is not None:
                outbox.extend(layers.open[self.chain.index(entry)].mails.thaw())
        else:
            # Not kept for this test: built here, inside the test's transaction, as it always was.
            value = entry.build(**below)
        self.handed[entry.name] = value
        return value
