"""Goals and focus areas get random identifiers for their URLs ("URLs carry random identifiers
(UUIDs), never sequential ids", docs/trust.md § Access matrix).

In three steps, so that rows that exist already each get their own identifier."""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("RoundGoal", "FocusArea"):
        model = apps.get_model("rounds", name)
        for row in model.objects.filter(uuid__isnull=True).only("pk"):
            row.uuid = uuid.uuid4()
            row.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("rounds", "0002_default_concept")]

    operations = [
        migrations.AddField(model_name="roundgoal", name="uuid", field=models.UUIDField(editable=False, null=True)),
        migrations.AddField(model_name="focusarea", name="uuid", field=models.UUIDField(editable=False, null=True)),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="roundgoal",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="focusarea",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
