"""Benchmark: build a synthetic catalogue and time the listing pages on it.

    .venv/bin/python bench/catalog.py --products 20000 [--database-url postgres://…]

Uses its own database (a fresh SQLite file under bench/out/ unless --database-url is given; that
database is wiped). Prints how long the catalogue took to generate, then for each listing page the
queries per request and the p50/p95 time of a request through Django's test client. Prints, does not
assert.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    db_file = out / "catalog.sqlite3"
    if not args.database_url:
        db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{db_file}"
    os.environ["MEDIA_ROOT"] = str(out / "media")
    # Keep one connection across requests, so query capture sees every request (and timings skip reconnects).
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings.test")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.demo.generator import generate_catalog
    from catalog.models import ProducerPage, ProductPage

    if args.database_url:  # start from an empty schema: data migrations must run again
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    call_command("seed_taxonomy", verbosity=0)

    started = time.perf_counter()
    result = generate_catalog(args.products, seed=1, progress=True)
    print(f"\ngenerate_catalog --products {args.products}: {time.perf_counter() - started:.1f} s "
          f"({result.producers} producers, {result.variants} variants, {result.certificates} certificates) "
          f"on {connection.vendor}")

    producer = ProducerPage.objects.order_by("pk").first()
    product = ProductPage.objects.order_by("pk").first()
    pages = {
        "home": "/",
        "all products, page 1": "/san-pham/",
        "all products, page 400": "/san-pham/?trang=400",
        "all products, 4 stars": "/san-pham/?sao=4",
        "province (current)": f"/tinh/{producer.province.slug}/",
        "province (legacy name)": f"/tinh/{producer.legacy_province.slug}/" if producer.legacy_province else None,
        "group": f"/nhom/{product.group.slug}/",
        "producer": producer.url,
        "product": product.url,
    }
    client = Client(HTTP_HOST="localhost")
    print(f"\n{'page':28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, url in pages.items():
        if not url:
            continue
        client.get(url)
        reset_queries()  # the log is a bounded deque: a full one would hide new queries
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        query_count = len(queries)  # read now: the captured list is a view of a log later requests reset
        timings = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(f"{name:28} {query_count:>7} {statistics.median(timings):>8.1f} {p95:>8.1f}" + ("" if status == 200 else f"  HTTP {status}"))


if __name__ == "__main__":
    main()
