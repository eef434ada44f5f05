from django.core.management.base import BaseCommand

from search.tasks import refresh_certificate_stars


class Command(BaseCommand):
    help = "Daily (cron, after midnight): re-index products whose certificate started or expired."

    def handle(self, *args, **options):
        result = refresh_certificate_stars.enqueue()
        self.stdout.write(self.style.SUCCESS(f"Queued task {result.id}."))
