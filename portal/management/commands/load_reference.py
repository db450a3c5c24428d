from django.core.management.base import BaseCommand

from agencies.models import Agency
from agencies.reference_data import load_agencies
from portal.models import ActivityField, Bank, Province
from portal.reference_data import load_banks, load_reference_rows


class Command(BaseCommand):
    help = (
        "Load (or refresh) provinces, activity fields, banks and the agencies named in the report."
    )

    def handle(self, *args, **options):
        provinces, fields = load_reference_rows(Province, ActivityField)
        banks = load_banks(Bank)
        agencies = load_agencies(Agency)
        self.stdout.write(
            f"Reference data: {provinces} provinces, {fields} activity fields, {banks} banks, "
            f"{agencies} agencies."
        )
