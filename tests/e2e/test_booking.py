"""Booking a homestay in a real browser, at phone and desktop width: a date and a number of guests on
the product page, a checkout with no address and no delivery fee, and the order page's ticket with its
QR code. Each page fits the window (no sideways scroll); screenshots go to bench/out/e2e/."""

import re

import pytest

from catalog.models import ProductVariant
from shop.models import BookingSlot, Order
from tests.e2e.conftest import expect, overflow, screenshot
from tests.factories import make_product

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fits(page):
    assert overflow(page) <= 0, page.url


@pytest.mark.parametrize("width", [390, 1366])
def test_a_guest_books_a_homestay_for_two(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    stay = make_product(title="Homestay nhà sàn bản Áng", group_slug="du-lich", price=350_000, stock=0)
    ProductVariant.objects.filter(product=stay).update(
        name="2 ngày 1 đêm / người", capacity_per_date=5, weight_grams=None)
    variant = ProductVariant.objects.get(product=stay)

    page.goto(live_server.url + stay.url)
    fits(page)
    picture, summary = page.locator(".product-gallery > *").first.bounding_box(), page.locator(".product-summary").bounding_box()
    if width > 900:  # side by side: the picture (a placeholder here) stays in its column
        assert picture["x"] + picture["width"] <= summary["x"], (picture, summary)
    date = page.locator(f"#date-{variant.pk}")
    expect(date.locator("option").first).to_contain_text("còn 5 chỗ")
    chosen = date.locator("option").nth(2).get_attribute("value")  # the day after tomorrow's next day
    date.select_option(chosen)
    page.locator(f"#guests-{variant.pk}").fill("2")
    screenshot(page, f"booking-product-{width}")
    page.get_by_role("button", name="Đặt chỗ").click()
    expect(page.locator(".cart-count").first).to_have_text("2")

    page.goto(live_server.url + "/gio-hang/")
    fits(page)
    page.locator("aside.summary").get_by_role("link", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/$"))
    expect(page.locator("body")).to_contain_text("không cần địa chỉ giao hàng")
    fits(page)
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Bình")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.locator('input[name="email"]').fill("binh@example.com")
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    screenshot(page, f"booking-checkout-{width}")
    page.locator("aside.summary").get_by_role("button", name="Đặt hàng").click()

    order = Order.objects.get()
    expect(page).to_have_url(re.compile(re.escape(order.get_absolute_url()) + "$"))
    ticket = page.locator(".booking-ticket")
    expect(ticket).to_have_count(1)
    expect(ticket.locator("svg")).to_be_visible()  # the QR code the host scans
    expect(ticket.locator(".booking-code")).not_to_be_empty()
    fits(page)
    screenshot(page, f"booking-order-{width}")
    assert (order.shipping_fee, order.total) == (0, 700_000)
    assert BookingSlot.objects.get(variant=variant).booked == 2
