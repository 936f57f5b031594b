"""Trigram indexes for the list's "contains" searches (name, initials, ID and phone fragments, village names).

PostgreSQL only: TrigramExtension does nothing elsewhere, and the GIN indexes are created only on
PostgreSQL (SQLite scans, which suits a laptop's few hundred files). They are not declared on the
models, so `makemigrations` has nothing to add on either database.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("candidate_name_trgm", "candidates_candidate", "name"),
    ("candidate_initials_trgm", "candidates_candidate", "name_initials"),
    ("candidate_id_number_trgm", "candidates_candidate", "id_number"),
    ("candidate_phone_trgm", "candidates_candidate", "phone"),
    ("orgunit_name_trgm", "cadre_pool_orgunit", "name"),
    ("orgunit_short_name_trgm", "cadre_pool_orgunit", "short_name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cadre_pool", "0005_export"),
        ("candidates", "0013_scale_indexes"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]
