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


class FreshDatabase:
    """A migrated database, and a fresh copy of it for every run."""

    def __init__(self, database: str, workdir: Path) -> None:
        self.database = database
        self.workdir = workdir

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
        if self.database == "postgres":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0)
        if setup is not None:
            setup()
            if self.database == "postgres":
                # The planner's statistics, as autovacuum keeps them on a live database.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        connection.close()
        if self.database == "sqlite":
            shutil.copy(name, self.workdir / "template.sqlite3")
        else:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}_template"')
                admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{name}_template"')

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
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_template"')

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
                admin.execute(f'DROP DATABASE IF EXISTS "{name}_template"')


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
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = str(cursor.fetchone()[0])
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
