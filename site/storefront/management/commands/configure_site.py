from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = "Point the default Wagtail site at SITE_URL (host and port), so sitemaps and page URLs are right."

    def handle(self, *args, **options):
        url = urlsplit(settings.SITE_URL)
        if url.scheme not in {"http", "https"} or not url.hostname:
            raise CommandError(f"SITE_URL must look like https://shop.example.vn, not {settings.SITE_URL!r}.")
        site = Site.objects.get(is_default_site=True)
        site.hostname = url.hostname
        site.port = url.port or (443 if url.scheme == "https" else 80)
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
        self.stdout.write(self.style.SUCCESS(f"Default site: {site.root_url}"))
