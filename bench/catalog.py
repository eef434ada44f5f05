"""Benchmark: build a synthetic catalogue and time the listing pages on it.

    .venv/bin/python bench/catalog.py --products 20000 [--database-url postgres://…]

Uses its own database (a fresh SQLite file under bench/out/ unless --database-url is given; that
database is wiped). Prints how long the catalogue took to generate, then for each listing page the
queries per request and the p50/p95 time of a request through Django's test client. Prints, does not
assert.
"""

import sys

sys.path.append(sys.path.pop(0))  # bench/ last: its http.py must not hide the standard library's http

import argparse
import statistics
import time

from common import configure, fresh_catalog


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    configure(args.database_url, "catalog.sqlite3", fresh=True)
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import ProducerPage, ProductPage

    fresh_catalog(args.products, wipe_schema=bool(args.database_url), progress=True)

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
