from django.core.management.base import BaseCommand

from shop.shipping import seed_shipping_rates


class Command(BaseCommand):
    help = "Write the default delivery zones and rates, if there are none yet (edit them in the admin)."

    def handle(self, *args, **options):
        created = seed_shipping_rates()
        self.stdout.write(f"Shipping rates: {created} created." if created else "Shipping rates: already there.")
