# The registry's lists at 100,000 rows (manage.py bench_lists): the order by name, for all
# and by status, and ?search= on the names (trigram indexes, PostgreSQL only).

import django.db.models.functions.text
from django.db import migrations, models

# icontains compiles to UPPER(col::text) LIKE UPPER(%s), so the indexes are on that expression.
TRIGRAM_INDEXES = {
    "cso_name_th_trgm": "UPPER(name_th::text)",
    "cso_name_en_trgm": "UPPER(name_en::text)",
}


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Left in place on the way back: other apps' indexes may use it too.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON csos_cso USING gin ({expression} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('csos', '0002_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='cso',
            index=models.Index(fields=['name_th', 'id'], name='cso_name_order'),
        ),
        migrations.AddIndex(
            model_name='cso',
            index=models.Index(fields=['status', 'name_th', 'id'], name='cso_status_name_order'),
        ),
        migrations.AddIndex(
            model_name='cso',
            index=models.Index(django.db.models.functions.text.Upper('juristic_id'), name='cso_juristic_id_upper'),
        ),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
