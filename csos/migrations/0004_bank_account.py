import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('csos', '0003_list_indexes'),
        ('portal', '0007_banks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BankAccount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('branch', models.CharField(max_length=255, verbose_name='branch')),
                ('account_name', models.CharField(max_length=255, verbose_name='account name')),
                ('account_number', models.CharField(max_length=12, verbose_name='account number')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('bank', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.bank', verbose_name='bank')),
                ('cso', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='bank_account', to='csos.cso', verbose_name='organisation')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'bank account',
                'verbose_name_plural': 'bank accounts',
                'constraints': [models.CheckConstraint(condition=django.db.models.lookups.In(django.db.models.functions.text.Length('account_number'), [10, 12]), name='bank_account_number_length')],
            },
        ),
    ]
