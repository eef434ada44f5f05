"""In a real browser (Debian's Chromium through Playwright): adding to the cart stays on the product
page and shows the panel and the badge; the checkout's fee and total follow the province, commune
and delivery method without pressing "Cập nhật"; the figures shown are the order's. Skipped without
/usr/bin/chromium or playwright (failing when REQUIRE_SERVICES=1), like tests/e2e/test_purchase.py."""

import re

import pytest

from catalog.models import ProductVariant
from shop.models import Order
from tests.e2e.conftest import expect, overflow, screenshot
from tests.factories import commune, make_product, province

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def add_in_place(page, live_server, product, quantity):
    variant = ProductVariant.objects.get(product=product)
    page.goto(live_server.url + product.url)
    page.locator(f"#qty-{variant.pk}").fill(str(quantity))
    page.get_by_role("button", name="Thêm vào giỏ").click()
    panel = page.get_by_role("dialog", name="Đã thêm vào giỏ hàng")
    expect(panel).to_be_visible()
    return panel


def test_add_to_cart_stays_on_the_page_and_shows_the_panel(page, live_server):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=5)
    panel = add_in_place(page, live_server, honey, 2)
    expect(panel).to_contain_text("Mật ong Đại Hợp")
    expect(panel).to_contain_text("Hộp 1 kg")
    expect(panel).to_contain_text("360.000 ₫")
    expect(page.locator(".cart-count")).to_have_text("2")
    assert page.url == live_server.url + honey.url  # no reload, no jump to the cart
    expect(panel.get_by_role("link", name="Xem giỏ hàng")).to_have_attribute("href", "/gio-hang/")
    screenshot(page, "cart-panel")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    page.locator(f"#qty-{ProductVariant.objects.get(product=honey).pk}").fill("4")  # 2 + 4 > 5 in stock
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".cart-count")).to_have_text("5")  # capped at the stock, and said so
    expect(page.get_by_role("dialog")).to_contain_text("tối đa có thể đặt")


def test_an_error_shows_in_the_panel(page, live_server):
    honey = make_product(title="Mật ong Đại Hợp", stock=5)
    page.goto(live_server.url + honey.url)
    ProductVariant.objects.filter(product=honey).update(stock=0)  # sold out meanwhile
    page.get_by_role("button", name="Thêm vào giỏ").click()
    panel = page.get_by_role("dialog", name="Chưa thêm được vào giỏ hàng")
    expect(panel).to_contain_text("đã hết hàng")
    expect(page.locator(".cart-count")).to_have_text("0")


def test_the_fee_and_total_follow_the_choices_without_pressing_the_button(page, live_server):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=5)
    panel = add_in_place(page, live_server, honey, 1)
    panel.get_by_role("link", name="Thanh toán").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/$"))
    summary = page.locator("aside.summary")
    fee = summary.locator('[data-quote="shipping_fee"]')
    expect(fee).to_have_text("chọn tỉnh để tính")
    expect(page.locator("[data-recalculate]")).to_be_hidden()  # the script does its work

    hanoi, ba_dinh = province("ha-noi"), commune("Phường Ba Đình", "ha-noi")
    page.get_by_label("Tỉnh/thành phố").select_option(str(hanoi.pk))
    expect(fee).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})* ₫$"))
    standard_fee = fee.inner_text()
    expect(summary.locator('[data-quote="total"]')).to_be_visible()

    page.get_by_label("Tìm xã/phường").fill("ba dinh")  # typed without diacritics, on a phone
    expect(page.get_by_label("Xã/phường/đặc khu")).to_have_value(str(ba_dinh.pk))
    page.get_by_label("Giao nhanh (1–2 ngày)").check()
    expect(fee).not_to_have_text(standard_fee)
    shown_total = summary.locator('[data-quote="total"]').inner_text()
    screenshot(page, "checkout-live")

    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.locator('input[name="email"]').fill("lan@example.com")  # its label is being reworded elsewhere
    page.get_by_label("Số nhà, tên đường, thôn/xóm").fill("12 Phan Đình Phùng")
    summary.get_by_role("button", name="Đặt hàng").click()
    expect(page.locator(".status-badge")).to_have_text("Đã đặt (COD)")
    order = Order.objects.get()
    assert order.delivery_method == "nhanh" and order.commune_id == ba_dinh.pk
    assert f"{order.total:,}".replace(",", ".") + " ₫" == shown_total


def no_sideways_scroll(page):
    return overflow(page) <= 0


def test_on_a_360_px_phone_the_offer_panel_and_checkout_fit(page, live_server):
    from tests.shop.test_campaigns import make_campaign

    page.set_viewport_size({"width": 360, "height": 740})
    lychee = make_product(title="Vải thiều Thanh Hà loại đặc biệt", price=120_000, stock=5)
    make_campaign("Mùa vải thiều Thanh Hà", products=[lychee], value=10, code="VAITHIEU10")
    panel = add_in_place(page, live_server, lychee, 1)
    expect(page.locator(".campaign-offer")).to_contain_text("−10% với mã VAITHIEU10")
    assert no_sideways_scroll(page)
    screenshot(page, "cart-panel-360")
    panel.get_by_role("link", name="Xem giỏ hàng").click()
    expect(page.locator(".voucher-suggestion")).to_contain_text("Nhập mã VAITHIEU10 để được giảm 12.000 ₫.")
    page.goto(live_server.url + "/thanh-toan/")
    page.get_by_label("Tỉnh/thành phố").select_option(str(province("hai-phong").pk))
    expect(page.locator('[data-quote="shipping_fee"]')).to_have_text(re.compile(r"₫$"))
    assert no_sideways_scroll(page)
    screenshot(page, "checkout-live-360")
