"""Benchmark: product search on the synthetic catalogue, Elasticsearch and database side by side.

    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search.py \
        --products 20000 --database-url postgres://ocop:ocop@127.0.0.1:5432/ocop_bench

Builds the catalogue in its own database (a fresh SQLite file under bench/out/ unless
--database-url is given; that database is wiped), times a full reindex, then for five kinds of
query prints p50/p95 of our search function on each backend and, beside the Elasticsearch figures,
the p50 of the same request body sent to Elasticsearch's `_search` over plain HTTP: the floor.
Prints, does not assert.
"""

import argparse
import json
import os
import statistics
import time
import urllib.request

from common import configure, fresh_catalog

QUERIES = {
    "plain word": "q=mat",
    "accented phrase": "q=Mật ong",
    "unaccented phrase": "q=mat ong",
    "three filters": "sao=4&nhom=thuc-pham&gia=100k-300k",
    "place name + stars": "q=che phu tho&sao=4",
}


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def timed(function, runs):
    function()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the catalogue already in the database")
    args = parser.parse_args()

    os.environ.setdefault("ELASTICSEARCH_INDEX", "ocop-products-bench")
    configure(args.database_url, "search.sqlite3", fresh=not args.skip_generate)
    from django.conf import settings
    from django.http import QueryDict
    from django.utils import timezone

    from search import service
    from search.index import rebuild
    from search.query import parse

    if not args.skip_generate:
        fresh_catalog(args.products, wipe_schema=bool(args.database_url), progress=False)
    result = rebuild(progress=False)
    where = "Elasticsearch + database" if settings.ELASTICSEARCH_URL else "database"
    print(f"full reindex ({where}): {result['products']} products in {result['seconds']:.1f} s")

    month = timezone.localdate().month
    es_url = settings.ELASTICSEARCH_URL
    print(f"\n{'query':20} {'ES p50':>8} {'ES p95':>8} {'raw p50':>8} {'ratio':>6} {'DB p50':>8} {'DB p95':>8}  hits")
    for name, query_string in QUERIES.items():
        params = lambda: parse(QueryDict(query_string))  # noqa: E731
        db_p50, db_p95 = timed(lambda: service.search_products(params(), backend="database"), args.runs)
        es_cols = f"{'-':>8} {'-':>8} {'-':>8} {'-':>6}"
        hits = service.search_products(params(), backend="database").total
        if es_url:
            from search.backends.elastic import ProductSearch

            es_p50, es_p95 = timed(lambda: service.search_products(params(), backend="elasticsearch"), args.runs)
            body = json.dumps(ProductSearch(params(), month=month).request_body(0, 24)).encode()
            request = lambda: urllib.request.urlopen(urllib.request.Request(  # noqa: E731
                f"{es_url}/{settings.ELASTICSEARCH_INDEX}/_search", data=body,
                headers={"Content-Type": "application/json"})).read()
            raw_p50, _ = timed(request, args.runs)
            es_cols = f"{es_p50:8.1f} {es_p95:8.1f} {raw_p50:8.1f} {es_p50 / raw_p50:6.2f}"
        print(f"{name:20} {es_cols} {db_p50:8.1f} {db_p95:8.1f}  {hits}")
    print("\nms per call; ES/DB = our search_products (query parsing, engine, the 24 result cards, facets); "
          "raw = the same _search body over HTTP.")


if __name__ == "__main__":
    main()
