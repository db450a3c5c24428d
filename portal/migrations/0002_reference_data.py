"""Reference rows every installation needs: the 77 provinces with their DOPA codes (from
geothai) and the 11 CSO activity fields of domain.md. Re-running updates names in place."""

from django.db import migrations


def load(apps, schema_editor):
    from portal.reference_data import load_reference_rows

    load_reference_rows(apps.get_model("portal", "Province"), apps.get_model("portal", "ActivityField"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
