"""The completion counters move from ``oversight`` (now HR's pages only) to an app of their own:
the models change app in Django's state only; the tables are renamed in 0002."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("oversight", "0002_count_started_rounds"),
        ("org", "0002_unit_leader_set_by_hand"),
        ("rounds", "0003_goal_and_focus_area_uuid"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CompletionDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('plan_due', 'Plans not signed, by the day they are due'), ('follow_up_due', 'Follow-ups not held, by their last day'), ('held', 'Conversations held, by the day held'), ('signed', 'Plans signed, by the day signed')], max_length=14)),
                        ('day', models.DateField()),
                        ('count', models.PositiveIntegerField()),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='rounds.round')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
                    ],
                    options={
                        'db_table': 'oversight_completionday',
                        'verbose_name': 'dated completion of a unit',
                        'verbose_name_plural': 'dated completion of units',
                        'indexes': [models.Index(fields=['round', 'kind', 'day'], name='oversight_day_round_kind_day')],
                        'constraints': [models.UniqueConstraint(fields=('round', 'unit', 'kind', 'day'), name='oversight_completion_day_once')],
                    },
                ),
                migrations.CreateModel(
                    name='UnitCompletion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('participants', models.PositiveIntegerField(default=0)),
                        ('invited', models.PositiveIntegerField(default=0)),
                        ('scheduled', models.PositiveIntegerField(default=0)),
                        ('held', models.PositiveIntegerField(default=0)),
                        ('not_held', models.PositiveIntegerField(default=0)),
                        ('plan_submitted', models.PositiveIntegerField(default=0)),
                        ('plan_signed', models.PositiveIntegerField(default=0)),
                        ('follow_up_held', models.PositiveIntegerField(default=0)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='rounds.round')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
                    ],
                    options={
                        'db_table': 'oversight_unitcompletion',
                        'verbose_name': 'completion of a unit',
                        'verbose_name_plural': 'completion of units',
                        'constraints': [models.UniqueConstraint(fields=('round', 'unit'), name='oversight_completion_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
