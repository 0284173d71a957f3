"""The daily sweep moved from ``samtale.conversations.tasks.daily_reminders`` to
``samtale.jobs.tasks.daily_sweep``: a run already booked under the old name is booked under the
new one, so the worker finds it (and ``send_reminders --schedule`` does not book a second)."""

from django.db import migrations

OLD = "samtale.conversations.tasks.daily_reminders"
NEW = "samtale.jobs.tasks.daily_sweep"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=OLD, status="READY").update(
        task_path=NEW
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=NEW, status="READY").update(
        task_path=OLD
    )


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]
    operations = [migrations.RunPython(forwards, backwards)]
