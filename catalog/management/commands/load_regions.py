from django.core.management.base import BaseCommand

from catalog.reference_data import load_regions


class Command(BaseCommand):
    help = "Load today's provinces and communes and the legacy provinces and districts (idempotent)."

    def handle(self, *args, **options):
        counts = load_regions()
        self.stdout.write(self.style.SUCCESS(
            "Regions: {provinces} provinces, {communes} communes/wards, "
            "{legacy_provinces} legacy provinces, {legacy_districts} legacy districts.".format(**counts)
        ))
