from django.core.management.base import BaseCommand

from catalog.reference_data import seed_taxonomy


class Command(BaseCommand):
    help = "Create the six OCOP product groups with their sub-groups, and common standards (idempotent)."

    def handle(self, *args, **options):
        groups, standards = seed_taxonomy()
        self.stdout.write(self.style.SUCCESS(f"{groups} product groups, {standards} standards."))
