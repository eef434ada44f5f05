"""The checkout tells the price as you go: the summary's figures come from `shop:checkout_quote`,
which computes them as placing the order does; the address lists are sorted by the place's name
as people say it. (The browser side is tests/e2e/test_checkout_live.py.)"""

import pytest
from django.urls import reverse

from catalog.addresses import place_label, place_sort_key
from catalog.models import Commune, ProductVariant
from shop.forms import CheckoutForm, SavedAddressForm
from shop.models import Order
from tests.factories import commune, make_producer, make_product, province
from tests.shop.test_campaigns import make_campaign
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db


def quote(client, **params):
    return client.get(reverse("shop:checkout_quote"), params, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("method", ["tieu-chuan", "nhanh"])
def test_the_quote_is_what_placing_the_order_charges(client, method):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=5)
    tea = make_product(producer=make_producer(title="HTX Chè Cẩm Mỹ"), title="Chè Cẩm Mỹ", price=120_000, stock=3)
    make_campaign(products=[tea], value=10)
    add(client, honey, 2)
    add(client, tea, 1)
    data = checkout_data(delivery_method=method)
    answer = quote(client, province=data["province"], commune=data["commune"], delivery_method=method)
    assert answer.status_code == 200 and answer["Cache-Control"].startswith("max-age=0")
    figures = answer.json()
    assert figures["discount"] == 12_000 and figures["shipping_fee"] > 0
    assert figures["total"] == figures["subtotal"] - figures["discount"] + figures["shipping_fee"]

    client.post(reverse("shop:checkout"), data)
    order = Order.objects.get()
    assert (order.subtotal, order.discount_total, order.shipping_fee, order.total) == (
        figures["subtotal"], figures["discount"], figures["shipping_fee"], figures["total"])
    assert figures["display"]["total"] == f"{order.total:,}".replace(",", ".") + " ₫"


def test_without_a_province_the_quote_asks_for_one(client):
    add(client, make_product(price=50_000))
    figures = quote(client, province="", delivery_method="tieu-chuan").json()
    assert figures["shipping_fee"] is None and figures["total"] is None
    assert figures["display"]["shipping_fee"] == "chọn tỉnh để tính"


def test_free_shipping_shows_as_free(client, settings):
    settings.SHOP_FREE_SHIPPING_OVER = 100_000
    add(client, make_product(price=150_000))
    figures = quote(client, province=province("ha-noi").pk, delivery_method="tieu-chuan").json()
    assert figures["shipping_fee"] == 0 and figures["display"]["shipping_fee"] == "Miễn phí"
    assert figures["total"] == 150_000


def test_bad_input_and_an_empty_cart_are_answered_clearly(client):
    assert quote(client, province=province("ha-noi").pk).status_code == 409
    assert quote(client, province=province("ha-noi").pk).json()["error"] == "Giỏ hàng của bạn đang trống."
    add(client, make_product())
    bad = quote(client, province=province("ha-noi").pk, delivery_method="bay")
    assert bad.status_code == 400 and bad.json()["error"] == "Cách giao hàng không hợp lệ."
    assert quote(client, province="abc", delivery_method="nhanh").json()["shipping_fee"] is None


def test_the_quote_changes_nothing_so_the_order_still_warns_of_a_new_price(client):
    product = make_product(price=100_000)
    add(client, product)
    ProductVariant.objects.filter(product=product).update(price=120_000)
    figures = quote(client, province=province("ha-noi").pk, delivery_method="tieu-chuan").json()
    assert figures["subtotal"] == 120_000
    assert any("đã đổi từ 100.000 ₫ thành 120.000 ₫" in change for change in figures["changes"])
    response = client.post(reverse("shop:checkout"), checkout_data())
    assert response.status_code == 200 and not Order.objects.exists()  # told first, as without the quote
    assert any("đã đổi" in str(m) for m in response.context["messages"])


def test_without_javascript_the_update_button_still_shows_the_fee(client):
    add(client, make_product(price=100_000))
    data = checkout_data(recalculate="1")
    page = client.post(reverse("shop:checkout"), data)
    assert page.status_code == 200 and not Order.objects.exists()
    figures = quote(client, province=data["province"], delivery_method="tieu-chuan").json()
    html = page.content.decode()
    assert f'data-quote="shipping_fee">{figures["display"]["shipping_fee"]}</dd>' in html
    assert f'data-quote="total">{figures["display"]["total"]}</dd>' in html
    assert "data-quote-url=" in html and "data-recalculate" in html


# --- Lists in the order people say the names ---------------------------------------------------

def labels(field):
    return [label for value, label in field.choices if value != ""]


def test_provinces_sort_by_their_name_not_by_thanh_pho_or_tinh():
    names = labels(CheckoutForm().fields["province"])
    assert len(names) == 34
    assert names.index("Hà Nội") < names.index("Hải Phòng") < names.index("Hưng Yên")
    assert names[0] == "An Giang" and "Thành phố Hà Nội" not in names
    assert names == labels(SavedAddressForm().fields["province"])  # every address form alike


def test_communes_sort_by_their_name_with_their_kind_after_it():
    hanoi = province("ha-noi")
    names = labels(CheckoutForm(initial={"province": hanoi.pk}).fields["commune"])
    assert len(names) == Commune.objects.filter(province=hanoi).count()
    assert "Ba Đình (Phường)" in names and not any(n.startswith(("Phường ", "Xã ")) for n in names)
    assert names.index("Ba Đình (Phường)") < names.index("Cầu Giấy (Phường)") < names.index("Đống Đa (Phường)")
    bare = [n.rsplit(" (", 1)[0] for n in names]
    assert bare == sorted(bare, key=place_sort_key)


def test_a_xa_a_comes_before_a_phuong_b_and_ties_keep_the_accented_form():
    names = ["Phường Bình Minh", "Xã An Bình", "Đặc khu Côn Đảo", "Xã Ân Thi", "Phường An Bình"]
    ordered = sorted(names, key=place_sort_key)
    assert ordered[:2] == ["Phường An Bình", "Xã An Bình"] or ordered[:2] == ["Xã An Bình", "Phường An Bình"]
    assert ordered.index("Xã An Bình") < ordered.index("Xã Ân Thi") < ordered.index("Phường Bình Minh")
    assert ordered[-1] == "Đặc khu Côn Đảo"
    assert sorted(["Phường 10", "Phường 2"], key=place_sort_key) == ["Phường 2", "Phường 10"]
    assert place_label("Đặc khu Phú Quốc") == "Phú Quốc (Đặc khu)" and place_label("Quận 1") == "Quận 1"


def test_the_communes_endpoint_answers_in_the_same_order_and_labels(client):
    hanoi = province("ha-noi")
    rows = client.get(reverse("shop:communes"), {"tinh": hanoi.pk}).json()["communes"]
    assert [r["label"] for r in rows] == labels(CheckoutForm(initial={"province": hanoi.pk}).fields["commune"])
    ba_dinh = commune("Phường Ba Đình", "ha-noi")
    assert {"id": ba_dinh.pk, "name": "Phường Ba Đình", "label": "Ba Đình (Phường)"} in rows


def test_a_commune_chosen_from_the_sorted_list_still_validates(client):
    form = CheckoutForm(checkout_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"].name == "Phường Ba Đình"
