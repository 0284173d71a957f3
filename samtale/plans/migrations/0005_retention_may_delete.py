"""Retention and erasure really delete (docs/trust.md § Erasure and retention): the guard of 0002
still refuses every change to a signed version and every deletion of one or of a signature, except
inside a retention batch's transaction, marked by a row in ``plans_retentionpass`` that the batch
writes first and removes before it commits."""

from django.db import migrations

FROZEN = "OLD.content_hash <> ''"
PASS = "EXISTS (SELECT 1 FROM plans_retentionpass)"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in (
            "DROP TRIGGER IF EXISTS plans_version_frozen_delete",
            "DROP TRIGGER IF EXISTS plans_signature_no_delete",
            f"CREATE TRIGGER plans_version_frozen_delete BEFORE DELETE ON plans_planversion "
            f"WHEN {FROZEN} AND NOT {PASS} "
            f"BEGIN SELECT RAISE(ABORT, 'a signed plan version is never deleted'); END",
            f"CREATE TRIGGER plans_signature_no_delete BEFORE DELETE ON plans_signature WHEN NOT {PASS} "
            "BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END",
        ):
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION plans_version_frozen() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' AND {FROZEN} AND NOT {PASS} THEN "
            "RAISE EXCEPTION 'a signed plan version is never deleted'; END IF; "
            "IF TG_OP = 'UPDATE' AND OLD.content_hash <> '' AND ("
            "NEW.content::text IS DISTINCT FROM OLD.content::text OR NEW.follow_up_on IS DISTINCT FROM OLD.follow_up_on "
            "OR NEW.follow_up_week IS DISTINCT FROM OLD.follow_up_week "
            "OR NEW.content_hash IS DISTINCT FROM OLD.content_hash "
            "OR NEW.number IS DISTINCT FROM OLD.number OR NEW.plan_id IS DISTINCT FROM OLD.plan_id) THEN "
            "RAISE EXCEPTION 'a signed plan version never changes'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION plans_signature_frozen() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' AND {PASS} THEN RETURN OLD; END IF; "
            "RAISE EXCEPTION 'signatures never change'; END $$ LANGUAGE plpgsql"
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_retention_pass")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
