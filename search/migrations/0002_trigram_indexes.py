"""PostgreSQL: trigram indexes so the word tests (LIKE '% word%') use an index, not a scan.

pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it. SQLite has
no such index; its scans are fast enough at the demo's size.
"""

from django.db import migrations

COLUMNS = ("words", "place_keys", "standards", "season_months")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_record_{column}_trgm "
            f"ON product_search_searchrecord USING gin ({column} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_record_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("product_search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
