"""The kinds of notice and their default lead times, for the staff admin to change."""

from django.db import migrations

KINDS = [
    ("call_closing_soon", 3),
    ("call_closed", 0),
    ("registration_waiting", 14),
    ("proposals_waiting", 14),
    ("report_due", 7),
    ("report_overdue", 1),
    ("report_returned", 0),
    ("evaluation_due", 14),
    ("evaluation_overdue", 1),
    ("settlement_due", 14),
    ("settlement_overdue", 1),
    ("partnership_ending", 14),
    ("end_warning_late", 0),
    ("end_notice", 0),
    ("agreement_offered", 0),
    ("agreement_terminated", 0),
    ("tranche_released", 0),
    ("tranche_paid", 0),
]


def add_kinds(apps, schema_editor):
    NoticeKind = apps.get_model("portal", "NoticeKind")
    for code, lead_days in KINDS:
        NoticeKind.objects.get_or_create(code=code, defaults={"lead_days": lead_days})


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_noticekind_notice_noticepreference")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
