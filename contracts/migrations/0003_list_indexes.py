# The agreements' lists at 100,000 rows (manage.py bench_lists): newest first, for all and by
# status, and ?search= on the number and title (trigram indexes, PostgreSQL only).

from django.db import migrations, models

# icontains compiles to UPPER(col::text) LIKE UPPER(%s), so the indexes are on that expression.
TRIGRAM_INDEXES = {
    "agreement_number_trgm": "UPPER(number::text)",
    "agreement_title_trgm": "UPPER(title::text)",
}


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Left in place on the way back: other apps' indexes may use it too.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON contracts_agreement "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_agreement_progressreport_settlement_tranche_and_more'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['-created_at', '-id'], name='agreement_newest_first'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['status', '-created_at', '-id'], name='agreement_status_newest'),
        ),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
