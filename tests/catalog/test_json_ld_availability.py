"""A product's JSON-LD offers say what the cart says: `InStock` only when the pack can be put in a cart
now; `PreOrder` out of season when the producer takes pre-orders; `OutOfStock` when the seller's
identity is not checked, out of season otherwise, or with no stock. Stays and tours have places per
date instead of stock."""

import json
import re

import pytest
from django.utils import timezone

from catalog.models import ProductPage, ProductVariant
from shop.models import CartLine
from tests.factories import make_producer, make_product
from tests.shop.test_checkout import add

pytestmark = pytest.mark.django_db

IN_STOCK, OUT_OF_STOCK, PRE_ORDER = ("https://schema.org/InStock", "https://schema.org/OutOfStock",
                                     "https://schema.org/PreOrder")


def this_month() -> int:
    return timezone.localdate().month


def next_month() -> int:
    return this_month() % 12 + 1


def offers(client, product) -> list[dict]:
    response = client.get(ProductPage.objects.get(pk=product.pk).url)
    assert response.status_code == 200
    blocks = [json.loads(text) for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                                                     response.content.decode(), re.DOTALL)]
    found = next(block for block in blocks if block.get("@type") == "Product")["offers"]
    return found if isinstance(found, list) else [found]


def availability(client, product) -> str:
    [offer] = offers(client, product)
    return offer["availability"]


def seasonal(months, **fields):
    fields.setdefault("sold_in_season_only", True)
    product = make_product(title="Vải thiều Thanh Hà", **fields)
    product.season_months.set(months)
    product.save()
    return product


def can_add(client, product) -> bool:
    """Whether the cart takes one unit now (the rule the JSON-LD must mirror)."""
    before = CartLine.objects.count()
    add(client, product)
    return CartLine.objects.count() > before


CASES = {
    "in stock, seller checked": (lambda: make_product(stock=5), IN_STOCK),
    "no stock": (lambda: make_product(stock=0), OUT_OF_STOCK),
    "seller not checked": (lambda: make_product(producer=make_producer(checked=False), stock=5), OUT_OF_STOCK),
    "in season": (lambda: seasonal([this_month()], stock=5), IN_STOCK),
    "in season, no stock": (lambda: seasonal([this_month()], stock=0), OUT_OF_STOCK),
    "out of season": (lambda: seasonal([next_month()], stock=5), OUT_OF_STOCK),
    "out of season, pre-orders taken": (lambda: seasonal([next_month()], stock=0, preorder_allowed=True), PRE_ORDER),
    "out of season, pre-orders taken, seller not checked": (
        lambda: seasonal([next_month()], stock=0, preorder_allowed=True, producer=make_producer(checked=False)),
        OUT_OF_STOCK),
    "pre-orders ticked but in season": (lambda: seasonal([this_month()], stock=3, preorder_allowed=True), IN_STOCK),
    "harvest months, sold all year": (lambda: seasonal([next_month()], stock=2, sold_in_season_only=False), IN_STOCK),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_offer_says_what_the_cart_would_do_now(client, case):
    build, expected = CASES[case]
    product = build()
    assert availability(client, product) == expected
    assert can_add(client, product) is (expected != OUT_OF_STOCK)


def test_an_unchecked_seller_is_in_stock_again_when_the_check_is_switched_off(client, settings):
    product = make_product(producer=make_producer(checked=False), stock=5)
    assert availability(client, product) == OUT_OF_STOCK
    settings.OCOP_REQUIRE_SELLER_CHECK = False
    assert availability(client, product) == IN_STOCK
    assert can_add(client, product)


def test_each_pack_has_its_own_availability(client):
    product = make_product(stock=4)
    ProductVariant.objects.create(product=product, sku="TEST-EMPTY", name="Hộp 2 kg", weight_grams=2000,
                                  price=190_000, stock=0)
    assert {offer["name"]: offer["availability"] for offer in offers(client, product)} == {
        "Hộp 1 kg": IN_STOCK, "Hộp 2 kg": OUT_OF_STOCK}


def test_a_stay_is_available_by_its_places_per_date_not_its_stock(client):
    stay = make_product(title="Homestay nhà sàn bản Áng", group_slug="du-lich", stock=0)
    ProductVariant.objects.filter(product=stay).update(capacity_per_date=12, weight_grams=None)
    assert availability(client, stay) == IN_STOCK
    ProductVariant.objects.filter(product=stay).update(capacity_per_date=0, stock=5)
    assert availability(client, stay) == OUT_OF_STOCK
    unchecked = make_product(title="Tour làng nghề", group_slug="du-lich", stock=0,
                             producer=make_producer(checked=False))
    ProductVariant.objects.filter(product=unchecked).update(capacity_per_date=8, weight_grams=None)
    assert availability(client, unchecked) == OUT_OF_STOCK
