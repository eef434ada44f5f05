from django.core.management.base import BaseCommand

from catalog.reminders import send_certificate_reminders


class Command(BaseCommand):
    help = "Daily (cron, after midnight): e-mail OCOP certificate expiry reminders 90 and 30 days ahead."

    def handle(self, *args, **options):
        self.stdout.write(f"Certificates reminded about: {send_certificate_reminders()}")
