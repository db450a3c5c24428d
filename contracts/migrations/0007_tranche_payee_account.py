from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0006_report_spending_explanation'),
    ]

    operations = [
        migrations.AddField(
            model_name='tranche',
            name='payee_account_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='account name'),
        ),
        migrations.AddField(
            model_name='tranche',
            name='payee_account_number',
            field=models.CharField(blank=True, max_length=12, verbose_name='account number'),
        ),
        migrations.AddField(
            model_name='tranche',
            name='payee_bank',
            field=models.CharField(blank=True, max_length=3, verbose_name='bank code'),
        ),
        migrations.AddField(
            model_name='tranche',
            name='payee_bank_name_en',
            field=models.CharField(blank=True, max_length=200, verbose_name='bank (English)'),
        ),
        migrations.AddField(
            model_name='tranche',
            name='payee_bank_name_th',
            field=models.CharField(blank=True, max_length=200, verbose_name='bank (Thai)'),
        ),
        migrations.AddField(
            model_name='tranche',
            name='payee_branch',
            field=models.CharField(blank=True, max_length=255, verbose_name='branch'),
        ),
    ]
