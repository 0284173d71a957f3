"""Every installation has the shipped concept, "MUS med mening" (samtale.rounds.defaults)."""

from django.db import migrations


def create_default_concept(apps, schema_editor):  # type: ignore[no-untyped-def]
    from samtale.rounds import defaults

    Concept = apps.get_model("rounds", "Concept")
    if Concept.objects.filter(family=defaults.DEFAULT_FAMILY).exists():
        return
    defaults.default_concept_create(
        concept_model=Concept,
        phase_model=apps.get_model("rounds", "ConceptPhase"),
        question_model=apps.get_model("rounds", "PreparationQuestion"),
    )


class Migration(migrations.Migration):
    dependencies = [("rounds", "0001_initial")]

    # Undone by nothing: a round may already use the concept, and 0001 drops the tables anyway.
    operations = [migrations.RunPython(create_default_concept, migrations.RunPython.noop)]
