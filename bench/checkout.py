"""Benchmark: placing cash-on-delivery orders, and adding to the cart, on PostgreSQL.

    createdb -O ocop ocop_checkout   # a database of its own (it adds products and orders)
    .venv/bin/python bench/checkout.py --database-url postgres://ocop:ocop@127.0.0.1:5432/ocop_checkout

Uses a small catalogue of its own (3 producers with 10 products each, stock large enough never to
run out) in the given database (migrated if needed; other data is left alone). Each order has 3
lines from 3 producers (so 3 parcels), one product of each chosen at random. Buyers are separate processes (as web workers would be),
all started together; each places orders for --seconds:

- "service": `shop.orders.place_order` alone (stock taken, order, sub-orders, lines, event);
- "checkout": the whole buyer flow through Django's test client (3 add-to-cart POSTs, the cart
  check and the checkout POST), i.e. 4 requests per order.

Also prints p50/p95 of one add-to-cart request (view, session, cart line) at concurrency 1.
Prints, does not assert.
"""

import sys

sys.path.append(sys.path.pop(0))  # bench/ last: its http.py must not hide the standard library's http

import argparse
import multiprocessing
import os
import random
import statistics
import time
import uuid

from common import configure

STOCK = 10_000_000
PRODUCERS, PRODUCTS_EACH = 3, 10
# E-mails go to the task queue as in production (the test settings would send them inline).
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ["RATELIMIT_ENABLE"] = "0"  # every simulated buyer is the same client address


def setup_catalogue():
    from django.core.management import call_command

    from catalog.models import ProducerPage, ProductVariant, Province

    call_command("migrate", verbosity=0)
    if not Province.objects.exists():
        call_command("load_regions", verbosity=0)
    call_command("seed_taxonomy", verbosity=0)
    call_command("seed_shipping_rates", verbosity=0)
    from tests.factories import make_producer, make_product

    for n in range(PRODUCERS):
        producer = ProducerPage.objects.filter(title=f"HTX đo hiệu năng {n}").first() or make_producer(
            title=f"HTX đo hiệu năng {n}")
        for m in range(PRODUCTS_EACH):
            if not ProductVariant.objects.filter(sku=f"BENCH-CHECKOUT-{n}-{m}").exists():
                product = make_product(producer=producer, title=f"Sản phẩm đo hiệu năng {n}-{m}")
                ProductVariant.objects.filter(product=product).update(sku=f"BENCH-CHECKOUT-{n}-{m}")
    variants = ProductVariant.objects.filter(sku__startswith="BENCH-CHECKOUT-")
    variants.update(stock=STOCK)
    return [list(variants.filter(sku__startswith=f"BENCH-CHECKOUT-{n}-").values_list("pk", flat=True))
            for n in range(PRODUCERS)]


def contact():
    from shop.orders import Contact
    from tests.factories import commune, province

    return Contact(name="Người mua đo", phone="0912345678", email="bench@example.com", street="1 Tràng Tiền",
                   commune=commune("Phường Hoàn Kiếm", "ha-noi"), province=province("ha-noi"))


def worker(args):
    database_url, mode, variant_ids, seconds, start_at = args
    configure(database_url, "", fresh=False)
    from django.test import Client
    from django.urls import reverse

    from catalog.models import ProductVariant
    from shop.cart import CheckedLine
    from shop.orders import place_order

    by_pk = {v.pk: v for v in ProductVariant.objects.select_related("product__producer").filter(
        pk__in=[pk for pool in variant_ids for pk in pool])}
    pools = [[by_pk[pk] for pk in pool] for pool in variant_ids]
    rng = random.Random()
    buyer = contact()
    client = Client()
    form = {"name": buyer.name, "phone": buyer.phone, "email": buyer.email, "province": buyer.province.pk,
            "commune": buyer.commune.pk, "street": buyer.street, "delivery_method": "tieu-chuan",
            "payment_method": "cod"}
    while time.time() < start_at:
        time.sleep(0.001)
    done, deadline = 0, time.time() + seconds
    while time.time() < deadline:
        variants = [rng.choice(pool) for pool in pools]
        if mode == "service":
            lines = [CheckedLine(pk=0, variant=v, quantity=1, unit_price=v.price) for v in variants]
            place_order(lines=lines, contact=buyer, delivery_method="tieu-chuan", payment_method="cod",
                        idempotency_key=uuid.uuid4())
        else:
            for variant in variants:
                client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": 1})
            response = client.post(reverse("shop:checkout"), {**form, "idempotency_key": str(uuid.uuid4())})
            assert response.status_code == 302, response.status_code
        done += 1
    return done


def throughput(database_url, mode, variant_ids, concurrency, seconds):
    start_at = time.time() + 3  # every process set up before the clock starts
    with multiprocessing.get_context("spawn").Pool(concurrency) as pool:
        counts = pool.map(worker, [(database_url, mode, variant_ids, seconds, start_at)] * concurrency)
    return sum(counts) / seconds


def add_to_cart_latency(variant_ids, runs):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    samples = []
    for n in range(runs):
        started = time.perf_counter()
        response = client.post(reverse("shop:cart_add"), {"variant": variant_ids[n % 3][n % 10], "quantity": 1})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302
        if n % 50 == 49:
            client = Client()  # a new buyer: keep lines far from the per-line limit
    ordered = sorted(samples)
    return statistics.median(samples), ordered[int(len(ordered) * 0.95)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL URL (the target is for PostgreSQL)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    configure(args.database_url, "", fresh=False)
    from django.db import connection

    variant_ids = setup_catalogue()
    print(f"database: {connection.vendor}; 3 lines from 3 producers per order; {args.seconds:.0f} s per figure")
    p50, p95 = add_to_cart_latency(variant_ids, args.runs)
    print(f"add to cart (one request, concurrency 1): p50 {p50:.1f} ms, p95 {p95:.1f} ms over {args.runs}")
    connection.close()
    for mode in ("service", "checkout"):
        for concurrency in (1, 20):
            rate = throughput(args.database_url, mode, variant_ids, concurrency, args.seconds)
            print(f"{mode:9} concurrency {concurrency:2}: {rate:7.1f} orders/s")


if __name__ == "__main__":
    main()
