"""Signed means frozen (docs/trust.md § Signed means frozen): once a plan version has a signature,
the database refuses any change to what it says and any deletion of it, and signatures are never
changed or deleted — whatever code tries (a bug in a service, the shell, the admin, an import)."""

from django.db import migrations

FROZEN = "OLD.content_hash <> ''"
CHANGED = (
    "NEW.content IS NOT OLD.content OR NEW.follow_up_on IS NOT OLD.follow_up_on "
    "OR NEW.follow_up_week IS NOT OLD.follow_up_week OR NEW.content_hash IS NOT OLD.content_hash "
    "OR NEW.number IS NOT OLD.number OR NEW.plan_id IS NOT OLD.plan_id"
)
PG_CHANGED = (
    "NEW.content::text IS DISTINCT FROM OLD.content::text OR NEW.follow_up_on IS DISTINCT FROM OLD.follow_up_on "
    "OR NEW.follow_up_week IS DISTINCT FROM OLD.follow_up_week OR NEW.content_hash IS DISTINCT FROM OLD.content_hash "
    "OR NEW.number IS DISTINCT FROM OLD.number OR NEW.plan_id IS DISTINCT FROM OLD.plan_id"
)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in (
            f"CREATE TRIGGER plans_version_frozen BEFORE UPDATE ON plans_planversion "
            f"WHEN {FROZEN} AND ({CHANGED}) "
            f"BEGIN SELECT RAISE(ABORT, 'a signed plan version never changes'); END",
            f"CREATE TRIGGER plans_version_frozen_delete BEFORE DELETE ON plans_planversion WHEN {FROZEN} "
            f"BEGIN SELECT RAISE(ABORT, 'a signed plan version is never deleted'); END",
            "CREATE TRIGGER plans_signature_no_update BEFORE UPDATE ON plans_signature "
            "BEGIN SELECT RAISE(ABORT, 'signatures never change'); END",
            "CREATE TRIGGER plans_signature_no_delete BEFORE DELETE ON plans_signature "
            "BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END",
        ):
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION plans_version_frozen() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' AND {FROZEN} THEN RAISE EXCEPTION 'a signed plan version is never deleted'; END IF; "
            f"IF TG_OP = 'UPDATE' AND {FROZEN} AND ({PG_CHANGED}) THEN "
            "RAISE EXCEPTION 'a signed plan version never changes'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            "CREATE TRIGGER plans_version_frozen BEFORE UPDATE OR DELETE ON plans_planversion "
            "FOR EACH ROW EXECUTE FUNCTION plans_version_frozen()"
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION plans_signature_frozen() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'signatures never change'; END $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            "CREATE TRIGGER plans_signature_frozen BEFORE UPDATE OR DELETE ON plans_signature "
            "FOR EACH ROW EXECUTE FUNCTION plans_signature_frozen()"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in (
            "plans_version_frozen",
            "plans_version_frozen_delete",
            "plans_signature_no_update",
            "plans_signature_no_delete",
        ):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS plans_version_frozen ON plans_planversion")
        schema_editor.execute("DROP TRIGGER IF EXISTS plans_signature_frozen ON plans_signature")
        schema_editor.execute("DROP FUNCTION IF EXISTS plans_version_frozen()")
        schema_editor.execute("DROP FUNCTION IF EXISTS plans_signature_frozen()")


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
