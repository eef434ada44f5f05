"""Phone-first layout in Chromium: every public page type fits 360, 390 and 414 px wide screens with
no horizontal scroll, the header's menu and search are reachable on a phone, and screenshots at
390 and 1366 px of the main pages go to bench/out/e2e/ (not committed) for a person to look at.

The shop is built with the factories of the other tests, plus the demo catalogue's own pictures
(catalog.demo.images) so the screenshots show what a visitor of the demo sees."""

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.demo.images import draw_logo, draw_product_card, save_wagtail_image
from catalog.models import ProductImage
from search.index import update_products
from shop import returns
from storefront.models import ProvinceTarget, StandardPage
from tests.e2e.conftest import TIMEOUT_MS, expect, overflow, screenshot
from tests.factories import make_producer, make_product, province
from tests.shop.test_admin import place
from tests.shop.test_campaigns import make_campaign
from tests.shop.test_ledger import deliver_cash_order

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONES = (360, 390, 414)
# The longest words of the demo: a group name and product names that must wrap, not overflow.
LONG_TITLE = "Nước mắm cốt cá cơm than truyền thống Cát Hải thượng hạng đóng chai thuỷ tinh 500 ml"


def picture(product, group_slug, index=0):
    image = save_wagtail_image(product.title, f"e2e-{product.slug}.jpg",
                               draw_product_card(product.title, group_slug, size=(600, 450)))
    ProductImage.objects.create(product=product, image=image, sort_order=index)


def build_shop():
    """Producers, products in three groups, a running campaign, a standard page, a target for this
    year and a placed COD order: {page name: URL} of every public page type."""
    logo = save_wagtail_image("Logo HTX", "e2e-logo.png", draw_logo("HTX Mật ong Đại Hợp", "ĐH"))
    honey_maker = make_producer(title="Hợp tác xã Dịch vụ Nông nghiệp và Mật ong Đại Hợp", logo=logo,
                                intro="Nuôi ong lấy mật trên đảo, ba thế hệ.")
    products = []
    for title, group in (("Mật ong hoa nhãn Đại Hợp", "thuc-pham"), (LONG_TITLE, "thuc-pham"),
                         ("Rượu nếp cái hoa vàng", "do-uong"), ("Trà túi lọc lá sen", "duoc-lieu"),
                         ("Chiếu cói Kim Sơn", "thu-cong-my-nghe"), ("Homestay bản Lác", "du-lich")):
        product = make_product(producer=honey_maker, title=title, group_slug=group, price=185_000, stock=8)
        picture(product, group)
        products.append(product)
    other = make_producer(title="HTX Nông sản Thanh Hà")
    lychee = make_product(producer=other, title="Vải thiều Thanh Hà", stock=3)
    campaign = make_campaign("Tuần lễ mật ong và đặc sản biển đảo", products=products[:2], code="MATONG10")
    home = honey_maker.get_parent().get_parent()
    standard = home.add_child(instance=StandardPage(
        title="Chính sách đổi trả", slug="chinh-sach-doi-tra-e2e",
        body="<p>Người mua được đổi trả trong 7 ngày kể từ khi nhận hàng.</p>"))
    ProvinceTarget.objects.create(province=province("hai-phong"), year=timezone.localdate().year,
                                  min_stars=3, new_products=4)
    update_products([p.pk for p in products])  # the search index learns of the pictures added after publishing
    order = place([(products[0], 2), (products[2], 1)])
    delivered = deliver_cash_order(place([(products[0], 1), (lychee, 1)]))  # two parcels, delivered
    first, second = delivered.suborders.all()
    token = f"?t={delivered.access_token}"
    complaint = returns.open_request(first, reason="hong", description="Hũ mật ong bị vỡ nắp khi nhận.",
                                     remedy="hoan-tien", refund_account="Agribank 1500206123456 NGUYEN THI LAN")
    return products[0], {
        "home": "/",
        "listing": reverse("catalog:product_list"),
        "group": reverse("catalog:group", args=["thuc-pham"]),
        "provinces": reverse("catalog:province_list"),
        "province": reverse("catalog:province", args=["hai-phong"]),
        "producers": honey_maker.get_parent().url,
        "producer": honey_maker.url,
        "product": products[1].url,
        "search": reverse("search:results") + "?q=m%E1%BA%ADt+ong",
        "campaigns": campaign.get_parent().url,
        "campaign": campaign.url,
        "order": order.get_absolute_url(),
        "login": reverse("shop:login"),
        "signup": reverse("shop:signup"),
        "password": reverse("shop:password_reset"),
        "producer-signup": reverse("catalog:producer_signup"),
        "figures": reverse("figures"),
        "standard": standard.url,
        "404": "/khong-co-trang-nay/",
        "delivered-order": delivered.get_absolute_url(),
        "return-form": reverse("shop:return_open", args=[delivered.number, second.pk]) + token,
        "return": reverse("shop:return_detail", args=[complaint.public_id]) + token,
        "gateway-result": reverse("gateways:vnpay_return") + "?vnp_TxnRef=DH1&vnp_ResponseCode=00",
    }


def fill_cart(page, base, product):
    """One product in the browser's cart through the product page's own form."""
    page.goto(base + product.url)
    page.get_by_role("button", name="Thêm vào giỏ").first.click()
    expect(page.locator(".cart-count").first).to_have_text("1")


def widest(page) -> str:
    """The elements sticking out past the right edge, to say what to fix when the test fails."""
    return page.evaluate("""() => [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`).join(", ")""")


@pytest.fixture
def phone(browser, _seed_snapshot, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def test_every_public_page_fits_a_phone(phone, live_server):
    product, urls = build_shop()
    base = live_server.url
    fill_cart(phone, base, product)
    urls.update(cart=reverse("shop:cart"), checkout=reverse("shop:checkout"))
    too_wide = []
    for width in PHONES:
        phone.set_viewport_size({"width": width, "height": 800})
        for name, url in urls.items():
            phone.goto(base + url)
            phone.wait_for_load_state("load")
            if (extra := overflow(phone)) > 0:
                too_wide.append(f"{name} at {width}px: {extra}px too wide ({widest(phone)})")
    assert too_wide == []


def test_the_menu_and_search_are_reachable_on_a_phone(phone, live_server):
    make_product(title="Mật ong hoa nhãn Đại Hợp")
    phone.set_viewport_size({"width": 360, "height": 780})
    phone.goto(live_server.url + "/")
    nav = phone.get_by_role("navigation", name="Điều hướng chính")
    products_link = nav.get_by_role("link", name="Sản phẩm", exact=True)
    expect(products_link).to_be_hidden()  # collapsed behind the menu button
    assert phone.evaluate("(el => el.scrollWidth <= el.clientWidth)(document.querySelector('.brand-name'))")  # not cut
    menu = phone.get_by_role("button", name="Danh mục")
    expect(menu).to_have_attribute("aria-expanded", "false")
    box = menu.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(products_link).to_be_visible()
    assert overflow(phone) <= 0
    screenshot(phone, "layout-menu-open-360")
    for link in nav.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 44, link.text_content()
    products_link.click()
    expect(phone).to_have_url(live_server.url + reverse("catalog:product_list"))

    search = phone.get_by_label("Tìm sản phẩm OCOP")
    expect(search).to_be_visible()
    search.fill("mật ong")
    search.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("mật ong")


def test_without_javascript_the_menu_and_search_stay_open(browser, _seed_snapshot, live_server):
    """No script, no menu button: the navigation is a row that scrolls sideways, search beside it."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        nav = page.get_by_role("navigation", name="Điều hướng chính")
        expect(nav.get_by_role("link", name="Sản phẩm", exact=True)).to_be_visible()
        expect(nav.get_by_role("button", name="EN – English")).to_be_visible()
        expect(page.locator(".menu-button")).to_be_hidden()
        expect(page.get_by_label("Tìm sản phẩm OCOP")).to_be_visible()
        assert overflow(page) <= 0
    finally:
        context.close()


def test_desktop_menu_stays_on_one_line(page, live_server):
    make_campaign("Tuần lễ mật ong")  # the menu then has its "Khuyến mãi" link too, as on the demo site
    for width in (1024, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/")
        items = page.evaluate("""[...document.querySelectorAll('.nav-main > li')].map((li) => {
          const box = li.getBoundingClientRect(); return [li.textContent.trim(), box.top, box.right]; })""")
        edge = page.evaluate("document.querySelector('.nav-main').getBoundingClientRect().right")
        assert len(items) >= 8 and len({top for _name, top, _right in items}) == 1, items  # one line
        assert all(right <= edge + 0.5 for _name, _top, right in items), (width, edge, items)  # none cut off


def test_the_cart_is_cards_with_thumbnails_on_a_phone(phone, live_server):
    product, _urls = build_shop()
    fill_cart(phone, live_server.url, product)
    phone.set_viewport_size({"width": 360, "height": 780})
    phone.goto(live_server.url + reverse("shop:cart"))
    line = phone.locator(".cart-line").first
    expect(line.locator("img.line-thumb")).to_be_visible()
    name = line.locator(".line-name a")
    assert name.bounding_box()["width"] > 150  # not one word per line
    quantity = line.get_by_label("Số lượng", exact=False)
    assert quantity.bounding_box()["height"] >= 44
    for button in line.get_by_role("button").all():
        assert button.bounding_box()["height"] >= 44
    field, apply = phone.locator("#voucher-code"), phone.get_by_role("button", name="Áp dụng")
    field_box, apply_box = field.bounding_box(), apply.bounding_box()
    assert abs(field_box["y"] - apply_box["y"]) < 2 and abs(field_box["height"] - apply_box["height"]) < 2
    assert overflow(phone) <= 0


SCREENS = ("home", "listing", "search", "product", "cart", "checkout", "order",
           "producers", "producer", "campaigns", "campaign", "figures", "delivered-order", "return-form", "return")


def test_screenshots_at_phone_and_desktop_width(phone, live_server):
    product, urls = build_shop()
    base = live_server.url
    fill_cart(phone, base, product)
    urls.update(product=product.url, cart=reverse("shop:cart"), checkout=reverse("shop:checkout"))
    for width, height in ((390, 844), (1366, 900)):
        phone.set_viewport_size({"width": width, "height": height})
        for name in SCREENS:
            phone.goto(base + urls[name])
            phone.wait_for_load_state("load")
            screenshot(phone, f"layout-{name}-{width}")
    assert overflow(phone) <= 0
