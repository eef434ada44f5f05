"""The "Chuyển khoản chưa khớp" screen, through the real admin URLs: staff assign a transfer that paid
no order by itself to the order it pays, or record its refund; each notice is handled once; producers
and province officers are refused."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from catalog.models import ProvinceOfficer
from catalog.roles import NATIONAL_ADMIN_GROUP
from shop.models import OrderEvent, PaymentNotice
from shop.order_rules import OrderStatus
from shop.transfers import notices
from tests.factories import make_producer, province
from tests.shop.test_admin import admin_group, last_message, member_client
from tests.shop.test_transfers import transfer_order

pytestmark = pytest.mark.django_db

SCREEN = "shop_transfers_unmatched"
_references = iter(range(700_001, 800_000))


def unmatched_transfer(amount, message="chuyen tien mua hang", payer="TRAN VAN BINH · 0987654321") -> PaymentNotice:
    transfer = notices.Transfer(provider=PaymentNotice.Provider.CASSO, reference=str(next(_references)),
                                amount=amount, message=message, payer=payer, payload={"error": 0})
    assert notices.receive(transfer) == PaymentNotice.Outcome.UNMATCHED
    return PaymentNotice.objects.get(provider="casso", reference=transfer.reference)


def assign(client, notice, number, **data):
    return client.post(reverse("shop_transfers_assign", args=[notice.pk]), {"order": number, **data})


def refund(client, notice, note):
    return client.post(reverse("shop_transfers_refund", args=[notice.pk]), {"note": note})


def test_staff_see_the_unmatched_transfers_newest_first_with_their_problem(admin_client):
    order = transfer_order(price=150_000)
    short = unmatched_transfer(order.total - 20_000, f"Thanh toan {order.number}")
    nameless = unmatched_transfer(275_000, "chuyen tien", payer="LE THI HOA")
    paid = transfer_order(price=99_000)
    assert notices.receive(notices.Transfer("casso", "paid-1", paid.total, f"Thanh toan {paid.number}")) == "paid"

    page = admin_client.get(reverse(SCREEN)).content.decode()
    assert page.index("LE THI HOA") < page.index("TRAN VAN BINH")  # newest first
    assert "275.000 ₫" in page and "Không đọc được mã đơn hàng" in page
    assert short.problem in page and f'value="{order.number}"' in page  # the order it names, offered
    assert paid.number not in page  # paid by itself: not waiting
    assert nameless.message in page


def test_assigning_a_transfer_pays_the_order_in_the_staff_members_name(admin_client):
    order = transfer_order()
    notice = unmatched_transfer(order.total, "CK NGUYEN THI LAN MUA HANG")  # the buyer forgot the number
    response = assign(admin_client, notice, f" {order.number.lower()} ", note="Khách gọi điện xác nhận")
    assert response.status_code == 302 and "đơn đã thanh toán" in last_message(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    event = order.events.latest("pk")
    assert event.to_status == OrderStatus.PAID and event.actor.username == "boss"
    assert event.note == f"Casso {notice.reference}. Khách gọi điện xác nhận"
    notice.refresh_from_db()
    assert (notice.outcome, notice.order, notice.handled_by.username) == ("assigned", order, "boss")
    assert notice.handled_at and notice.handled_note == "Khách gọi điện xác nhận"
    assert notice.message not in admin_client.get(reverse(SCREEN)).content.decode().split("Đã xử lý gần đây")[0]


@pytest.mark.parametrize("gap, payment_method, pay_first, message", [
    (-20_000, "vietqr", False, "Thiếu 20.000 ₫"),
    (10_000, "vietqr", False, "Thừa 10.000 ₫"),
    (0, "cod", False, "không thanh toán bằng chuyển khoản"),
    (0, "vietqr", True, "đã được thanh toán trước đó"),
])
def test_a_transfer_is_assigned_only_to_a_transfer_order_awaiting_exactly_its_amount(
        admin_client, gap, payment_method, pay_first, message):
    order = transfer_order(payment_method=payment_method)
    if pay_first:
        admin_client.post(reverse("shop_orders:action", args=[order.pk]), {"action": "xac-nhan-chuyen-khoan"})
    order.refresh_from_db()
    before = (order.status, order.events.count())
    notice = unmatched_transfer(order.total + gap)
    response = assign(admin_client, notice, order.number)
    assert response.status_code == 302 and message in last_message(response)
    order.refresh_from_db()
    notice.refresh_from_db()
    assert (order.status, order.events.count()) == before
    assert notice.outcome == "unmatched" and notice.handled_by is None


def test_an_unknown_order_number_is_refused(admin_client):
    notice = unmatched_transfer(100_000)
    for number in ("DH99123199999", "không biết", ""):
        assert "Không có đơn hàng" in last_message(assign(admin_client, notice, number))
    notice.refresh_from_db()
    assert notice.outcome == "unmatched"


def test_a_refund_needs_the_banks_reference_and_marks_the_notice_refunded(admin_client):
    order = transfer_order()
    notice = unmatched_transfer(order.total + 50_000, f"Thanh toan {order.number}")  # overpaid
    assert "Hãy nhập mã giao dịch hoàn tiền" in last_message(refund(admin_client, notice, "   "))
    notice.refresh_from_db()
    assert notice.outcome == "unmatched"

    response = refund(admin_client, notice, "FT26337123456 hoàn qua Vietcombank")
    assert response.status_code == 302 and "Đã ghi nhận hoàn lại" in last_message(response)
    notice.refresh_from_db()
    assert (notice.outcome, notice.handled_note, notice.handled_by.username) == (
        "refunded", "FT26337123456 hoàn qua Vietcombank", "boss")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # the order still waits for its own transfer
    assert "FT26337123456" in order.events.latest("pk").note


def test_a_notice_is_handled_once_even_by_two_staff_at_once(admin_client, django_user_model):
    order = transfer_order()
    notice = unmatched_transfer(order.total)
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw-clerk-123")
    with transaction.atomic():  # two staff, one after the other, each in its own transaction
        notices.assign(notice.pk, order.number, user=django_user_model.objects.get(username="boss"))
    with transaction.atomic(), pytest.raises(notices.NoticeError, match="đã được xử lý"):
        notices.refund(notice.pk, user=clerk, note="FT1")
    response = refund(admin_client, notice, "FT2")  # a second click on a page loaded before
    assert "đã được xử lý" in last_message(response)
    assert "đã được xử lý" in last_message(assign(admin_client, notice, order.number))
    notice.refresh_from_db()
    assert notice.outcome == "assigned" and order.events.filter(to_status=OrderStatus.PAID).count() == 1


def test_producers_and_province_officers_are_refused_and_do_not_see_the_menu(django_user_model):
    from wagtail.admin.menu import admin_menu

    order = transfer_order()
    notice = unmatched_transfer(order.total)
    producer_client, producer = member_client(django_user_model, make_producer(title="HTX Mật ong"), "mat-ong")
    officer = django_user_model.objects.create_user("canbo", "canbo@example.com", "pw-officer-123")
    officer.groups.add(admin_group())
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    officer_client = Client()
    officer_client.force_login(officer)
    for client in (producer_client, officer_client):
        assert client.get(reverse(SCREEN)).status_code == 403
        assert assign(client, notice, order.number).status_code == 403
        assert refund(client, notice, "FT1").status_code == 403
    notice.refresh_from_db()
    order.refresh_from_db()
    assert notice.outcome == "unmatched" and order.status == OrderStatus.AWAITING_PAYMENT

    def shown(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return "unmatched-transfers" in {item.name for item in admin_menu.menu_items_for_request(request)}

    national = django_user_model.objects.create_user("quocgia", "quocgia@example.com", "pw-national-123")
    national.groups.add(admin_group(), Group.objects.get_or_create(name=NATIONAL_ADMIN_GROUP)[0])
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw-clerk-123")
    clerk.groups.add(admin_group())
    clerk.user_permissions.add(Permission.objects.get(content_type__app_label="shop", codename="change_order"))
    assert not shown(producer) and not shown(officer) and shown(national) and shown(clerk)
    for user in (national, clerk):
        staff = Client()
        staff.force_login(user)
        assert staff.get(reverse(SCREEN)).status_code == 200


def test_the_screen_forms_work_with_csrf_checks_and_post_only(django_user_model):
    order = transfer_order()
    notice = unmatched_transfer(order.total + 1_000, f"Thanh toan {order.number}")  # overpaid
    boss = django_user_model.objects.create_superuser("boss2", "boss2@example.com", "pw-boss-123")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(boss)
    assert browser.get(reverse("shop_transfers_assign", args=[notice.pk])).status_code == 405
    page = browser.get(reverse(SCREEN)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert browser.post(reverse("shop_transfers_refund", args=[notice.pk]), {"note": "FT1"}).status_code == 403
    response = browser.post(reverse("shop_transfers_refund", args=[notice.pk]),
                            {"note": "FT1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.outcome == "refunded" and notice.handled_by == boss
    assert OrderEvent.objects.filter(order=order, actor=boss).exists()
