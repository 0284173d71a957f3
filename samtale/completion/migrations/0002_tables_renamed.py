"""The counters' tables take the app's name (their constraints and index keep theirs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("completion", "0001_moved_from_oversight"),
        ("oversight", "0003_counters_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="unitcompletion", table=None),
        migrations.AlterModelTable(name="completionday", table=None),
    ]
