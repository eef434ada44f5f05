"""Buying in a real browser: Debian's Chromium, driven by Playwright, against pytest-django's live server.

From the home page to the product, the cart, the checkout form (the commune list is filled by
checkout.js from the province) and the order page, paying cash on delivery or by card through a
Stripe Checkout Session on stripe-mock, whose payment page (a fixture URL on checkout.stripe.com)
is answered by the test; the payment is then confirmed by a signed `checkout.session.completed`
webhook. Without /usr/bin/chromium, the playwright package or stripe-mock the tests skip, and fail
when REQUIRE_SERVICES=1. Screenshots of the order pages go to bench/out/e2e/ (not committed).

The live server reads the database from another thread, so these tests are transactional; after
each one Django empties the database. The regions, taxonomy and shipping rates loaded once by
tests/conftest.py are therefore snapshotted when this module starts, restored before each test
(serialized rollback) and once more after the module, for the transactional tests that follow.
"""

import json
import re
import time
import urllib.request
import uuid

import pytest
import stripe
from django.urls import reverse

from catalog.models import ProductVariant
from shop.models import Order
from shop.order_rules import OrderStatus, PaymentMethod
from tests.conftest import require_service
from tests.e2e.conftest import expect, screenshot
from tests.shop.conftest import MOCK as STRIPE_MOCK
from tests.shop.conftest import stripe_mock_up
from tests.factories import commune, make_product, province

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WEBHOOK_SECRET = "whsec_test"


def buy_from_the_home_page(page, live_server, product, quantity):
    """Home page → "Sản phẩm" → the product's card → add `quantity` → cart → checkout."""
    variant = ProductVariant.objects.get(product=product)
    page.goto(live_server.url + "/")
    main_nav = page.get_by_role("navigation", name="Điều hướng chính")
    main_nav.get_by_role("link", name="Sản phẩm", exact=True).click()
    page.get_by_role("link", name=product.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(product.title)
    page.locator(f"#qty-{variant.pk}").fill(str(quantity))
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".cart-count")).to_have_text(str(quantity))
    page.locator(".header-tools").get_by_role("link", name=re.compile(r"^Giỏ hàng")).click()
    expect(page).to_have_url(re.compile(r"/gio-hang/$"))
    expect(page.locator(".line-table")).to_contain_text(product.title)
    page.locator("aside.summary").get_by_role("link", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/$"))


def fill_checkout(page, payment_label):
    hanoi, ba_dinh = province("ha-noi"), commune("Phường Ba Đình", "ha-noi")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email").fill("lan@example.com")
    page.get_by_label("Tỉnh/thành phố").select_option(str(hanoi.pk))
    # checkout.js fetches the province's communes into the second drop-down.
    page.locator(f'select[name="commune"] option[value="{ba_dinh.pk}"]').wait_for(state="attached")
    page.get_by_label("Xã/phường/đặc khu").select_option(str(ba_dinh.pk))
    page.get_by_label("Số nhà, tên đường, thôn/xóm").fill("12 Phan Đình Phùng")
    page.get_by_label(payment_label).check()
    page.locator("aside.summary").get_by_role("button", name="Đặt hàng").click()


def test_guest_buys_with_cash_on_delivery_in_the_browser(page, live_server):
    product = make_product(title="Mật ong hoa nhãn Hưng Yên", price=180_000, stock=5)
    buy_from_the_home_page(page, live_server, product, quantity=2)
    fill_checkout(page, "Thanh toán khi nhận hàng (COD)")

    expect(page.locator(".status-badge")).to_have_text("Đã đặt (COD)")
    order = Order.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đơn hàng {order.number}")
    expect(page).to_have_url(re.compile(re.escape(order.get_absolute_url()) + "$"))
    expect(page.locator(".line-table")).to_contain_text(product.title)
    screenshot(page, "order-cod")

    assert (order.status, order.payment_method, order.subtotal) == (OrderStatus.PLACED, PaymentMethod.COD, 360_000)
    assert (order.name, order.phone, order.commune.name) == ("Nguyễn Thị Lan", "0912345678", "Phường Ba Đình")
    assert ProductVariant.objects.get(product=product).stock == 3


def send_webhook(live_server, event_type, obj):
    payload = json.dumps({
        "id": f"evt_{uuid.uuid4().hex[:16]}", "object": "event", "type": event_type, "api_version": "2026-08-26.dahlia",
        "created": int(time.time()), "livemode": False, "data": {"object": obj},
    })
    request = urllib.request.Request(
        live_server.url + reverse("stripe_webhook"), data=payload.encode(), method="POST",
        headers={"Content-Type": "application/json",
                 "Stripe-Signature": stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_guest_pays_by_card_through_stripe_checkout(page, live_server, settings):
    require_service(stripe_mock_up(), "STRIPE_API_BASE is not set or stripe-mock is not answering")
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_API_BASE = STRIPE_MOCK  # stripe-mock, found by tests/shop/conftest.py
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    # stripe-mock answers with a fixture session whose url is on checkout.stripe.com, which cannot
    # load here: stand in for Stripe's payment page.
    stripe_pages = []

    def stripe_page(route):
        stripe_pages.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8",
                      body="<!doctype html><title>Stripe Checkout</title><h1>Stripe Checkout (test)</h1>")

    page.route("https://checkout.stripe.com/**", stripe_page)
    product = make_product(title="Chè Shan tuyết Suối Giàng", price=250_000, stock=4)
    buy_from_the_home_page(page, live_server, product, quantity=1)
    fill_checkout(page, "Thẻ quốc tế (Stripe)")

    expect(page).to_have_url(re.compile(r"^https://checkout\.stripe\.com/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stripe Checkout (test)")
    assert len(stripe_pages) == 1
    order = Order.objects.get()
    assert (order.status, order.payment_method) == (OrderStatus.AWAITING_PAYMENT, PaymentMethod.STRIPE)
    assert order.stripe_session_id.startswith("cs_")
    assert ProductVariant.objects.get(product=product).stock == 3  # held while payment is awaited

    status, outcome = send_webhook(live_server, "checkout.session.completed", {
        "id": order.stripe_session_id, "object": "checkout.session", "client_reference_id": order.number,
        "metadata": {"order": order.number}, "payment_status": "paid", "amount_total": order.total,
        "currency": "vnd", "payment_intent": "pi_test",
    })
    assert (status, outcome) == (200, "paid")
    order.refresh_from_db()
    assert (order.status, order.stripe_payment_intent) == (OrderStatus.PAID, "pi_test")

    page.goto(live_server.url + order.get_absolute_url())
    expect(page.locator(".status-badge")).to_have_text("Đã thanh toán")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đơn hàng {order.number}")
    screenshot(page, "order-stripe-paid")
