"""Thirty buyers, six places on a date nobody booked yet: exactly six bookings, the others refused
in Vietnamese, and the counter equals the guests confirmed (never more than the capacity).

Each buyer runs in its own thread with its own database connection, all released at once. On
PostgreSQL (DATABASE_URL) their transactions really overlap, and the date's row is created by
whichever comes first. On SQLite the test database is in memory with a shared cache, whose table
locks do not wait (a file database with IMMEDIATE transactions would queue the writers): there the
buyers take turns, which checks the same counting rules but not the overlap."""

import contextlib
import datetime
import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone

from catalog.models import ProductVariant
from shop.cart import CheckedLine
from shop.models import BookingSlot, Order
from shop.orders import Contact, OrderError, place_order
from tests.factories import make_product

BUYERS, CAPACITY = 30, 6


@pytest.fixture(autouse=True, scope="module")
def _seed_data(keep_seed_data):
    """The test empties the database when it ends (transactional): put the seed data back."""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_buyers_never_overbook_a_date():
    product = make_product(group_slug="du-lich", stock=0, price=350_000)
    ProductVariant.objects.filter(product=product).update(weight_grams=None, capacity_per_date=CAPACITY)
    variant = ProductVariant.objects.select_related("product__producer").get(product=product)
    date = timezone.localdate() + datetime.timedelta(days=10)
    contact = Contact(name="Khách du lịch", phone="0912345678", email="khach@example.com", street="",
                      commune=None, province=None)
    start = threading.Barrier(BUYERS)
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    outcomes, refusals = [], []

    def buy():
        try:
            start.wait()
            line = CheckedLine(pk=0, variant=variant, quantity=1, unit_price=variant.price, booking_date=date)
            with turns:
                place_order(lines=[line], contact=contact, delivery_method="tieu-chuan", payment_method="cod",
                            idempotency_key=uuid.uuid4())
            outcomes.append("ok")
        except OrderError as error:
            outcomes.append("full")
            refusals.append(str(error))
        except Exception as error:  # noqa: BLE001 - anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy) for _ in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["full", "ok"], outcomes
    assert outcomes.count("ok") == CAPACITY
    assert all("đã hết chỗ" in refusal for refusal in refusals), refusals
    slot = BookingSlot.objects.get(variant=variant, date=date)
    assert slot.booked == CAPACITY == Order.objects.count()
    assert sum(Order.objects.values_list("suborders__lines__quantity", flat=True)) == slot.booked
