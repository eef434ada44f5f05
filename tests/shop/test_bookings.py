"""Community-tourism bookings (OCOP group 6): stays and tours sold for a date and a number of
guests, with places per date, no parcel and no delivery fee; a QR code for the host's check; the
producer's bookings per day."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProductVariant, ProvinceOfficer
from shop import bookings
from shop.models import BookingSlot, CartLine, Order, OrderLine
from shop.order_rules import OrderStatus
from tests.factories import make_producer, make_product, province
from tests.shop.test_admin import admin_group, member_client
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def make_tour(producer=None, title="Homestay bản Áng", capacity=5, price=350_000):
    product = make_product(producer=producer, title=title, group_slug="du-lich", price=price, stock=0)
    ProductVariant.objects.filter(product=product).update(weight_grams=None, capacity_per_date=capacity,
                                                          name="1 đêm homestay / người")
    return product


def variant_of(product):
    return ProductVariant.objects.get(product=product)


def book(client, product, date=IN_A_WEEK, guests=2, **extra):
    return client.post(reverse("shop:cart_add"), {"variant": variant_of(product).pk, "date": date.isoformat(),
                                                  "guests": guests, **extra})


def booking_checkout(**overrides):
    """Name, phone and e-mail only: the address fields left empty."""
    return checkout_data(province="", commune="", street="", delivery_method="", **overrides)


def messages_text(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# --- The product page and the cart ------------------------------------------------------------------

def test_product_page_offers_the_next_fourteen_dates_with_places_left(client):
    tour = make_tour(capacity=6)
    BookingSlot.objects.create(variant=variant_of(tour), date=TOMORROW, capacity=6, booked=6)
    html = client.get(tour.url).content.decode()
    assert 'name="date"' in html and 'name="guests"' in html
    assert "Thêm vào giỏ" not in html  # no parcel form for a stay
    assert f'value="{TOMORROW.isoformat()}" disabled' in html  # full: cannot be chosen
    assert html.count("còn 6 chỗ") == 13
    assert (timezone.localdate()).isoformat() not in re.findall(r'value="(\d{4}-\d\d-\d\d)"', html)


def test_the_cart_line_carries_the_date_and_guests(client):
    tour = make_tour()
    response = book(client, tour, guests=3)
    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.booking_date, line.quantity) == (IN_A_WEEK, 3)
    page = client.get(reverse("shop:cart")).content.decode()
    assert IN_A_WEEK.strftime("%d/%m/%Y") in page and "3 khách" in page


@pytest.mark.parametrize("date, message", [
    (timezone.localdate(), "Chỉ đặt được từ ngày"),
    (timezone.localdate() + datetime.timedelta(days=400), "tối đa một năm"),
])
def test_a_date_outside_the_booking_window_is_refused(client, date, message):
    response = book(client, make_tour(), date=date)
    assert message in messages_text(response) and not CartLine.objects.exists()


def test_more_guests_than_places_is_refused_in_vietnamese(client):
    tour = make_tour(capacity=4)
    response = book(client, tour, guests=5)
    assert "chỉ còn 4 chỗ" in messages_text(response) and not CartLine.objects.exists()
    BookingSlot.objects.create(variant=variant_of(tour), date=IN_A_WEEK, capacity=0, is_override=True)
    response = book(client, tour, guests=1)
    assert "đã hết chỗ" in messages_text(response)


def test_guests_change_in_the_cart_within_the_places_left(client):
    tour = make_tour(capacity=4)
    book(client, tour, guests=1)
    line = CartLine.objects.get()
    client.post(reverse("shop:cart_update"), {"line": line.pk, "quantity": 4})
    assert CartLine.objects.get().quantity == 4
    response = client.post(reverse("shop:cart_update"), {"line": line.pk, "quantity": 5})
    assert "chỉ còn 4 chỗ" in messages_text(response) and CartLine.objects.get().quantity == 4


def test_a_guest_cart_booking_joins_the_account_cart_at_sign_in(client, django_user_model):
    from shop.cart import merge_into_account
    from shop.models import Cart

    tour = make_tour(capacity=10)
    user = django_user_model.objects.create_user("khach", "khach@example.com", "pw-khach-123")
    account = Cart.objects.create(user=user)
    CartLine.objects.create(cart=account, variant=variant_of(tour), booking_date=IN_A_WEEK, quantity=2, price_seen=1)
    book(client, tour, guests=3)
    book(client, tour, date=TOMORROW, guests=1)
    merge_into_account(client.session["cart_id"], user)
    assert sorted(account.lines.values_list("booking_date", "quantity")) == [(TOMORROW, 1), (IN_A_WEEK, 5)]


# --- Checkout: no address, no delivery fee ----------------------------------------------------------

def test_a_bookings_only_order_needs_no_address_and_pays_no_delivery(client, django_capture_on_commit_callbacks):
    tour = make_tour(price=350_000)
    book(client, tour, guests=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("shop:checkout"), booking_checkout())
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.subtotal, order.shipping_fee, order.total) == (700_000, 0, 700_000)
    assert order.province is None and order.commune is None
    line = OrderLine.objects.get()
    assert (line.booking_date, line.quantity) == (IN_A_WEEK, 2)
    assert BookingSlot.objects.get(variant=variant_of(tour), date=IN_A_WEEK).booked == 2
    assert variant_of(tour).stock == 0  # places, not stock


def test_goods_still_need_an_address(client):
    add(client, make_product(stock=5), 1)
    response = client.post(reverse("shop:checkout"), booking_checkout())
    assert response.status_code == 200 and not Order.objects.exists()


def test_a_mixed_cart_charges_delivery_only_for_the_goods(client):
    farm = make_producer(title="HTX Du lịch và mật ong")
    tour = make_tour(producer=farm, price=350_000)
    honey = make_product(producer=farm, title="Mật ong", price=180_000, stock=5)  # 1 kg
    book(client, tour, guests=4)  # 1.4 million đồng of bookings: not towards free shipping
    add(client, honey, 1)
    client.post(reverse("shop:checkout"), checkout_data())
    order = Order.objects.get()
    # Hà Nội, standard, 1 kg: 22,000 đồng; the four guests weigh nothing.
    assert order.shipping_fee == 22_000 and order.suborders.get().weight_grams == 1000
    assert order.total == 4 * 350_000 + 180_000 + 22_000


def test_bookings_do_not_count_towards_free_shipping(client, settings):
    settings.SHOP_FREE_SHIPPING_OVER = 500_000
    book(client, make_tour(price=350_000), guests=2)
    add(client, make_product(price=100_000, stock=5), 1)
    client.post(reverse("shop:checkout"), checkout_data())
    assert Order.objects.get().shipping_fee == 22_000


def test_places_taken_since_the_cart_refuse_the_order(client):
    tour = make_tour(capacity=3)
    book(client, tour, guests=3)
    bookings.take([bookings.Booking(variant_of(tour).pk, IN_A_WEEK, 2)])  # someone else booked meanwhile
    response = client.post(reverse("shop:checkout"), booking_checkout())
    assert not Order.objects.exists()
    assert "chỉ còn 1 chỗ" in messages_text(response)
    assert CartLine.objects.get().quantity == 1  # the cart shrank to what is left


def test_cancelling_the_order_gives_the_places_back(client):
    tour = make_tour(capacity=5)
    book(client, tour, guests=3)
    client.post(reverse("shop:checkout"), booking_checkout())
    order = Order.objects.get()
    slot = BookingSlot.objects.get(variant=variant_of(tour), date=IN_A_WEEK)
    assert slot.booked == 3
    client.post(reverse("shop:order_cancel", args=[order.number]) + f"?t={order.access_token}")
    order.refresh_from_db()
    slot.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and slot.booked == 0
    assert bookings.places_left(variant_of(tour), [IN_A_WEEK])[IN_A_WEEK] == 5


def test_a_producer_capacity_for_a_date_overrides_the_default():
    variant = variant_of(make_tour(capacity=5))
    bookings.set_capacity(variant, IN_A_WEEK, 8)
    bookings.take([bookings.Booking(variant.pk, IN_A_WEEK, 8)])
    with pytest.raises(bookings.BookingError):
        bookings.take([bookings.Booking(variant.pk, IN_A_WEEK, 1)])
    bookings.set_capacity(variant, TOMORROW, 0)  # closed
    assert bookings.places_left(variant, [TOMORROW])[TOMORROW] == 0


# --- The QR code and the host's check ---------------------------------------------------------------

@pytest.fixture
def booked_order(django_capture_on_commit_callbacks):
    farm = make_producer(title="Tổ hợp tác bản Áng")
    tour = make_tour(producer=farm)
    buyer = Client()
    book(buyer, tour, guests=2)
    with django_capture_on_commit_callbacks(execute=True):
        buyer.post(reverse("shop:checkout"), booking_checkout())
    order = Order.objects.get()
    return farm, order, OrderLine.objects.get(suborder__order=order)


def test_the_order_page_and_email_carry_the_qr_code_and_booking_code(client, booked_order):
    _farm, order, line = booked_order
    html = client.get(order.get_absolute_url()).content.decode()
    code = f"{order.number}-{line.pk}"
    assert code in html and 'class="booking-qr"' in html and "<svg" in html
    message = mail.outbox[-1]
    assert code in message.body and bookings.check_url(line) in message.body
    assert IN_A_WEEK.strftime("%d/%m/%Y") in message.body and "2 khách" in message.body
    names = [name for name, _content, mimetype in message.attachments if mimetype == "image/png"]
    assert names == [f"dat-cho-{code}.png"]
    png = message.attachments[0][1]
    assert png.startswith(b"\x89PNG")


def test_the_check_page_shows_the_booking_to_the_hosts_members_only(django_user_model, booked_order):
    farm, order, line = booked_order
    url = reverse("shop_bookings:check", args=[bookings.check_token(line)])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    host, _user = member_client(django_user_model, farm)
    page = host.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert order.name in html and "1 đêm homestay / người" in html and IN_A_WEEK.strftime("%d/%m/%Y") in html

    other, _user = member_client(django_user_model, make_producer(title="HTX khác"), username="other")
    assert other.get(url).status_code == 403
    forged = reverse("shop_bookings:check", args=[f"{line.pk}:forged"])
    assert host.get(forged).status_code == 404


# --- The producer's bookings per day ----------------------------------------------------------------

def test_the_producer_sees_its_own_bookings_per_day(django_user_model, booked_order):
    farm, order, line = booked_order
    make_tour(producer=make_producer(title="HTX Du lịch Hạ Long", province_slug="ha-noi",
                                     commune_name="Phường Ba Đình", legacy_province_slug=None),
              title="Tour vịnh khác")
    host, _user = member_client(django_user_model, farm)
    html = host.get(reverse("shop_bookings:index")).content.decode()
    assert order.name in html and order.phone in html and "3 / 5" in html
    assert "Tour vịnh khác" not in html  # another producer's

    response = host.post(reverse("shop_bookings:capacity"), {
        "variant": line.variant_id, "date": IN_A_WEEK.isoformat(), "capacity": "0"})
    assert response.status_code == 302
    assert bookings.places_left(line.variant, [IN_A_WEEK])[IN_A_WEEK] == 0


def test_the_bookings_screen_is_scoped_by_role(django_user_model, booked_order, admin_client):
    _farm, _order, line = booked_order
    other_tour = make_tour(producer=make_producer(title="HTX Du lịch Ba Đình", province_slug="ha-noi",
                                                  commune_name="Phường Ba Đình", legacy_province_slug=None),
                           title="Tour phố cổ")
    index = reverse("shop_bookings:index")
    # A province officer: their province's producers only.
    officer = django_user_model.objects.create_user("officer", "o@example.com", "pw-officer-123")
    officer.groups.add(admin_group())
    ProvinceOfficer.objects.create(user=officer, province=province("ha-noi"))
    officer_client = Client()
    officer_client.force_login(officer)
    html = officer_client.get(index).content.decode()
    assert "Tour phố cổ" in html and "Homestay bản Áng" not in html
    # Out of scope: another province's offer cannot be changed.
    response = officer_client.post(reverse("shop_bookings:capacity"), {
        "variant": line.variant_id, "date": IN_A_WEEK.isoformat(), "capacity": "9"})
    assert response.status_code == 404
    # National admins: everything.
    html = admin_client.get(index).content.decode()
    assert "Tour phố cổ" in html and "Homestay bản Áng" in html
    # Someone with admin access but no role: 403.
    nobody = django_user_model.objects.create_user("nobody", "n@example.com", "pw-nobody-123")
    nobody.groups.add(admin_group())
    nobody_client = Client()
    nobody_client.force_login(nobody)
    assert nobody_client.get(index).status_code == 403
    assert variant_of(other_tour).capacity_per_date == 5


# --- The editor: weight only for goods --------------------------------------------------------------

@pytest.mark.parametrize("group_slug, weight, capacity, error_field", [
    ("du-lich", "", "10", None),
    ("du-lich", "", "", "capacity_per_date"),
    ("thuc-pham", "", "", "weight_grams"),
    ("thuc-pham", "500", "", None),
])
def test_weight_is_optional_only_for_bookable_products(django_user_model, group_slug, weight, capacity, error_field):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    from catalog.models import ProductGroup, ProductPage

    producer = make_producer()
    form_class = ProductPage.get_edit_handler().get_form_class()
    data = nested_form_data({
        "title": "Sản phẩm mới", "slug": "san-pham-moi", "group": ProductGroup.objects.get(slug=group_slug).pk,
        "description": rich_text(""), "images": inline_formset([]),
        "variants": inline_formset([{"sku": "NEW-1", "name": "Gói", "weight_grams": weight, "price": "100000",
                                     "gtin": "", "capacity_per_date": capacity}]),
    })
    form = form_class(data, instance=ProductPage(), parent_page=producer,
                      for_user=django_user_model.objects.create_superuser("ed", "ed@example.com", "pw-ed-12345"))
    form.is_valid()
    errors = form.formsets["variants"].forms[0].errors
    assert (error_field in errors) if error_field else not errors, errors
