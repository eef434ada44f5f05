"""Seasons respected: a fresh product sold only in season cannot be bought out of it (not added to
a cart, not ordered from a cart it sat in), and its page and cards say when it opens. Processed
products with harvest months stay on sale all year."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProductPage
from shop.models import Cart, CartLine, Order
from tests.factories import make_product
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db


def this_month() -> int:
    return timezone.localdate().month


def next_month() -> int:
    return this_month() % 12 + 1


def seasonal(months, only_in_season=True, **fields):
    product = make_product(title="Vải thiều Thanh Hà", sold_in_season_only=only_in_season, **fields)
    product.season_months.set(months)
    product.save()
    return ProductPage.objects.get(pk=product.pk)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_next_season_month_wraps_past_december():
    product = seasonal([11, 12, 1])
    assert product.next_season_month(2) == 11
    assert product.next_season_month(12) == 1
    assert product.season_closed(2) and not product.season_closed(12)


def test_out_of_season_fresh_product_is_refused_by_the_cart(client):
    product = seasonal([next_month()])
    response = add(client, product)
    assert not CartLine.objects.exists()
    [message] = texts(response)
    assert "ngoài mùa vụ" in message and f"mở bán tháng {next_month()}" in message


def test_processed_product_with_harvest_months_is_sold_all_year(client):
    product = seasonal([next_month()], only_in_season=False, stock=5)
    add(client, product)
    assert CartLine.objects.get().quantity == 1


def test_line_in_a_cart_when_the_season_closes_is_refused_at_checkout(client):
    product = seasonal([this_month()])
    add(client, product)
    assert CartLine.objects.count() == 1
    product.season_months.set([next_month()])  # the season ended meanwhile
    product.save()

    response = client.post(reverse("shop:checkout"), checkout_data())
    assert not Order.objects.exists()
    assert not Cart.objects.get().lines.exists()
    assert any("đã hết mùa vụ" in m and f"tháng {next_month()}" in m for m in texts(response))


def test_product_page_and_card_say_when_the_season_opens_instead_of_in_stock(client):
    product = seasonal([next_month()], stock=7)
    label = f"Ngoài mùa vụ – mở bán tháng {next_month()}"

    page = client.get(product.url).content.decode()
    assert label in page and "Còn hàng" not in page
    assert reverse("shop:cart_add") not in page  # no add-to-cart form ...
    assert reverse("shop:stock_alert", args=[product.pk]) in page  # ... the "tell me" form instead
    assert "Báo cho tôi khi vào mùa" in page

    listing = client.get(reverse("catalog:product_list")).content.decode()
    assert label in listing


def test_in_season_product_page_still_sells(client):
    product = seasonal([this_month()], stock=7)
    page = client.get(product.url).content.decode()
    assert "Còn hàng" in page and reverse("shop:cart_add") in page and "Ngoài mùa vụ" not in page
    assert reverse("shop:stock_alert", args=[product.pk]) not in page
