"""Pre-ordering lychee out of season in a real browser, at phone and desktop width: the product page
offers "Đặt trước" with the month it ships from, the cart and checkout say it is a pre-order, and the
order page shows it waiting for the season with nothing to pay. Each page fits the window (no
sideways scroll); screenshots go to bench/out/e2e/."""

import re

import pytest
from django.utils import timezone

from catalog.models import ProductPage, ProductVariant
from shop.models import Order
from shop.order_rules import OrderStatus
from tests.e2e.conftest import expect, screenshot
from tests.e2e.test_booking import fits
from tests.factories import make_product
from tests.shop.test_checkout import commune, province

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_a_guest_preorders_lychee_for_the_next_season(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    lychee = make_product(title="Vải thiều Thanh Hà", price=120_000, stock=0, sold_in_season_only=True,
                          preorder_allowed=True)
    lychee.season_months.set([timezone.localdate().month % 12 + 1])
    lychee.save()
    lychee = ProductPage.objects.get(pk=lychee.pk)
    variant = ProductVariant.objects.get(product=lychee)
    start = f"{lychee.next_season_start():%m/%Y}"

    page.goto(live_server.url + lychee.url)
    expect(page.locator(".variants")).to_contain_text(f"Nhận đặt trước – giao từ tháng {start}")
    fits(page)
    page.locator(f"#qty-{variant.pk}").fill("3")
    page.get_by_role("button", name="Đặt trước", exact=True).click()
    expect(page.locator(".cart-count").first).to_have_text("3")  # added in place, stock or not
    screenshot(page, f"preorder-product-{width}")

    page.goto(live_server.url + "/gio-hang/")
    expect(page.locator(".line-table")).to_contain_text(f"Đặt trước – giao từ tháng {start}")
    fits(page)
    page.locator("aside.summary").get_by_role("link", name="Đặt hàng").click()
    expect(page).to_have_url(re.compile(r"/thanh-toan/$"))
    expect(page.locator("aside.summary")).to_contain_text("chưa cần thanh toán")
    hanoi, ba_dinh = province("ha-noi"), commune("Phường Ba Đình", "ha-noi")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email").fill("lan@example.com")
    page.get_by_label("Tỉnh/thành phố").select_option(str(hanoi.pk))
    page.locator(f'select[name="commune"] option[value="{ba_dinh.pk}"]').wait_for(state="attached")
    page.get_by_label("Xã/phường/đặc khu").select_option(str(ba_dinh.pk))
    page.get_by_label("Số nhà, tên đường, thôn/xóm").fill("12 Phan Đình Phùng")
    page.get_by_label("Chuyển khoản ngân hàng (VietQR)").check()
    expect(page.locator('[data-quote="total"]')).not_to_be_empty()  # the fee, as soon as the commune is chosen
    fits(page)
    screenshot(page, f"preorder-checkout-{width}")
    page.locator("aside.summary").get_by_role("button", name="Đặt trước").click()

    order = Order.objects.get()
    expect(page).to_have_url(re.compile(re.escape(order.get_absolute_url()) + "$"))
    expect(page.locator(".status-badge")).to_have_text("Đặt trước – chờ vào mùa")
    expect(page.locator("body")).not_to_contain_text("Chuyển khoản bằng VietQR")  # nothing to pay until confirmed
    fits(page)
    screenshot(page, f"preorder-order-{width}")
    assert (order.status, order.stock_reserved) == (OrderStatus.PREORDERED, False)
    assert ProductVariant.objects.get(pk=variant.pk).stock == 0
