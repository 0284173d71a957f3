"""The people search folds Danish letters on SQLite through a function every connection gets
(``samtale.lib.casefold``). It must be there on a connection opened right after start-up, before
any search module is imported, as the first request of a fresh process opens one."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT samtale_casefold('ÆRØ Åse')")
    print(cursor.fetchone()[0])
"""


def test_a_connection_opened_at_start_up_folds_danish_letters() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samtale.settings",
        "SAMTALE_DEBUG": "1",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ærø åse"
