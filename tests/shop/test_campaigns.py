"""Campaigns: discounts in a real cart, vouchers and their limits, orders that record them, the
campaign pages, and the results report with its scope."""

import csv
import datetime
import io
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from catalog.models import Certificate, ProductGroup, ProductVariant, ProvinceOfficer
from shop import orders
from shop.promotions import report as campaign_report
from shop.promotions.models import campaign_index
from shop.models import CampaignDailyStat, CampaignPage, Cart, Order, OrderLine
from shop.order_rules import OrderStatus
from tests.factories import make_producer, make_product, province
from tests.shop.test_checkout import checkout_data

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def make_campaign(title="Khuyến mãi thử", *, starts=None, ends=None, owner=None, kind="phan-tram", value=10, code="",
                  products=(), groups=(), min_stars=None, provinces=(), max_total=None, max_per_buyer=None):
    now = timezone.now()
    page = CampaignPage(
        title=title, slug=f"km-{uuid.uuid4().hex[:8]}", starts_at=starts or now - DAY, ends_at=ends or now + 10 * DAY,
        province=owner, discount_kind=kind, discount_value=value, voucher_code=code, rule_min_stars=min_stars,
        max_uses_total=max_total, max_uses_per_buyer=max_per_buyer,
    )
    campaign_index().add_child(instance=page)
    page.featured_products.set(products)
    page.rule_groups.set([ProductGroup.objects.get(slug=slug) for slug in groups])
    page.rule_provinces.set(provinces)
    page.save()
    return page


def variant_of(product) -> ProductVariant:
    return ProductVariant.objects.get(product=product)


def add(client, product, quantity=1):
    return client.post(reverse("shop:cart_add"), {"variant": variant_of(product).pk, "quantity": quantity})


def apply_code(client, code):
    return client.post(reverse("shop:cart_voucher"), {"code": code}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def cart_of(client):
    return client.get(reverse("shop:cart")).context["cart"]


# --- Discounts in the cart ------------------------------------------------------------------------

def test_a_percentage_is_rounded_down_to_whole_dong(client):
    product = make_product(price=99_999)
    make_campaign(products=[product], value=15)
    add(client, product, 3)
    cart = cart_of(client)
    line = cart.lines[0]
    assert line.discount == 14_999  # 99 999 × 15 % = 14 999,85 → 14 999 đồng, no floats
    assert (cart.subtotal, cart.discount_total, cart.total) == (299_997, 44_997, 255_000)
    assert line.campaign.title == "Khuyến mãi thử"


def test_a_fixed_discount_is_per_unit_and_never_more_than_the_price(client):
    dear, cheap = make_product(price=100_000), make_product(price=30_000)
    make_campaign(products=[dear, cheap], kind="so-tien", value=50_000)
    add(client, dear, 2)
    add(client, cheap, 1)
    lines = {line.variant.product_id: line for line in cart_of(client).lines}
    assert lines[dear.pk].discount_total == 100_000 and lines[dear.pk].net_total == 100_000
    assert lines[cheap.pk].discount == 30_000 and lines[cheap.pk].net_total == 0


def test_the_best_discount_wins_per_line_and_discounts_never_stack(client):
    honey = make_product(title="Mật ong", price=200_000)
    tea = make_product(title="Chè", price=400_000)
    make_campaign("Tự động 10%", products=[honey, tea], value=10)
    make_campaign("Mã 25 nghìn", products=[honey, tea], kind="so-tien", value=25_000, code="GIAM25")
    add(client, honey)
    add(client, tea)
    response = apply_code(client, "giam25")  # case-insensitive
    assert "Đã áp dụng mã giảm giá “GIAM25”" in " ".join(messages_of(response))
    lines = {line.product.title: line for line in cart_of(client).lines}
    # honey: voucher 25 000 beats 10 % (20 000); tea: 10 % (40 000) beats the voucher. Never 45 000/65 000.
    assert (lines["Mật ong"].discount, lines["Mật ong"].campaign.title) == (25_000, "Mã 25 nghìn")
    assert (lines["Chè"].discount, lines["Chè"].campaign.title) == (40_000, "Tự động 10%")
    page = client.get(reverse("shop:cart")).content.decode()
    assert "không cộng dồn" in page and "Mã 25 nghìn" in page


def test_a_voucher_that_cannot_beat_the_running_discount_is_refused(client):
    product = make_product(price=200_000)
    make_campaign("Tự động 20%", products=[product], value=20)
    make_campaign("Mã yếu", products=[product], value=5, code="YEU5")
    add(client, product)
    response = apply_code(client, "YEU5")
    assert any("ưu đãi tốt hơn" in m and "Tự động 20%" in m for m in messages_of(response))
    assert Cart.objects.get().voucher_code == ""


@pytest.mark.parametrize("starts, ends, message", [
    (-10, -1, "đã hết hạn"),
    (2, 10, "chưa đến thời gian áp dụng"),
])
def test_a_voucher_outside_its_window_is_refused(client, starts, ends, message):
    product = make_product()
    now = timezone.now()
    make_campaign(products=[product], code="MUAHE", starts=now + starts * DAY, ends=now + ends * DAY)
    add(client, product)
    response = apply_code(client, "MUAHE")
    assert any(message in m for m in messages_of(response))
    assert cart_of(client).discount_total == 0


def test_an_unknown_code_and_products_outside_the_rules_are_refused(client):
    product = make_product(group_slug="thuc-pham")
    make_campaign(groups=["do-uong"], code="DOUONG")
    add(client, product)
    assert "Mã giảm giá “KHONGCO” không tồn tại." in messages_of(apply_code(client, "khongco"))
    assert any("không áp dụng cho sản phẩm nào" in m for m in messages_of(apply_code(client, "DOUONG")))
    assert Cart.objects.get().voucher_code == ""


def test_rules_combine_group_stars_and_province(client):
    hp_producer = make_producer()  # Hải Phòng
    hn_producer = make_producer(province_slug="ha-noi", commune_name="Phường Ba Đình",
                                legacy_province_slug=None, legacy_district=None)
    four = make_product(producer=hp_producer, stars=4)
    three = make_product(producer=hp_producer, stars=3)
    drink = make_product(producer=hp_producer, stars=5, group_slug="do-uong")
    elsewhere = make_product(producer=hn_producer, stars=5)
    make_campaign(groups=["thuc-pham"], min_stars=4, provinces=[province("hai-phong")], value=10)
    for product in (four, three, drink, elsewhere):
        add(client, product)
    discounted = {line.product.pk for line in cart_of(client).lines if line.discount}
    assert discounted == {four.pk}


# --- Limits -------------------------------------------------------------------------------------

def place(client, **overrides):
    return client.post(reverse("shop:checkout"), checkout_data(**overrides))


def test_an_order_records_the_campaign_voucher_and_discount(client, django_capture_on_commit_callbacks):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=5)
    auto = make_campaign("Tự động 5%", products=[honey], value=5)
    voucher = make_campaign("Hè OCOP", products=[honey], value=20, code="HE2026")
    add(client, honey, 2)
    apply_code(client, "HE2026")
    with django_capture_on_commit_callbacks(execute=True):
        response = place(client)
    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()
    assert (order.voucher_campaign, order.voucher_code, order.subtotal, order.discount_total) == (
        voucher, "HE2026", 360_000, 72_000)
    assert order.total == 360_000 - 72_000 + order.shipping_fee
    line = OrderLine.objects.get()
    assert (line.campaign, line.unit_discount, line.line_total) == (voucher, 36_000, 288_000)
    assert auto.pk != line.campaign_id
    page = client.get(order.get_absolute_url()).content.decode()
    assert "HE2026" in page and "72.000" in page.replace("\xa0", "")
    assert "Giảm giá (HE2026)" in mail.outbox[0].body


def test_the_total_limit_counts_orders_not_cancelled(client, django_capture_on_commit_callbacks):
    product = make_product(stock=10)
    make_campaign(products=[product], code="MOTLAN", max_total=1)
    add(client, product)
    apply_code(client, "MOTLAN")
    place(client)
    first = Order.objects.get()
    assert first.voucher_code == "MOTLAN"

    other = client.__class__()
    add(other, product)
    assert "Mã giảm giá “MOTLAN” đã hết lượt sử dụng." in messages_of(apply_code(other, "MOTLAN"))

    orders.transition(first, OrderStatus.CANCELLED, actor_label="test")  # a cancelled order frees its use
    assert any("Đã áp dụng" in m for m in messages_of(apply_code(other, "MOTLAN")))


def test_the_per_buyer_limit_is_checked_again_at_checkout_for_guests(client):
    product = make_product(stock=10)
    make_campaign(products=[product], code="MOINGUOI1", max_per_buyer=1)
    add(client, product)
    apply_code(client, "MOINGUOI1")
    place(client)
    assert Order.objects.count() == 1

    again = client.__class__()  # the same buyer as a new guest session: the cart cannot know yet
    add(again, product)
    assert any("Đã áp dụng" in m for m in messages_of(apply_code(again, "MOINGUOI1")))
    response = place(again, phone="0987654321")  # same e-mail
    assert response.status_code == 200 and Order.objects.count() == 1
    assert "Bạn đã dùng mã giảm giá “MOINGUOI1” đủ 1 lần cho phép." in response.content.decode()
    # Someone else may still use it.
    response = place(again, email="minh@example.com", phone="0987654321")
    assert response.status_code == 302 and Order.objects.count() == 2


def test_the_per_buyer_limit_for_a_signed_in_buyer_is_refused_in_the_cart(client, django_user_model):
    user = django_user_model.objects.create_user("lan", "lan@example.com", "pw-lan-12345")
    client.force_login(user)
    product = make_product(stock=10)
    make_campaign(products=[product], code="TAIKHOAN", max_per_buyer=1)
    add(client, product)
    apply_code(client, "TAIKHOAN")
    place(client)
    add(client, product)
    assert "Bạn đã dùng mã giảm giá “TAIKHOAN” đủ 1 lần cho phép." in messages_of(apply_code(client, "TAIKHOAN"))


def test_a_voucher_that_ended_after_it_was_entered_stops_the_checkout_once(client):
    product = make_product(price=100_000, stock=10)
    campaign = make_campaign(products=[product], code="SAPHET", value=50)
    add(client, product)
    apply_code(client, "SAPHET")
    CampaignPage.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    response = place(client)
    assert response.status_code == 200 and not Order.objects.exists()
    assert any("đã hết hạn" in m and "bỏ khỏi giỏ hàng" in m for m in messages_of(response))
    place(client)  # the buyer saw the change and submits again: full price
    order = Order.objects.get()
    assert (order.discount_total, order.voucher_campaign) == (0, None)


# --- Pages --------------------------------------------------------------------------------------

def test_the_campaign_page_lists_live_products_and_hides_sold_out_and_expired_ones(client):
    shown = make_product(title="Vải thiều Thanh Hà", price=100_000)
    sold_out = make_product(title="Hết hàng rồi", stock=0)
    expired = make_product(title="Chứng nhận hết hạn", decision_date=datetime.date(2019, 1, 1))
    revoked = make_product(title="Bị thu hồi")
    Certificate.objects.filter(product=revoked).update(revoked_on=datetime.date(2025, 10, 1))
    hidden = make_product(title="Chưa xuất bản")
    hidden.unpublish()
    make_product(title="Khớp điều kiện", stars=5, group_slug="do-uong")
    campaign = make_campaign(products=[shown, sold_out, expired, revoked, hidden], groups=["do-uong"], min_stars=5,
                             value=10)
    response = client.get(campaign.url)
    titles = {p.title for p in response.context["products"]}
    assert titles == {"Vải thiều Thanh Hà", "Khớp điều kiện"}
    assert "90.000" in response.content.decode().replace("\xa0", "")  # the campaign price
    assert CampaignDailyStat.objects.get(campaign=campaign).views == 1


def test_the_index_shows_running_upcoming_and_past_campaigns(client):
    now = timezone.now()
    make_campaign("Đang chạy")
    make_campaign("Sắp tới", starts=now + 5 * DAY, ends=now + 9 * DAY)
    make_campaign("Đã qua", starts=now - 9 * DAY, ends=now - 5 * DAY)
    response = client.get(campaign_index().url)
    assert [c.title for c in response.context["running"]] == ["Đang chạy"]
    assert [c.title for c in response.context["upcoming"]] == ["Sắp tới"]
    assert [c.title for c in response.context["past"]] == ["Đã qua"]


# --- Report and scope ---------------------------------------------------------------------------

def staff(django_user_model, username, provinces=()):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-12345678")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for slug in provinces:
        ProvinceOfficer.objects.create(user=user, province=province(slug))
    return user


def test_the_report_counts_views_add_to_carts_orders_revenue_and_top_products(client, admin_client):
    honey = make_product(title="Mật ong Đại Hợp", price=200_000, stock=10)
    tea = make_product(title="Chè Cẩm Mỹ", price=100_000, stock=10)
    campaign = make_campaign("Tết OCOP", owner=province("hai-phong"), products=[honey, tea], value=10)
    client.get(campaign.url)
    client.get(campaign.url)
    add(client, honey, 2)
    add(client, tea, 1)
    place(client)
    buyer = client.__class__()
    add(buyer, tea, 1)
    place(buyer, email="minh@example.com")
    cancelled = client.__class__()
    add(cancelled, honey, 1)
    place(cancelled, email="huy@example.com")
    orders.transition(Order.objects.get(email="huy@example.com"), OrderStatus.CANCELLED, actor_label="test")

    response = admin_client.get(reverse("shop_campaign_reports:detail", args=[campaign.pk]))
    assert response.status_code == 200
    figures = response.context["campaign"]
    assert (figures.views, figures.add_to_carts, figures.orders) == (2, 4, 2)
    assert figures.revenue == 2 * 180_000 + 2 * 90_000 and figures.discount == 60_000
    assert [(row["product_title"], row["units"], row["revenue"]) for row in response.context["top"]] == [
        ("Mật ong Đại Hợp", 2, 360_000), ("Chè Cẩm Mỹ", 2, 180_000)]
    assert "<svg" in response.content.decode()

    export = admin_client.get(reverse("shop_campaign_reports:csv", args=[campaign.pk]))
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeffChương trình,Tỉnh/thành phố")
    assert "Tết OCOP" in text and "Mật ong Đại Hợp,2,1,360000" in text
    assert ",2,4,2,4,540000,60000" in text

    listing = admin_client.get(reverse("shop_campaign_reports:index"))
    assert [c.title for c in listing.context["campaigns"]] == ["Tết OCOP"]


def test_the_report_csv_writes_a_formula_title_as_text(client, admin_client):
    honey = make_product(title="+Mật ong", price=200_000, stock=10)
    campaign = make_campaign("=cmd", products=[honey], value=10)
    add(client, honey, 1)
    place(client)
    text = admin_client.get(reverse("shop_campaign_reports:csv", args=[campaign.pk])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'=cmd" and ["'+Mật ong", "1", "1", "180000"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row), rows


def test_officers_see_only_their_provinces_reports_and_others_are_refused(client, django_user_model):
    ours = make_campaign("Hải Phòng", owner=province("hai-phong"))
    theirs = make_campaign("Hà Nội", owner=province("ha-noi"))
    national = make_campaign("Toàn quốc")
    client.force_login(staff(django_user_model, "canbo-hp", ["hai-phong"]))
    listing = client.get(reverse("shop_campaign_reports:index"))
    assert [c.title for c in listing.context["campaigns"]] == ["Hải Phòng"]
    assert client.get(reverse("shop_campaign_reports:detail", args=[ours.pk])).status_code == 200
    for campaign in (theirs, national):
        assert client.get(reverse("shop_campaign_reports:detail", args=[campaign.pk])).status_code == 403
        assert client.get(reverse("shop_campaign_reports:csv", args=[campaign.pk])).status_code == 403

    client.force_login(staff(django_user_model, "chu-the"))  # admin access but no role
    assert client.get(reverse("shop_campaign_reports:index")).status_code == 403
    assert client.get(reverse("shop_campaign_reports:detail", args=[ours.pk])).status_code == 403
    assert campaign_report.may_see_reports(listing.wsgi_request.user)


def test_the_admin_form_offers_an_officer_only_its_provinces_and_requires_one(django_user_model):
    officer = staff(django_user_model, "canbo-hp2", ["hai-phong"])
    form_class = CampaignPage.get_edit_handler().get_form_class()
    index = campaign_index()
    form = form_class(instance=CampaignPage(), parent_page=index, for_user=officer)
    assert list(form.fields["province"].queryset) == [province("hai-phong")]
    assert form.fields["province"].required
    assert list(form.fields["rule_provinces"].queryset) == [province("hai-phong")]
    bound = form_class({"title": "X", "slug": "x", "province": province("ha-noi").pk, "story-count": "0"},
                       instance=CampaignPage(),
                       parent_page=index, for_user=officer)
    assert not bound.is_valid() and "province" in bound.errors

    boss = django_user_model.objects.create_superuser("boss2", "b2@example.com", "pw-boss-123")
    national = form_class(instance=CampaignPage(), parent_page=index, for_user=boss)
    assert not national.fields["province"].required
    assert national.fields["province"].queryset.count() == 34


def test_an_officer_cannot_edit_another_provinces_campaign(client, django_user_model):
    officer = staff(django_user_model, "canbo-hp3", ["hai-phong"])
    group = Group.objects.create(name="Cán bộ khuyến mãi (thử)")
    for kind in ("add", "change", "publish"):
        GroupPagePermission.objects.create(group=group, page=campaign_index(),
                                           permission=Permission.objects.get(codename=f"{kind}_page"))
    officer.groups.add(group)
    ours = make_campaign("Của Hải Phòng", owner=province("hai-phong"))
    theirs = make_campaign("Của Hà Nội", owner=province("ha-noi"))
    client.force_login(officer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[ours.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("wagtailadmin_pages:delete", args=[theirs.pk])).status_code == 403


def test_model_validation_refuses_bad_windows_percentages_and_duplicate_codes():
    from django.core.exceptions import ValidationError

    make_campaign(code="TRUNG")
    now = timezone.now()
    page = CampaignPage(title="Sai", slug="sai", starts_at=now, ends_at=now - DAY, discount_kind="phan-tram",
                        discount_value=95, voucher_code=" trung ")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert set(error.value.message_dict) >= {"ends_at", "discount_value", "voucher_code"}


def test_the_demo_campaign_discounts_a_real_cart_and_is_reported(client, admin_client):
    from catalog.demo import demo_loaded

    demo_loaded.send(sender=None, today=timezone.localdate())
    demo_loaded.send(sender=None, today=timezone.localdate())  # idempotent
    campaign = CampaignPage.objects.get(voucher_code="VAITHIEU10")
    assert campaign.province == province("hai-phong") and campaign.live
    lychee = make_product(title="Vải thiều Thanh Hà", price=150_000, stars=4)  # Hải Phòng, food, 4★
    add(client, lychee, 2)
    apply_code(client, "vaithieu10")
    assert cart_of(client).discount_total == 30_000
    place(client)
    response = admin_client.get(reverse("shop_campaign_reports:detail", args=[campaign.pk]))
    assert (response.context["campaign"].orders, response.context["campaign"].revenue) == (1, 270_000)


def test_an_add_to_cart_counts_for_a_voucher_campaign_before_the_code_is_entered(client):
    litchi = make_product(title="Vải thiều Thanh Hà", price=65_000, stock=10)
    campaign = make_campaign("Mùa vải", owner=province("hai-phong"), products=[litchi], code="VAI10")
    add(client, litchi, 1)
    assert CampaignDailyStat.objects.get(campaign=campaign).add_to_carts == 1
