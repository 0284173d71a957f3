"""Everything the tests share, in one package: test modules import their helpers from here, never
from another test module.

- ``personas``: the organisation of the personas (``build_org``), its round (``build_round``) and
  the ``make_*`` helpers; re-exported here, as ``from samtale.testing import Org, build_org``.
- ``built_once``: the personas built once per worker and kept beneath each test's transaction
  (the ``org`` and ``mus`` fixtures of conftest.py, and ``@built_once`` for a module's own data).
- ``queries``: the same queries at two sizes of the organisation (``assert_same_queries``).
- a module per area for the helpers its tests share: ``scheduling``, ``plans``, ``signing``,
  ``follow_up``, ``reminders``, ``rounds``, ``oversight``, ``surveys``, ``access``,
  ``import_files``, ``mailers``, ``smtp_sink``.
"""

from samtale.testing.personas import (
    FAST_PASSWORD_HASHERS,
    PASSWORD,
    Mus,
    Org,
    build_org,
    build_round,
    csv_bytes,
    grow_org,
    launch_demo_round,
    make_person,
    make_role,
    make_unit,
    remove_signed_rows,
    weekend_day,
    working_day,
)

__all__ = [
    "FAST_PASSWORD_HASHERS",
    "PASSWORD",
    "Mus",
    "Org",
    "build_org",
    "build_round",
    "csv_bytes",
    "grow_org",
    "launch_demo_round",
    "make_person",
    "make_role",
    "make_unit",
    "remove_signed_rows",
    "weekend_day",
    "working_day",
]
