"""`manage.py generate_catalog --products N`: a large, clearly synthetic catalogue for benchmarks.

The work is in `catalog.demo.generator`, which writes page rows in bulk (see its docstring for why
and how); this command only parses options, shows the progress bar and reports.
"""

from django.core.management.base import BaseCommand, CommandError

from catalog.demo.generator import check_tree, generate_catalog


class Command(BaseCommand):
    help = (
        "Add N synthetic OCOP products (\"Sản phẩm thử nghiệm #00042 – …\") with producers, variants and "
        "certificates, written in bulk. For benchmarks and load tests, not for the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="How many products to add.")
        parser.add_argument("--producers", type=int, help="How many producers (default: one per 10 products).")
        parser.add_argument("--seed", type=int, help="Random seed, to get the same catalogue again.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument("--check", action="store_true",
                            help="Afterwards, check the page tree (treebeard find_problems) and producer links.")

    def handle(self, *args, **options):
        if options["products"] < 1:
            raise CommandError("--products must be at least 1.")
        if options["producers"] is not None and options["producers"] < 1:
            raise CommandError("--producers must be at least 1.")
        result = generate_catalog(
            options["products"], options["producers"], options["seed"], progress=not options["no_progress"]
        )
        self.stdout.write(self.style.SUCCESS(
            f"Generated {result.products} products from {result.producers} producers, {result.variants} variants, "
            f"{result.certificates} certificates in {result.seconds:.1f} s (seed {result.seed})."
        ))
        if options["check"]:
            problems = check_tree()
            if problems:
                raise CommandError("Page tree problems: " + "; ".join(problems))
            self.stdout.write(self.style.SUCCESS("Page tree checked: no problems."))
