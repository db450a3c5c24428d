from django.core.management.base import BaseCommand

from agencies.models import Agency
from agencies.reference_data import load_agencies
from portal.models import ActivityField, Province
from portal.reference_data import load_reference_rows


class Command(BaseCommand):
    help = "Load (or refresh) provinces, activity fields and the agencies named in the report."

    def handle(self, *args, **options):
        provinces, fields = load_reference_rows(Province, ActivityField)
        agencies = load_agencies(Agency)
        self.stdout.write(
            f"Reference data: {provinces} provinces, {fields} activity fields, {agencies} agencies."
        )
