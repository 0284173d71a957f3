"""Signed means frozen (docs/trust.md § Signed means frozen), held by the database itself (migration
0002), on SQLite and on PostgreSQL (run this file with DATABASE_URL naming a PostgreSQL database, as
`make test-postgres` does): whatever code tries — raw SQL, QuerySet.update, a model's save, a delete
— a signed version's content never changes, and a signature is never changed or deleted. And the
hash is computed from canonical bytes, so it is the same whichever database stored the JSON."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from samtale.plans import content
from samtale.plans.models import PlanVersion, Signature
from samtale.plans.services.signing import current_version
from samtale.testing import Mus, Org
from samtale.testing.signing import edit_current, signed_plan, submitted_plan

REFUSED = (IntegrityError, DatabaseError)


def _refused(action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(REFUSED), transaction.atomic():
        action()


def _version_table() -> str:
    return connection.ops.quote_name(PlanVersion._meta.db_table)


def test_a_raw_update_of_a_signed_versions_content_is_refused(org: Org, mus: Mus) -> None:
    version = current_version(signed_plan(org, mus))
    before = content.canonical_bytes(version)

    def update() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {_version_table()} SET content = %s WHERE id = %s", ['{"goals": []}', version.pk])  # noqa: S608

    _refused(update)
    version.refresh_from_db()
    assert content.canonical_bytes(version) == before


@pytest.mark.parametrize(
    "change",
    [
        {"content": {"focus_areas": [], "follow_up_topics": [], "goals": []}},
        {"follow_up_on": None},
        {"follow_up_week": "2030-W01"},
        {"content_hash": ""},
        {"content_hash": "0" * 64},
        {"number": 9},
    ],
    ids=["content", "follow-up date", "follow-up week", "hash cleared", "hash replaced", "number"],
)
def test_a_queryset_update_of_a_signed_version_is_refused(org: Org, mus: Mus, change: dict) -> None:
    version = current_version(signed_plan(org, mus))
    if "follow_up_week" in change:
        change = {"follow_up_on": None, **change}
    _refused(lambda: PlanVersion.objects.filter(pk=version.pk).update(**change))
    stored = PlanVersion.objects.get(pk=version.pk)
    assert content.content_hash(stored) == stored.content_hash == version.content_hash


def test_saving_a_changed_signed_version_through_the_model_is_refused(org: Org, mus: Mus) -> None:
    version = current_version(signed_plan(org, mus))
    version.content["goals"][0]["text"] = "Noget helt andet"

    _refused(lambda: version.save())
    version.refresh_from_db()
    assert version.content["goals"][0]["text"] == "Kan selv køre lønkørslen"


def test_a_version_with_one_signature_is_frozen_too(org: Org, mus: Mus) -> None:
    from samtale.testing.signing import sign_as

    plan = submitted_plan(org, mus)
    sign_as(org, plan, "employee")
    _refused(lambda: edit_current(plan, lambda c: c.update(goals=[])))


def test_a_signed_version_is_never_deleted(org: Org, mus: Mus) -> None:
    version = current_version(signed_plan(org, mus))
    _refused(lambda: PlanVersion.objects.filter(pk=version.pk).delete())
    assert PlanVersion.objects.filter(pk=version.pk).exists()


def test_signatures_are_never_deleted_or_changed(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    signature = Signature.objects.filter(version__plan=plan).first()
    assert signature is not None
    _refused(lambda: Signature.objects.filter(pk=signature.pk).delete())
    _refused(lambda: Signature.objects.filter(pk=signature.pk).update(content_hash="0" * 64))
    _refused(lambda: Signature.objects.filter(pk=signature.pk).update(person=org.outsider))

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Signature._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [signature.pk])  # noqa: S608

    _refused(raw_delete)
    assert Signature.objects.filter(version__plan=plan).count() == 2


def test_the_status_of_a_signed_version_may_still_be_recorded(org: Org, mus: Mus) -> None:
    """The guard is about what was signed, not the bookkeeping around it (status, times)."""
    plan = submitted_plan(org, mus)
    from samtale.testing.signing import sign_as

    sign_as(org, plan, "employee")
    version = current_version(plan)
    PlanVersion.objects.filter(pk=version.pk).update(status="changes_asked")
    assert PlanVersion.objects.get(pk=version.pk).status == "changes_asked"


def test_an_unsigned_version_may_change(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    edit_current(plan, lambda c: c["goals"][0].update(text="Ændret før underskrift"))
    assert current_version(plan).content["goals"][0]["text"] == "Ændret før underskrift"


# The hash ------------------------------------------------------------------------------------


def test_the_hash_is_of_canonical_bytes_whatever_order_the_database_returns_keys(org: Org, mus: Mus) -> None:
    """PostgreSQL's jsonb reorders keys (shorter first), SQLite keeps them as written: the hash
    must not notice."""
    version = current_version(signed_plan(org, mus))
    stored = PlanVersion.objects.get(pk=version.pk)
    expected = hashlib.sha256(
        json.dumps(
            {
                "format": content.CONTENT_FORMAT,
                "plan": str(stored.plan.uuid),
                "version": stored.number,
                "content": stored.content,
                "follow_up_on": stored.follow_up_on.isoformat() if stored.follow_up_on else "",
                "follow_up_week": stored.follow_up_week,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
    ).hexdigest()
    assert content.content_hash(stored) == expected == stored.content_hash
    # Reordered keys and reordered dicts give the same bytes.
    shuffled = PlanVersion(
        plan=stored.plan,
        number=stored.number,
        content=json.loads(json.dumps(stored.content, sort_keys=True)),
        follow_up_on=stored.follow_up_on,
        follow_up_week=stored.follow_up_week,
    )
    shuffled.content = {key: shuffled.content[key] for key in reversed(list(shuffled.content))}
    assert content.canonical_bytes(shuffled) == content.canonical_bytes(stored)


def test_the_hash_of_a_known_document_is_fixed() -> None:
    """A fixed document hashes to a fixed value on every database and machine; a change to the
    canonical form breaks this test (and old signatures with it — bump CONTENT_FORMAT instead)."""
    from types import SimpleNamespace

    version = SimpleNamespace(
        plan=SimpleNamespace(uuid="6b1f8e4e-3c1a-4e57-9a53-1b2f3c4d5e6f"),
        number=1,
        content={"goals": [{"text": "Æblegrød", "id": "a"}], "focus_areas": [], "follow_up_topics": []},
        follow_up_on=None,
        follow_up_week="2027-W20",
    )
    data = content.canonical_bytes(version)  # type: ignore[arg-type]
    assert (
        data
        == (
            '{"content":{"focus_areas":[],"follow_up_topics":[],"goals":[{"id":"a","text":"Æblegrød"}]},'
            '"follow_up_on":"","follow_up_week":"2027-W20","format":1,'
            '"plan":"6b1f8e4e-3c1a-4e57-9a53-1b2f3c4d5e6f","version":1}'
        ).encode()
    )
    assert content.content_hash(version) == hashlib.sha256(data).hexdigest()  # type: ignore[arg-type]
