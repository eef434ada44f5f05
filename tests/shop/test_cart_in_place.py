"""Add to cart in place: shop:cart_add answers a script (Accept: application/json) with the line and
the cart's figures for the panel, and a plain form as before. (The browser side is in
tests/e2e/test_checkout_live.py.)"""

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import ProductVariant
from tests.factories import make_product
from tests.shop.test_campaigns import make_campaign

pytestmark = pytest.mark.django_db


def post_json(client, variant, quantity="1", **headers):
    return client.post(reverse("shop:cart_add"), {"variant": variant, "quantity": quantity},
                       HTTP_ACCEPT="application/json", **headers)


def test_a_script_gets_the_line_and_the_cart_total_and_no_flash_message(client):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=5)
    tea = make_product(title="Chè Cẩm Mỹ", price=120_000, stock=5)
    variant = ProductVariant.objects.get(product=honey)
    post_json(client, ProductVariant.objects.get(product=tea).pk)
    answer = post_json(client, variant.pk, "2")
    assert answer.status_code == 200
    data = answer.json()
    assert data["ok"] and data["message"] == "Đã thêm 2 × “Mật ong Đại Hợp – Hộp 1 kg” vào giỏ hàng."
    assert data["line"] == {"name": "Mật ong Đại Hợp", "pack": "Hộp 1 kg", "quantity": 2, "unit_price": 180_000,
                            "unit_price_display": "180.000 ₫", "total_display": "360.000 ₫"}
    assert data["cart"] == {"count": 3, "total": 480_000, "total_display": "480.000 ₫"}
    cart_page = client.get(reverse("shop:cart"))
    assert not [m for m in cart_page.context["messages"] if "Đã thêm" in str(m)]  # the panel said it
    assert cart_page.context["cart_count"] == 3


def test_the_panel_shows_the_campaign_price(client):
    honey = make_product(price=200_000)
    make_campaign(products=[honey], value=10)
    data = post_json(client, ProductVariant.objects.get(product=honey).pk).json()
    assert data["line"]["unit_price"] == 180_000 and data["cart"]["total"] == 180_000


@pytest.mark.parametrize("variant, quantity, message", [
    ("sold-out", "1", "“Sản phẩm hết – Hộp 1 kg” đã hết hàng."),
    ("ok", "abc", "Số lượng phải là một số nguyên."),
    ("ok", "0", "Số lượng phải từ 1 trở lên."),
    ("999999", "1", "Sản phẩm này không còn được bán."),
])
def test_errors_come_back_in_vietnamese_for_the_panel(client, variant, quantity, message):
    ok = ProductVariant.objects.get(product=make_product(stock=3))
    sold_out = ProductVariant.objects.get(product=make_product(title="Sản phẩm hết", stock=0))
    pk = {"ok": ok.pk, "sold-out": sold_out.pk}.get(variant, variant)
    answer = post_json(client, pk, quantity)
    assert answer.status_code == 400 and answer.json() == {"ok": False, "error": message}
    assert client.get(reverse("shop:cart")).context["cart_count"] == 0


def test_without_javascript_the_form_posts_and_comes_back_as_today(client):
    honey = make_product(stock=5)
    variant = ProductVariant.objects.get(product=honey)
    response = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": "1", "next": honey.url})
    assert response.status_code == 302 and response["Location"] == honey.url
    page = client.get(honey.url)
    assert any("Đã thêm 1 ×" in str(m) for m in page.context["messages"])
    error = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": "x", "next": honey.url})
    assert error.status_code == 302


def test_the_product_page_carries_the_empty_panel_and_its_script(client):
    honey = make_product(stock=5)
    html = client.get(honey.url).content.decode()
    assert 'data-cart-panel' in html and "shop/js/cart.js" in html
    assert 'href="/gio-hang/"' in html and "Xem giỏ hàng" in html and "Thanh toán" in html
    assert 'class="add-to-cart"' in html


def test_a_cached_product_page_can_add_in_place_with_the_visitors_token(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0
    honey = make_product(title="Mật ong Đại Hợp", stock=5)
    Client().get(honey.url)  # someone else renders the shared copy
    buyer = Client(enforce_csrf_checks=True)
    page = buyer.get(honey.url)
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken" value=""' in html and "data-cart-panel" in html  # visitor-neutral
    token = buyer.get(reverse("shop:visitor")).json()["csrf_token"]  # what cart.js / visitor.js ask for
    variant = ProductVariant.objects.get(product=honey)
    refused = post_json(buyer, variant.pk)
    assert refused.status_code == 403  # no token: cart.js then posts the form the ordinary way
    answer = post_json(buyer, variant.pk, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 200 and answer.json()["cart"]["count"] == 1
    assert buyer.get(reverse("shop:visitor")).json()["cart_count"] == 1
