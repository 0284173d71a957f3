"""The default level scale, 1 to 6 as the Kompetenceregnskab; its names and descriptions are
translated by key (``samtale.competences.defaults``)."""

from django.db import migrations


def default_scale(apps, schema_editor):
    Scale = apps.get_model("competences", "Scale")
    ScaleLevel = apps.get_model("competences", "ScaleLevel")
    scale, created = Scale.objects.get_or_create(key="default")
    if created:
        ScaleLevel.objects.bulk_create([ScaleLevel(scale=scale, value=value) for value in range(1, 7)])


class Migration(migrations.Migration):
    dependencies = [("competences", "0001_initial")]

    operations = [migrations.RunPython(default_scale, migrations.RunPython.noop)]
