"""The Django side of `bench/http.py`: each function runs in a process of its own (`in_django`)
with Django set up on one benchmark database, and returns plain data.

- `prepare`: the database (created on PostgreSQL if missing; a SQLite file under bench/out/ by
  default), the synthetic catalogue (kept with `reuse`), migrations, shipping rates, the search
  index, collected static files, the benchmark's superuser, and what the pages will ask for;
- `prepare_flow`: the products buyers order, with stock for the whole run, and a buyer's address;
- `check_stock`: after the flow, what was ordered against the stock each variant started with;
- `query_counts`: the SQL queries of one request per page, rendered in-process with the page cache off;
- `checkout_variants`: bench/checkout.py's own small catalogue, for its service mode.
"""

import json
import os
import random
import time
import urllib.request
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
SQLITE_NAME = "http.sqlite3"
ADMIN_USERNAME, ADMIN_PASSWORD = "bench-admin", "bench-admin-password-2026"
FLOW_PRODUCTS = 40
FLOW_STOCK = 1_000_000  # never runs out in a run: every order should succeed


def in_django(env: dict, function, *args):
    """Run `function(*args)` in a fresh process whose environment is `env`, Django set up there."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_call, env, function, *args).result()


def _call(env, function, *args):
    os.environ.clear()
    os.environ.update(env)
    from bench.common import configure

    database_url = env.get("DATABASE_URL", "")
    configure("" if database_url.startswith("sqlite") else database_url, SQLITE_NAME, fresh=False)
    return function(*args)


def sqlite_url() -> str:
    return f"sqlite:///{OUT / SQLITE_NAME}"


def wipe_sqlite() -> None:
    for suffix in ("", "-wal", "-shm"):
        (OUT / (SQLITE_NAME + suffix)).unlink(missing_ok=True)


# --- Setup ---------------------------------------------------------------------------------------

def prepare(products: int, reuse: bool, with_picks: bool = True) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from bench.common import fresh_catalog
    from catalog.models import ProductPage

    existing = 0
    if reuse:
        call_command("migrate", verbosity=0)
        existing = ProductPage.objects.filter(slug__startswith="san-pham-thu-nghiem-").count()
    if existing:
        print(f"reusing {existing} synthetic products on {connection.vendor}")
    else:
        fresh_catalog(products, wipe_schema=connection.vendor == "postgresql", progress=False)
    call_command("seed_shipping_rates", verbosity=0)
    reindex(force=not existing)
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"collectstatic into {settings.STATIC_ROOT}: {time.perf_counter() - started:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username=ADMIN_USERNAME, defaults={"email": "bench@example.com"})
    admin.is_staff = admin.is_superuser = True
    admin.set_password(ADMIN_PASSWORD)
    admin.save()
    return picks() if with_picks else {}


def reindex(force: bool) -> None:
    from django.conf import settings

    from catalog.models import ProductPage
    from search.index import rebuild
    from search.models import SearchRecord

    live = ProductPage.objects.live().count()
    fresh = SearchRecord.objects.count() == live
    if fresh and settings.ELASTICSEARCH_URL:
        try:
            url = f"{settings.ELASTICSEARCH_HOSTS[0].rstrip('/')}/{settings.ELASTICSEARCH_INDEX}/_count"
            with urllib.request.urlopen(url, timeout=10) as response:
                fresh = json.load(response)["count"] == live
        except OSError:
            fresh = False
    if fresh and not force:
        print(f"search index: reusing {live} records")
        return
    result = rebuild(progress=False)
    where = f"Elasticsearch ({settings.ELASTICSEARCH_INDEX}) and the database" if settings.ELASTICSEARCH_URL else "the database"
    print(f"search_reindex: {result['products']} products into {where} in {result['seconds']:.1f} s")


def picks() -> dict:
    """What the pages ask for, chosen from the data."""
    from django.db.models import Count

    from catalog.models import ProducerPage, ProductPage

    products = ProductPage.objects.live().filter(variants__stock__gt=0).distinct().order_by("pk")
    product = products.first()
    changed = products.exclude(producer_id=product.producer_id).filter(variants__sort_order=0).last()
    province = (ProducerPage.objects.live().values("province__slug").annotate(n=Count("pk"))
                .order_by("-n", "province__slug").first()["province__slug"])
    word, hits, facets, facet_hits = search_word()
    return {
        "product_url": product.url,
        "product_id": product.pk, "producer_id": product.producer_id, "province": province,
        "word": word, "word_hits": hits, "facets": facets, "facet_hits": facet_hits,
        "live_products": ProductPage.objects.live().count(),
        "changed_product_id": changed.pk, "changed_product_url": changed.url,
        "admin": (ADMIN_USERNAME, ADMIN_PASSWORD),
    }


def search_word():
    """A word of the product texts that about 1% of the products match, and three facets within them."""
    from django.http import QueryDict

    from search import service
    from search.models import SearchRecord
    from search.query import parse

    rows = list(SearchRecord.objects.values_list("words", "province", "group", "stars"))
    target = len(rows) / 100
    counts = Counter(word for words, *_ in rows for word in set(words.split()) if word.isalpha() and len(word) >= 3)
    for word, _n in sorted(counts.items(), key=lambda item: (abs(item[1] - target), item[0]))[:30]:
        hits = service.search_products(parse(QueryDict(f"q={word}"))).total
        if target / 2 <= hits <= target * 2:
            break
    combos = Counter((province, group) for words, province, group, stars in rows
                     if f" {word} " in words and stars == 4 and province and group)
    (province, group), _n = combos.most_common(1)[0]
    facets = f"q={word}&tinh={province}&sao=4&nhom={group}"
    return word, hits, facets, service.search_products(parse(QueryDict(facets))).total


# --- The buyer flow ----------------------------------------------------------------------------

def prepare_flow() -> dict:
    from catalog.models import Commune, ProductPage, ProductVariant, Province
    from shop.models import Order

    rng = random.Random(7)
    live = list(ProductPage.objects.live().filter(variants__isnull=False).distinct()
                .values_list("pk", "url_path", "producer_id").order_by("pk"))
    chosen, producers = [], set()
    for pk, url_path, producer_id in rng.sample(live, min(len(live), FLOW_PRODUCTS * 5)):
        if producer_id not in producers and len(chosen) < FLOW_PRODUCTS:
            producers.add(producer_id)
            chosen.append(pk)
    variants = {}
    for pk in chosen:
        variant = ProductVariant.objects.filter(product_id=pk).order_by("sort_order", "pk").first()
        variants[variant.pk] = ProductPage.objects.get(pk=pk).url
    ProductVariant.objects.filter(pk__in=variants).update(stock=FLOW_STOCK)
    province = Province.objects.get(slug="ha-noi")
    commune = Commune.objects.filter(province=province).order_by("pk").first()
    return {"variants": variants, "initial": FLOW_STOCK, "province": province.pk, "commune": commune.pk,
            "after_order": Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0}


def check_stock(flow: dict) -> dict:
    """Per flow variant: stock now, and units ordered in this run; oversold = below 0 or more than it had."""
    from django.db.models import Sum

    from catalog.models import ProductVariant
    from shop.models import Order, OrderLine

    ordered = dict(OrderLine.objects.filter(suborder__order_id__gt=flow["after_order"], variant_id__in=flow["variants"])
                   .values_list("variant_id").annotate(n=Sum("quantity")).values_list("variant_id", "n"))
    stock = dict(ProductVariant.objects.filter(pk__in=flow["variants"]).values_list("pk", "stock"))
    oversold = [pk for pk, now in stock.items() if now < 0 or ordered.get(pk, 0) > flow["initial"]]
    mismatched = [pk for pk, now in stock.items() if now != flow["initial"] - ordered.get(pk, 0)]
    return {"orders": Order.objects.filter(pk__gt=flow["after_order"]).count(), "units": sum(ordered.values()),
            "oversold": len(oversold), "mismatched": len(mismatched), "lowest": min(stock.values())}


def checkout_variants() -> list:
    """bench/checkout.py's own small catalogue (3 producers × 10 products) for its service mode."""
    import checkout

    return checkout.setup_catalogue()


def query_counts(paths: dict, signed_in: set) -> dict:
    """SQL queries of one request per path, rendered in-process by django.test.Client (after one
    warm-up request, as a worker that has served it before), with the page cache off: what
    rendering the page costs. Paths in `signed_in` are asked as the benchmark's superuser."""
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # A page that fails answers 500 here (its row says so) instead of ending the benchmark.
    anonymous, staff = (Client(HTTP_HOST="127.0.0.1", raise_request_exception=False) for _ in range(2))
    staff.force_login(get_user_model().objects.get(username=ADMIN_USERNAME))
    counts = {}
    for name, path in paths.items():
        client = staff if name in signed_in else anonymous
        client.get(path)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        counts[name] = (len(queries), status)
    return counts
