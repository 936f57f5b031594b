"""The list finds ID and phone numbers only by the whole number: a btree index on the phone, and the
trigram indexes that served fragment searches of both (PostgreSQL only, see 0014) are dropped."""

from django.db import migrations, models

FRAGMENT_INDEXES = [
    ("candidate_id_number_trgm", "candidates_candidate", "id_number"),
    ("candidate_phone_trgm", "candidates_candidate", "phone"),
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in FRAGMENT_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in FRAGMENT_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0016_fewer_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["phone"], name="candidate_phone"),
        ),
        migrations.RunPython(drop, create, elidable=False),
    ]
