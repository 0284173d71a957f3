"""Count the rounds already started when the completion counters arrive (from then on the launch
and the services keep them)."""

from django.db import migrations


def count(apps, schema_editor):  # type: ignore[no-untyped-def]
    from samtale.completion.counters import COLUMNS, tally

    Conversation = apps.get_model("conversations", "Conversation")
    Round = apps.get_model("rounds", "Round")
    UnitCompletion = apps.get_model("oversight", "UnitCompletion")
    CompletionDay = apps.get_model("oversight", "CompletionDay")
    for round_id in Round.objects.exclude(status="draft").values_list("pk", flat=True):
        rows = Conversation.objects.filter(round_id=round_id).order_by().values_list(*COLUMNS)
        tallies = tally(rows.iterator(chunk_size=5000))
        UnitCompletion.objects.bulk_create(
            [UnitCompletion(**t.values(r, u)) for (r, u), t in tallies.items()], batch_size=500
        )
        CompletionDay.objects.bulk_create(
            [CompletionDay(**v) for (r, u), t in tallies.items() for v in t.day_values(r, u)], batch_size=500
        )


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_completion_counters"),
        ("conversations", "0003_minutes_consent"),
        ("plans", "0003_activity_catalogue"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
