"""The catalogue of development activities every installation starts with: the thirteen types of the
conversation's phase 5 (docs/domain.md § The plan); HR extends it. The names are translated by key,
so they follow the reader's language."""

from django.db import migrations

KEYS = (
    "new_tasks",
    "project_work",
    "further_education",
    "higher_education",
    "peer_training",
    "exchange",
    "coaching",
    "supervision",
    "mentoring",
    "challenges",
    "professional_courses",
    "personal_development",
    "international_relations",
)
COURSES = {"further_education", "higher_education", "professional_courses"}


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    ActivityType = apps.get_model("plans", "ActivityType")
    for order, key in enumerate(KEYS):
        ActivityType.objects.get_or_create(key=key, defaults={"order": order, "is_course": key in COURSES})


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_signed_means_frozen")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
