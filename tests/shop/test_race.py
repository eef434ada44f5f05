"""Fifty buyers, ten units: exactly ten orders, stock ends at zero and never below (PostgreSQL).

Each buyer runs in its own thread with its own database connection, all released at once, so
their transactions really overlap; SQLite would serialise them and prove nothing.
"""

import threading
import uuid

import pytest
from django.db import connection, connections

from catalog.models import ProductVariant
from shop.cart import CheckedLine
from shop.models import Order
from shop.orders import Contact, OrderError, place_order
from tests.conftest import require_service
from tests.factories import commune, make_product, province

BUYERS, STOCK = 50, 10


@pytest.fixture(autouse=True, scope="module")
def _seed_data(keep_seed_data):
    """The test empties the database when it ends (transactional): put the seed data back."""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_buyers_never_get_more_than_the_stock():
    require_service(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    product = make_product(stock=STOCK, price=120_000)
    variant = ProductVariant.objects.select_related("product__producer").get(product=product)
    contact = Contact(name="Người mua", phone="0912345678", email="buyer@example.com", street="1 Tràng Tiền",
                      commune=commune("Phường Hoàn Kiếm", "ha-noi"), province=province("ha-noi"))
    start = threading.Barrier(BUYERS)
    outcomes = []

    def buy():
        try:
            start.wait()
            line = CheckedLine(pk=0, variant=variant, quantity=1, unit_price=variant.price)
            place_order(lines=[line], contact=contact, delivery_method="tieu-chuan", payment_method="cod",
                        idempotency_key=uuid.uuid4())
            outcomes.append("ok")
        except OrderError:
            outcomes.append("sold out")
        except Exception as error:  # noqa: BLE001 - anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy) for _ in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["ok", "sold out"], outcomes
    assert outcomes.count("ok") == STOCK
    assert Order.objects.count() == STOCK
    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
