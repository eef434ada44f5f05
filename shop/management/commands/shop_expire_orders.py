from django.core.management.base import BaseCommand

from shop.orders import expire_unpaid_orders


class Command(BaseCommand):
    help = "Cancel online orders whose payment window has passed and give their stock back (run every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"Expired unpaid orders: {expire_unpaid_orders()}")
