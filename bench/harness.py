"""What the benchmarks share: a Django environment of their own, and a fresh database for every
run (SQLite: a copied file; PostgreSQL: a database made from a template)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def configure(database: str, workdir: Path) -> str:
    """Set the Django environment before Django is imported; returns the database URL."""
    if database == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@localhost/postgres")
        parts = urlsplit(base)
        url = urlunsplit(parts._replace(path=f"/samtale_bench_{os.getpid()}"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "samtale.settings"
    os.environ["SAMTALE_DEBUG"] = "1"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SAMTALE_IMPORT_MAX_MB", "100")
    return url


ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def code_version() -> str:
    """A digest of every Python file of Samtale and of the benchmarks: a cached database is used
    only by the same code that built it."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "samtale").rglob("*.py"), *(ROOT / "bench").glob("*.py")]):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_day() -> Any:
    """Today in Samtale's time zone (the settings' default; Django may not be set up yet)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(os.environ.get("SAMTALE_TIME_ZONE") or "Europe/Copenhagen")).date()


class FreshDatabase:
    """A migrated database, and a fresh copy of it for every run.

    With ``cache`` (a name for what ``setup`` builds, e.g. ``history-50000``) the built template
    is kept after the run, under ``bench/.cache`` (SQLite) or as a database of its own
    (PostgreSQL), and used again by the next benchmark that asks for the same thing with the same
    code: ``make bench`` builds each organisation once per database."""

    def __init__(self, database: str, workdir: Path, *, cache: str | None = None) -> None:
        self.database = database
        self.workdir = workdir
        # A history is built around the day it is built on (the demo round's times lie days ahead
        # of it), so a cached one serves that day only.
        self.cache = f"{cache}-{code_version()}-{build_day():%Y%m%d}" if cache else None

    def _template_name(self) -> str:
        from django.conf import settings

        if self.cache:
            return f"samtale_bench_cache_{self.cache.replace('-', '_')}"
        return f"{settings.DATABASES['default']['NAME']}_template"

    def _cached(self) -> bool:
        if not self.cache:
            return False
        if self.database == "sqlite":
            return (CACHE / f"{self.cache}.sqlite3").exists()
        with self._admin() as admin:
            return (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self._template_name()]).fetchone()
                is not None
            )

    def _admin(self) -> Any:
        import psycopg
        from django.conf import settings

        db = settings.DATABASES["default"]
        return psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        )

    def prepare(self, setup: Callable[[], object] | None = None) -> None:
        """Migrate (and run ``setup``, e.g. to build an organisation) once, as the template."""
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        name = settings.DATABASES["default"]["NAME"]
        if self._cached():
            if self.database == "sqlite":
                shutil.copy(CACHE / f"{self.cache}.sqlite3", self.workdir / "template.sqlite3")
            return
        if self.database == "postgres":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0)
        if setup is not None:
            setup()
            if self.database == "postgres":
                # The planner's statistics and the visibility map, as autovacuum keeps them on a
                # live database (else the first benchmark would pay for the bulk load's cleanup).
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        connection.close()
        if self.database == "sqlite":
            shutil.copy(name, self.workdir / "template.sqlite3")
            if self.cache:
                CACHE.mkdir(exist_ok=True)
                for old in CACHE.glob(f"{self.cache.rsplit('-', 1)[0]}-*.sqlite3"):
                    old.unlink()  # built by other code
                shutil.copy(name, CACHE / f"{self.cache}.sqlite3")
        else:
            template = self._template_name()
            with self._admin() as admin:
                if self.cache:  # built by other code
                    prefix = template.rsplit("_", 1)[0] + "_"
                    for (old,) in admin.execute(
                        "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix]
                    ):
                        admin.execute(f'DROP DATABASE IF EXISTS "{old}"')
                admin.execute(f'DROP DATABASE IF EXISTS "{template}"')
                admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{template}"')

    def reset(self) -> None:
        from django.conf import settings
        from django.db import connection

        connection.close()
        name = settings.DATABASES["default"]["NAME"]
        if self.database == "sqlite":
            for suffix in ("-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
            shutil.copy(self.workdir / "template.sqlite3", name)
        else:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template_name()}"')

    def drop(self) -> None:
        from django.conf import settings
        from django.db import connection

        connection.close()
        name = settings.DATABASES["default"]["NAME"]
        if self.database == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
        else:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                if not self.cache:
                    admin.execute(f'DROP DATABASE IF EXISTS "{self._template_name()}"')


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform
    import sqlite3

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory_kb = 0
    postgres = ""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        try:
            with psycopg.connect(
                dbname="postgres",
                user=parts.username,
                password=parts.password,
                host=parts.hostname,
                port=parts.port or 5432,
            ) as admin:
                row = admin.execute("SHOW server_version").fetchone()
                postgres = str(row[0]) if row else ""
        except psycopg.Error:
            postgres = "unreachable"
    about = {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
    }
    about["text"] = (
        f"{about['cores']} cores ({cpu or 'unknown CPU'}), {about['memory_gib']} GiB, {about['system']}, "
        f"Python {about['python']}, SQLite {about['sqlite']}" + (f", PostgreSQL {postgres}" if postgres else "")
    )
    return about


def figure(
    measure: str,
    values: list[float],
    *,
    unit: str,
    database: str,
    people: int,
    target: float | None = None,
    higher_is_better: bool = False,
    note: str = "",
) -> dict[str, Any]:
    """One line of the results: the median of ``values`` with their lowest and highest, and
    whether it meets ``target`` (at most, or at least when higher is better)."""
    import statistics

    median = statistics.median(values)
    met = None if target is None else (median >= target if higher_is_better else median <= target)
    return {
        "measure": measure,
        "database": database,
        "people": people,
        "median": median,
        "low": min(values),
        "high": max(values),
        "runs": len(values),
        "unit": unit,
        "target": target,
        "higher_is_better": higher_is_better,
        "met": met,
        "note": note,
    }


def write_figures(path: str | None, figures: list[dict[str, Any]]) -> None:
    """Append the figures to a JSON file (a list) that ``bench/run.py`` gathers, if one is named."""
    if not path:
        return
    import json

    target = Path(path)
    existing = json.loads(target.read_text()) if target.exists() else []
    target.write_text(json.dumps([*existing, *figures], indent=1, ensure_ascii=False))


def start(database: str, *, static: bool = False) -> Path:
    """A benchmark's Django: a working folder, the environment for ``database``, Django set up
    without DEBUG's log of every query (production keeps none), and with ``static`` the static
    files collected (gunicorn serves them from the manifest). Returns the working folder."""
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="samtale-bench-"))
    configure(database, workdir)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    if static:
        call_command("collectstatic", "--noinput", verbosity=0)
    return workdir
