from django.core.management.base import BaseCommand, CommandError

from search.index import elasticsearch_enabled, rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the product index: the database records, and with ELASTICSEARCH_URL a new versioned "
        "Elasticsearch index that replaces the old one behind the alias when complete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        try:
            result = rebuild(progress=not options["no_progress"])
        except Exception as error:  # the engine may be down: say so plainly
            raise CommandError(f"Reindex failed: {error}") from error
        where = f"Elasticsearch index {result['index']} and the database" if elasticsearch_enabled() else "the database"
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {result['products']} products into {where} in {result['seconds']:.1f} s."
        ))
