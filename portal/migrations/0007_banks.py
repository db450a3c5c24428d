"""The reference list of Thai banks a CSO is paid through (portal.reference.BANKS), with
their bank codes and the account number lengths each allows."""

from django.db import migrations, models


def load(apps, schema_editor):
    from portal.reference_data import load_banks

    load_banks(apps.get_model("portal", "Bank"))


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_api_client_revocation_request_log'),
    ]

    operations = [
        migrations.CreateModel(
            name='Bank',
            fields=[
                ('code', models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name='code')),
                ('name_th', models.CharField(max_length=200, verbose_name='Thai name')),
                ('name_en', models.CharField(max_length=200, verbose_name='English name')),
                ('account_lengths', models.JSONField(default=list, verbose_name='account number lengths')),
            ],
            options={
                'verbose_name': 'bank',
                'verbose_name_plural': 'banks',
                'ordering': ['code'],
                'abstract': False,
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
