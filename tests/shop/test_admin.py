"""Orders in the Wagtail admin, through the real admin URLs: staff move whole orders, producers
pack and ship their own parcels, and nobody reaches what is not theirs."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse

from catalog.models import ProducerMember, ProductVariant
from catalog.templatetags.catalog_tags import vnd
from shop.models import Order, OrderEvent, SubOrder
from shop.order_rules import FulfilmentStatus, OrderStatus
from tests.factories import make_producer, make_product
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db


def place(products, payment_method="cod", **contact):
    """An order placed by a guest through the shop's own views."""
    buyer = Client()
    for product, quantity in products:
        add(buyer, product, quantity)
    response = buyer.post(reverse("shop:checkout"), checkout_data(payment_method=payment_method, **contact))
    assert response.status_code == 302
    return Order.objects.latest("pk")


def messages_of(response) -> list[str]:
    """The messages not shown yet (Wagtail adds whitespace for its optional buttons)."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def last_message(response) -> str:
    return messages_of(response)[-1]


def admin_group():
    group, _created = Group.objects.get_or_create(name="Chủ thể")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


def member_client(django_user_model, producer, username="htx"):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-member-123")
    user.groups.add(admin_group())
    ProducerMember.objects.create(user=user, producer=producer)
    client = Client()
    client.force_login(user)
    return client, user


def order_action(client, order, action, **data):
    return client.post(reverse("shop_orders:action", args=[order.pk]), {"action": action, **data})


def parcel_action(client, suborder, action, **data):
    return client.post(reverse("shop_suborders:action", args=[suborder.pk]), {"action": action, **data})


@pytest.fixture
def two_producers():
    honey_farm = make_producer(title="HTX Mật ong Đại Hợp")
    tea_farm = make_producer(title="HTX Chè Cẩm Mỹ")
    honey = make_product(producer=honey_farm, title="Mật ong Đại Hợp", price=180_000, stock=5)
    tea = make_product(producer=tea_farm, title="Chè Cẩm Mỹ", price=120_000, stock=3)
    return honey_farm, tea_farm, honey, tea


def test_staff_sees_every_order_filters_and_searches(admin_client, two_producers):
    _, _, honey, tea = two_producers
    cod = place([(honey, 1)], "cod", phone="0912 345 678")
    transfer = place([(tea, 2)], "vietqr", phone="0987 654 321", email="minh@example.com")

    page = admin_client.get(reverse("shop_orders:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert cod.number in text and transfer.number in text
    assert "Chờ thanh toán" in text and "Chuyển khoản ngân hàng (VietQR)" in text
    assert vnd(transfer.total) in text and vnd(cod.total) in text
    assert reverse("shop_orders:detail", args=[cod.pk]) in text

    listed = lambda response: {order.number for order in response.context["object_list"]}  # noqa: E731
    assert listed(admin_client.get(reverse("shop_orders:index"), {"status": OrderStatus.AWAITING_PAYMENT})) == {transfer.number}
    assert listed(admin_client.get(reverse("shop_orders:index"), {"payment_method": "cod"})) == {cod.number}
    assert listed(admin_client.get(reverse("shop_orders:index"), {"q": "0912 345 678"})) == {cod.number}
    assert listed(admin_client.get(reverse("shop_orders:index"), {"q": "minh@example"})) == {transfer.number}
    assert listed(admin_client.get(reverse("shop_orders:index_results"), {"q": transfer.number})) == {transfer.number}


def test_staff_confirms_a_bank_transfer_and_the_history_records_who(admin_client, two_producers):
    _, _, honey, tea = two_producers
    order = place([(honey, 1), (tea, 1)], "vietqr")
    detail = admin_client.get(reverse("shop_orders:detail", args=[order.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "Xác nhận đã nhận chuyển khoản" in text and "Huỷ đơn" in text
    assert "Xác nhận đơn COD" not in text and "Hoàn tiền" not in text  # only the allowed transitions
    assert "HTX Mật ong Đại Hợp" in text and "HTX Chè Cẩm Mỹ" in text  # lines per producer

    response = order_action(admin_client, order, "xac-nhan-chuyen-khoan", note="Đã thấy tiền về VCB")
    assert response.status_code == 302 and response["Location"] == reverse("shop_orders:detail", args=[order.pk])
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    event = order.events.latest("pk")
    assert (event.from_status, event.to_status, event.actor.username) == (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, "boss")
    assert event.note == "Đã thấy tiền về VCB"
    text = admin_client.get(reverse("shop_orders:detail", args=[order.pk])).content.decode()
    assert "Xác nhận đã nhận chuyển khoản" not in text and "boss" in text


def test_staff_cannot_perform_a_transition_the_status_does_not_allow(admin_client, two_producers):
    _, _, honey, _ = two_producers
    cod = place([(honey, 1)], "cod")
    for action in ("xac-nhan-chuyen-khoan", "da-giao-thu-tien", "hoan-tien"):
        response = order_action(admin_client, cod, action)
        assert response.status_code == 302
        assert last_message(response).startswith("Không thể")
    response = order_action(admin_client, cod, "xoa-het")
    assert last_message(response) == "Thao tác không hợp lệ."
    cod.refresh_from_db()
    assert cod.status == OrderStatus.PLACED and cod.events.count() == 1

    assert admin_client.get(reverse("shop_orders:action", args=[cod.pk])).status_code == 405
    assert admin_client.post(reverse("shop_orders:action", args=[999_999]), {"action": "huy"}).status_code == 404
    assert admin_client.get(reverse("shop_orders:detail", args=[999_999])).status_code == 404


def test_a_cod_order_is_confirmed_then_delivered_and_paid(admin_client, two_producers):
    _, _, honey, _ = two_producers
    order = place([(honey, 1)], "cod")
    order_action(admin_client, order, "xac-nhan-cod")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    # Delivered only once shipped: the order-level button appears when the parcel is on its way.
    assert last_message(order_action(admin_client, order, "da-giao-thu-tien")).startswith("Không thể")
    parcel_action(admin_client, order.suborders.get(), "da-gui", tracking_number="GHN123")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    order_action(admin_client, order, "da-giao-thu-tien")
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.suborders.get().status == FulfilmentStatus.DELIVERED


def test_cancelling_from_the_admin_gives_the_stock_back(admin_client, two_producers):
    _, _, honey, tea = two_producers
    order = place([(honey, 2), (tea, 1)], "vietqr")
    assert ProductVariant.objects.get(product=honey).stock == 3
    response = order_action(admin_client, order, "huy", note="Khách gọi điện huỷ")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and not order.stock_reserved
    assert ProductVariant.objects.get(product=honey).stock == 5 and ProductVariant.objects.get(product=tea).stock == 3
    assert set(order.suborders.values_list("status", flat=True)) == {FulfilmentStatus.CANCELLED}
    assert order.events.latest("pk").actor.username == "boss"
    assert "Đã huỷ" in last_message(response)
    # Cancelled is final: a second cancel is refused and gives nothing back twice.
    order_action(admin_client, order, "huy")
    assert ProductVariant.objects.get(product=honey).stock == 5


def test_stripe_refund_asks_stripe_and_says_when_it_fails(admin_client, two_producers, stripe_mock):
    """A real refund request to stripe-mock; then Stripe unreachable (nothing listens on port 9)."""
    _, _, honey, _ = two_producers
    order = place([(honey, 1)], "cod")
    Order.objects.filter(pk=order.pk).update(payment_method="stripe", status=OrderStatus.PAID, stripe_payment_intent="pi_1")
    response = order_action(admin_client, order, "hoan-tien")
    assert response.status_code == 302 and "Đã gửi yêu cầu hoàn tiền" in last_message(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the charge.refunded webhook moves it
    assert order.events.latest("pk").actor.username == "boss"
    stripe_mock.STRIPE_API_BASE = "http://127.0.0.1:9"
    response = order_action(admin_client, order, "hoan-tien")
    assert response.status_code == 302 and "Stripe chưa hoàn được tiền" in last_message(response)


def test_a_producer_sees_and_ships_only_its_own_parcels(client, admin_client, two_producers, django_user_model):
    honey_farm, tea_farm, honey, tea = two_producers
    order = place([(honey, 1), (tea, 1)], "vietqr")
    other = place([(tea, 1)], "cod")
    order_action(admin_client, order, "xac-nhan-chuyen-khoan")
    honey_client, honey_user = member_client(django_user_model, honey_farm, "mat-ong")
    tea_client, _ = member_client(django_user_model, tea_farm, "che")
    mine = order.suborders.get(producer=honey_farm)
    theirs = order.suborders.get(producer=tea_farm)

    page = honey_client.get(reverse("shop_suborders:index"))
    assert page.status_code == 200
    assert [suborder.pk for suborder in page.context["object_list"]] == [mine.pk]
    text = page.content.decode()
    assert order.number in text and other.number not in text and "Mật ong Đại Hợp" in text
    assert "Nguyễn Thị Lan" in text and "0912345678" in text and "12 Phan Đình Phùng" in text
    assert "Chè Cẩm Mỹ (" not in text
    assert 'name="csrfmiddlewaretoken"' in text  # the inline action forms work in a browser

    response = parcel_action(honey_client, mine, "dang-chuan-bi")
    assert response.status_code == 302
    mine.refresh_from_db()
    order.refresh_from_db()
    assert mine.status == FulfilmentStatus.PROCESSING and order.status == OrderStatus.PROCESSING
    assert mine.events.latest("pk").actor == honey_user

    response = parcel_action(honey_client, mine, "da-gui", tracking_number="  ")
    assert last_message(response) == "Hãy nhập mã vận đơn khi gửi hàng."
    mine.refresh_from_db()
    assert mine.status == FulfilmentStatus.PROCESSING

    next_url = reverse("shop_suborders:index") + "?status=dang-xu-ly"
    response = parcel_action(honey_client, mine, "da-gui", tracking_number="GHN-001", next=next_url)
    assert response["Location"] == next_url
    mine.refresh_from_db()
    order.refresh_from_db()
    assert (mine.status, mine.tracking_number) == (FulfilmentStatus.SHIPPED, "GHN-001")
    assert order.status == OrderStatus.PROCESSING  # the tea parcel is not on its way yet

    parcel_action(tea_client, theirs, "da-gui", tracking_number="VTP-777")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED  # every parcel shipped

    parcel_action(honey_client, mine, "da-giao")
    parcel_action(tea_client, theirs, "da-giao")
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_a_producer_cannot_reach_other_parcels_or_the_staff_pages(two_producers, django_user_model):
    honey_farm, tea_farm, honey, tea = two_producers
    order = place([(honey, 1), (tea, 1)], "cod")
    honey_client, _ = member_client(django_user_model, honey_farm, "mat-ong")
    theirs = order.suborders.get(producer=tea_farm)
    mine = order.suborders.get(producer=honey_farm)

    assert honey_client.get(reverse("shop_suborders:detail", args=[mine.pk])).status_code == 200
    assert honey_client.get(reverse("shop_suborders:detail", args=[theirs.pk])).status_code == 404
    assert parcel_action(honey_client, theirs, "dang-chuan-bi").status_code == 404
    assert honey_client.get(reverse("shop_suborders:action", args=[mine.pk])).status_code == 405
    assert honey_client.get(reverse("shop_orders:index")).status_code == 403
    assert honey_client.get(reverse("shop_orders:detail", args=[order.pk])).status_code == 403
    assert order_action(honey_client, order, "xac-nhan-cod").status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and SubOrder.objects.get(pk=theirs.pk).status == FulfilmentStatus.PENDING

    # A COD order not yet confirmed cannot be packed: a message, not a change.
    response = parcel_action(honey_client, mine, "dang-chuan-bi")
    assert response.status_code == 302 and last_message(response).startswith("Không thể")
    response = parcel_action(honey_client, mine, "bay-di")
    assert last_message(response) == "Thao tác không hợp lệ."
    assert SubOrder.objects.get(pk=mine.pk).status == FulfilmentStatus.PENDING

    # A user with admin access who acts for no producer sees neither list.
    loner = django_user_model.objects.create_user("loner", "loner@example.com", "pw-loner-123")
    loner.groups.add(admin_group())
    loner_client = Client()
    loner_client.force_login(loner)
    assert loner_client.get(reverse("shop_suborders:index")).status_code == 403
    assert loner_client.get(reverse("shop_suborders:detail", args=[mine.pk])).status_code == 403
    assert loner_client.get(reverse("shop_orders:index")).status_code == 403


def test_staff_with_the_order_permission_and_the_menus(two_producers, django_user_model, admin_client):
    from wagtail.admin.menu import admin_menu

    honey_farm, _, honey, _ = two_producers
    order = place([(honey, 1)], "cod")
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw-clerk-123")
    clerk.groups.add(admin_group())
    clerk.user_permissions.add(Permission.objects.get(content_type__app_label="shop", codename="change_order"))
    clerk_client = Client()
    clerk_client.force_login(clerk)
    assert clerk_client.get(reverse("shop_orders:index")).status_code == 200
    order_action(clerk_client, order, "xac-nhan-cod")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and order.events.latest("pk").actor == clerk
    # Staff open any parcel too (the order page lists them with their actions).
    assert clerk_client.get(reverse("shop_suborders:detail", args=[order.suborders.get().pk])).status_code == 200

    _, member = member_client(django_user_model, honey_farm, "mat-ong")

    def menu_names(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.name for item in admin_menu.menu_items_for_request(request)}

    assert "orders" in menu_names(clerk) and "my-suborders" not in menu_names(clerk)
    assert "my-suborders" in menu_names(member) and "orders" not in menu_names(member)

    # The links between users and producers are managed by staff only.
    members_url = reverse("wagtailsnippets_catalog_producermember:list")
    assert admin_client.get(members_url).status_code == 200
    member_client_ = Client()
    member_client_.force_login(member)
    assert member_client_.get(members_url).status_code in (302, 403)


def test_admin_actions_work_with_csrf_checks(two_producers, django_user_model):
    _, _, honey, _ = two_producers
    order = place([(honey, 1)], "vietqr")
    boss = django_user_model.objects.create_superuser("boss2", "boss2@example.com", "pw-boss-123")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(boss)
    page = browser.get(reverse("shop_orders:detail", args=[order.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(reverse("shop_orders:action", args=[order.pk]),
                            {"action": "xac-nhan-chuyen-khoan", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID, actor=boss).exists()

