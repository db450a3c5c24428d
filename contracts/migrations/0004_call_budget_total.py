from django.db import migrations, models


class Migration(migrations.Migration):
    """A call's total budget, besides the per-proposal ceiling; existing calls get their
    ceiling (the total was, in effect, one proposal's worth)."""

    dependencies = [("contracts", "0003_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="call",
            name="budget_total",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=14,
                null=True,
                verbose_name="total budget (baht)",
                help_text="What all the agreements under the call may add up to.",
            ),
        ),
        migrations.RunSQL(
            "UPDATE contracts_call SET budget_total = budget_ceiling",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="call",
            name="budget_total",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=14,
                verbose_name="total budget (baht)",
                help_text="What all the agreements under the call may add up to.",
            ),
        ),
        migrations.AddConstraint(
            model_name="call",
            constraint=models.CheckConstraint(
                condition=models.Q(("budget_total__gte", models.F("budget_ceiling"))),
                name="call_budget_total_covers_ceiling",
            ),
        ),
    ]
