"""PostgreSQL's trigram extension, for the person search that finds a misspelt name
(``samtale.org.selectors.people_search``). Nothing on SQLite. ``pg_trgm`` is a trusted extension:
the database's owner may create it."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("org", "0004_person_updated_index")]

    operations = [TrigramExtension()]
