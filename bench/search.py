"""Benchmark: product search on the synthetic catalogue, Elasticsearch and database side by side.

    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search.py \
        --products 20000 --database-url postgres://ocop:ocop@127.0.0.1:5432/ocop_bench

Builds the catalogue in its own database (a fresh SQLite file under bench/out/ unless
--database-url is given; that database is wiped), times a full reindex, then for five kinds of
query prints p50/p95 of our search function on each backend and, beside the Elasticsearch figures,
the p50 of the same request body sent to Elasticsearch's `_search` over plain HTTP: the floor.
Then the autocomplete endpoint through Django's test client on each backend, beside the floor of a
bare view (a constant JSON answer) behind the same middleware. `--admin` adds the Wagtail editors
of a producer and a product page (queries and time, as a superuser). Prints, does not assert.
"""

import sys

sys.path.append(sys.path.pop(0))  # bench/ last: its http.py must not hide the standard library's http

import argparse
import json
import os
import statistics
import time
import types
import urllib.request

from common import configure, fresh_catalog

QUERIES = {
    "plain word": "q=mat",
    "accented word": "q=chè",
    "unaccented word": "q=che",
    "accented phrase": "q=Mật ong",
    "unaccented phrase": "q=mat ong",
    "three filters": "sao=4&nhom=thuc-pham&gia=100k-300k",
    "place name + stars": "q=che phu tho&sao=4",
    "buyers' rating, sorted": "q=mat ong&danh-gia=4&sap-xep=danh-gia",
}
AUTOCOMPLETE = ["mat o", "vai th", "che shan tu", "th", "nuoc mam phu q", "banh"]


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


def rate_some_products():
    """Every third product gets buyers' reviews (1 to 40 of them, averages 3.0 to 5.0), as
    `catalog.ratings` keeps them, so the rating filter and sort have work to do."""
    from django.db.models import F, Value
    from django.db.models.functions import Mod

    from catalog.models import ProductPage

    count = Mod(F("pk"), Value(40)) + 1
    ProductPage.objects.annotate(n=Mod(F("pk"), Value(3))).filter(n=0).update(
        review_count=count, review_stars_total=count * 3 + Mod(F("pk"), count * 2 + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the catalogue already in the database")
    parser.add_argument("--admin", action="store_true", help="also time the producer and product page editors")
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
        rate_some_products()
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the reused database may predate the index's last migration
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
    autocomplete(args.runs)
    if args.admin:
        editors()


def bare_view(request):
    from django.http import JsonResponse

    return JsonResponse({"query": "", "results": []})


def bench_urlconf() -> str:
    """The site's URLs plus /bench/bare/, so the floor goes through the very same middleware."""
    from importlib import import_module

    from django.conf import settings
    from django.urls import path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/bare/", bare_view), *import_module(settings.ROOT_URLCONF).urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def engine_round_trip(words, runs):
    """p50 of the suggestion request body over one kept-alive HTTP connection: what the engine costs."""
    import http.client
    from urllib.parse import urlsplit

    from django.conf import settings

    from search.backends.elastic import suggestion_body

    url = urlsplit(settings.ELASTICSEARCH_HOSTS[0])
    connection = http.client.HTTPConnection(url.hostname, url.port or 9200)
    body = json.dumps(suggestion_body(words, 5))

    def request():
        connection.request("POST", f"/{settings.ELASTICSEARCH_INDEX}/_search?filter_path=hits.hits._source", body=body,
                           headers={"Content-Type": "application/json"})
        connection.getresponse().read()

    return timed(request, runs)[0]


def autocomplete(runs):
    from django.conf import settings
    from django.test import Client, override_settings

    from search.records import words_of

    client = Client()
    get = lambda url: lambda: client.get(url)  # noqa: E731
    with override_settings(ROOT_URLCONF=bench_urlconf()):
        floor, floor_p95 = timed(get("/bench/bare/"), runs)
        print(f"\nautocomplete: /tim-kiem/goi-y/ through the test client; floor (a bare view): "
              f"p50 {floor:.2f} ms, p95 {floor_p95:.2f} ms; raw = the engine's round trip for the suggestion body")
        print(f"{'q':16} {'ES p50':>8} {'ES p95':>8} {'raw p50':>8} {'×floor':>6} "
              f"{'DB p50':>8} {'DB p95':>8} {'×floor':>6}  products")
        for query in AUTOCOMPLETE:
            url = f"/tim-kiem/goi-y/?q={query.replace(' ', '+')}"
            es_cols = f"{'-':>8} {'-':>8} {'-':>8} {'-':>6}"
            if settings.ELASTICSEARCH_URL:
                es_p50, es_p95 = timed(get(url), runs)
                raw = engine_round_trip(words_of(query), runs)
                es_cols = f"{es_p50:8.2f} {es_p95:8.2f} {raw:8.2f} {es_p50 / floor:6.1f}"
            with override_settings(ELASTICSEARCH_URL=""):
                db_p50, db_p95 = timed(get(url), runs)
                found = [r["label"] for r in client.get(url).json()["results"] if r["type"] == "product"]
            print(f"{query:16} {es_cols} {db_p50:8.2f} {db_p95:8.2f} {db_p50 / floor:6.1f}  {len(found)}")


def editors():
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import ProducerPage, ProductPage

    user = get_user_model().objects.filter(username="bench-admin").first() or get_user_model().objects.create_superuser(
        "bench-admin", "bench@example.com", "bench-admin-pw")
    client = Client()
    client.force_login(user)
    producer = ProducerPage.objects.order_by("pk").first()
    product = ProductPage.objects.order_by("pk").first()
    print(f"\n{'admin editor':28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, page in [("producer page", producer), ("product page", product)]:
        url = f"/admin/pages/{page.pk}/edit/"
        client.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        count = len(queries)
        p50, p95 = timed(lambda: client.get(url), 5)
        print(f"{name:28} {count:>7} {p50:8.1f} {p95:8.1f}" + ("" if status == 200 else f"  HTTP {status}"))


if __name__ == "__main__":
    main()
