"""`manage.py load_demo`: the believable demo catalogue of `catalog.demo.data` (see `catalog.demo.loader`).

Safe to run again: what exists is kept and only what is missing is created; `--reset` rebuilds it.
"""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from catalog.demo.loader import load_demo


@contextmanager
def quiet(loggers, level=logging.WARNING):
    """Hide the per-page INFO lines of Wagtail and django-tasks ("Page created", "Task … SUCCESSFUL")."""
    saved = {name: logging.getLogger(name).level for name in loggers}
    for name in loggers:
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, old in saved.items():
            logging.getLogger(name).setLevel(old)


class Command(BaseCommand):
    help = (
        "Load the OCOP demo catalogue (real product names from the seed facts; prices and stock are "
        "invented and marked as demo data). Idempotent; --reset deletes and reloads the demo pages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete the demo producers, their products and the demo images, then load them again.",
        )

    def handle(self, *args, **options):
        log = self.stdout.write if options["verbosity"] >= 2 else (lambda message: None)
        noisy = [] if options["verbosity"] >= 3 else ["wagtail", "django_tasks", "modelsearch"]
        with quiet(noisy):
            summary = load_demo(reset=options["reset"], log=log)
        if summary.deleted_producers:
            self.stdout.write(f"Deleted {summary.deleted_producers} demo producers and their products.")
        if summary.already_loaded:
            self.stdout.write(self.style.WARNING(
                f"Demo data already loaded ({summary.producers_existing} producers, "
                f"{summary.products_existing} products); nothing to do. Use --reset to reload it."
            ))
            return
        self.stdout.write(self.style.SUCCESS(
            f"Demo catalogue: {summary.producers_created} producers and {summary.products_created} products "
            f"created ({summary.producers_existing} producers and {summary.products_existing} products were "
            f"already there), {summary.certificates} certificates, {summary.images} images, "
            f"{len(summary.provinces)} provinces."
        ))
