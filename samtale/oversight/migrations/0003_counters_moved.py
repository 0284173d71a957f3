"""The completion counters now belong to ``samtale.completion`` (its 0001 takes them over in
Django's state; the tables stay where they are until its 0002 renames them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_count_started_rounds"),
        ("completion", "0001_moved_from_oversight"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("UnitCompletion"), migrations.DeleteModel("CompletionDay")],
            database_operations=[],
        ),
    ]
