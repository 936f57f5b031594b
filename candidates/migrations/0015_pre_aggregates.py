"""Figures the dashboard would otherwise compute per person, kept on the rows (issue 8).

- `PoolEvent.township`: the file's township on each event, so that a scope's monthly movements are a
  range scan of its townships' decisions (index `poolevent_township_decisions`).
- `Candidate.has_current_mentor / has_current_post / has_current_secondment`: kept by the mentorship
  services, counted from the covering list index.

Both are filled here from the existing rows. On a million files this takes a few minutes and blocks
writes to the two tables meanwhile: run it in a maintenance window (docs/performance.md).
"""

import django.db.models.deletion
from django.db import migrations, models

FLAGS_SQL = """
UPDATE candidates_candidate SET
  has_current_mentor = EXISTS (SELECT 1 FROM mentorship_mentorassignment a
                               WHERE a.candidate_id = candidates_candidate.id AND a.end_date IS NULL),
  has_current_post = EXISTS (SELECT 1 FROM mentorship_placement p
                             WHERE p.candidate_id = candidates_candidate.id AND p.end_date IS NULL),
  has_current_secondment = EXISTS (SELECT 1 FROM mentorship_secondment s
                                   WHERE s.candidate_id = candidates_candidate.id AND s.actual_end IS NULL)
WHERE id IN (SELECT candidate_id FROM mentorship_mentorassignment WHERE end_date IS NULL
             UNION SELECT candidate_id FROM mentorship_placement WHERE end_date IS NULL
             UNION SELECT candidate_id FROM mentorship_secondment WHERE actual_end IS NULL)
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE candidates_poolevent e SET township_id = c.township_id "
                "FROM candidates_candidate c WHERE c.id = e.candidate_id"
            )
        else:
            cursor.execute(
                "UPDATE candidates_poolevent SET township_id = "
                "(SELECT township_id FROM candidates_candidate c WHERE c.id = candidates_poolevent.candidate_id)"
            )
        cursor.execute(FLAGS_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("cadre_pool", "0006_must_change_password"),
        ("candidates", "0014_trigram_search"),
        ("mentorship", "0003_secondment_current"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="candidate", name="candidate_township_list"),
        migrations.RemoveIndex(model_name="poolevent", name="poolevent_decisions_time"),
        migrations.AddField(
            model_name="candidate",
            name="has_current_mentor",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="candidate",
            name="has_current_post",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="candidate",
            name="has_current_secondment",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="poolevent",
            name="township",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cadre_pool.orgunit",
                verbose_name="township",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="poolevent",
            name="township",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cadre_pool.orgunit",
                verbose_name="township",
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                fields=["township", "status", "name", "id"],
                include=(
                    "source_category",
                    "gender",
                    "political_status",
                    "education",
                    "birth_date",
                    "has_industry_skill",
                    "target_village",
                    "has_current_mentor",
                    "has_current_post",
                    "has_current_secondment",
                ),
                name="candidate_township_list",
            ),
        ),
        migrations.AddIndex(
            model_name="poolevent",
            index=models.Index(
                condition=models.Q(("to_status__in", ["in_pool", "promoted", "exited"])),
                fields=["township", "created_at"],
                include=("to_status",),
                name="poolevent_township_decisions",
            ),
        ),
    ]
