"""Returns and complaints in the Wagtail admin ("Đổi trả & khiếu nại"), through the real admin URLs:
the producer's members accept or answer before the deadline (a refund through the gateway at once;
for cash and VietQR orders staff record their bank transfer, which makes the Refund and the ledger's
reversal); escalated requests are decided by the officers of the producer's province or a national
admin; nobody reaches another producer's or province's requests, and two decisions never refund twice."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.db.models import Sum
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from catalog import roles
from catalog.models import ProducerMember, ProvinceOfficer
from catalog.permissions import setup_roles
from shop import orders, returns
from shop.models import EntryKind, LedgerEntry, Refund, ReturnRequest
from shop.order_rules import FulfilmentStatus
from tests.factories import make_producer, province
from tests.shop.test_momo import fake_momo, paid_order  # noqa: F401 - the local MoMo fixture
from tests.shop.test_returns import delivered, form, open_url, private_storage  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
Status = ReturnRequest.Status


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(django_user_model):
    """A Hải Phòng producer and its member, another producer's member, officers of Hải Phòng and Hà
    Nội, a national admin and order staff (a superuser)."""
    setup_roles()

    def user(name, **extra):
        return django_user_model.objects.create_user(name, f"{name}@example.com", "pw-returns-123", **extra)

    producer, other = make_producer(title="HTX Mật ong Đại Hợp"), make_producer(title="HTX Chè Cẩm Mỹ")
    member, other_member = user("htx"), user("htx-khac")
    ProducerMember.objects.create(user=member, producer=producer)
    ProducerMember.objects.create(user=other_member, producer=other)
    officer, far_officer = user("canbo-hp"), user("canbo-hn")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    ProvinceOfficer.objects.create(user=far_officer, province=province("ha-noi"))
    national = user("quocgia")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    staff = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    return {"producer": producer, "member": member, "other_member": other_member, "officer": officer,
            "far_officer": far_officer, "national": national, "staff": staff}


def opened(buyer, producer, payment_method="cod", **overrides):
    order, suborder = delivered(buyer, payment_method, producer=producer)
    assert buyer.post(open_url(order, suborder), form(**overrides)).status_code == 302
    return ReturnRequest.objects.get(suborder=suborder)


def detail(pk):
    return reverse("shop_returns_detail", args=[pk])


def act(client, made, action, **data):
    return client.post(reverse("shop_returns_action", args=[made.pk]), {"action": action, **data})


def last_message(response) -> str:
    return [str(message).strip() for message in get_messages(response.wsgi_request)][-1]


def parcel_total(suborder) -> int:
    return LedgerEntry.objects.filter(suborder=suborder).aggregate(total=Sum("amount"))["total"]


def escalate(made):
    ReturnRequest.objects.filter(pk=made.pk).update(answer_by=timezone.now() - datetime.timedelta(minutes=1))
    assert returns.escalate_overdue() == 1
    made.refresh_from_db()
    return made


def test_producer_accepts_a_refund_on_a_vietqr_order_and_it_waits_for_staffs_bank_reference(
        client, people, django_capture_on_commit_callbacks):
    order, suborder = delivered(client, "vietqr", producer=people["producer"])
    assert suborder.shipping_fee >= 10_000
    before = parcel_total(suborder)
    assert before == 200_000 + suborder.shipping_fee  # a cooperative: no commission or tax set
    assert client.post(open_url(order, suborder), form(amount=str(200_000 + 10_000))).status_code == 302
    made = ReturnRequest.objects.get()

    producer = login(people["member"])
    listing = producer.get(reverse("shop_returns")).content.decode()
    assert order.number in listing
    with django_capture_on_commit_callbacks(execute=True):
        act(producer, made, "accept")
    made.refresh_from_db()
    assert made.status == Status.ACCEPTED and not Refund.objects.exists()  # a producer cannot move money
    assert "lan@example.com" in {address for message in mail.outbox for address in message.to}
    assert "boss@example.com" in {address for message in mail.outbox for address in message.to}  # staff pay it

    staff = login(people["staff"])
    assert "Đã chuyển khoản hoàn tiền" in staff.get(detail(made.pk)).content.decode()
    response = act(staff, made, "record", reference="")
    assert "mã giao dịch" in last_message(response) and not Refund.objects.exists()
    act(staff, made, "record", reference="FT26131000123")
    made.refresh_from_db()
    refund = Refund.objects.get()
    assert made.status == Status.UPHELD and made.refund == refund
    assert (refund.amount, refund.goods, refund.shipping, refund.reference) == (210_000, 200_000, 10_000, "FT26131000123")
    assert refund.suborder == suborder and refund.created_by == people["staff"]
    reversals = LedgerEntry.objects.filter(refund=refund)
    assert reversals and all(entry.reverses_id for entry in reversals)
    assert {entry.reverses.kind: entry.amount for entry in reversals} == {EntryKind.GOODS: -200_000,
                                                                         EntryKind.SHIPPING: -10_000}
    assert parcel_total(suborder) == before - 210_000
    assert [event.status for event in made.events.all()] == [Status.OPEN, Status.ACCEPTED, Status.UPHELD]


def test_a_gateway_refund_is_made_at_once_when_the_producer_accepts(client, people, fake_momo):  # noqa: F811
    order, _body = paid_order(client, fake_momo)
    suborder = order.suborders.get()
    ProducerMember.objects.create(user=people["member"], producer=suborder.producer)
    orders.fulfil(suborder, FulfilmentStatus.SHIPPED, tracking_number="GHN1")
    orders.fulfil(suborder, FulfilmentStatus.DELIVERED)
    assert client.post(open_url(order, suborder), form(amount="50000", refund_account=None)).status_code == 302
    made = ReturnRequest.objects.get()
    act(login(people["member"]), made, "accept")
    made.refresh_from_db()
    refund = Refund.objects.get()
    assert made.status == Status.UPHELD and made.refund == refund and refund.amount == 50_000
    assert [r["amount"] for r in fake_momo.refunds] == [50_000] and refund.reference.isdigit()


def test_producers_never_see_other_producers_requests(client, people):
    made = opened(client, people["producer"])
    other = login(people["other_member"])
    assert made.suborder.order.number not in other.get(reverse("shop_returns")).content.decode()
    assert other.get(detail(made.pk)).status_code == 403
    assert act(other, made, "accept").status_code == 403
    assert other.get(reverse("shop:return_photo", args=[made.public_id, 1])).status_code == 404
    made.refresh_from_db()
    assert made.status == Status.OPEN
    nobody = Client()
    nobody.force_login(people["officer"])  # an officer before escalation: not theirs yet
    assert nobody.get(detail(made.pk)).status_code == 403
    assert made.suborder.order.number not in nobody.get(reverse("shop_returns")).content.decode()


def test_the_producer_answers_with_a_required_text(client, people, django_capture_on_commit_callbacks):
    made = opened(client, people["producer"])
    producer = login(people["member"])
    assert "Hãy ghi câu trả lời" in last_message(act(producer, made, "answer", note="  "))
    made.refresh_from_db()
    assert made.status == Status.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        act(producer, made, "answer", note="Hàng rời kho nguyên vẹn; chúng tôi đề nghị đổi một hộp.")
    made.refresh_from_db()
    assert made.status == Status.ANSWERED
    assert [message.to for message in mail.outbox][-1] == ["lan@example.com"]
    assert "Hàng rời kho nguyên vẹn" in client.get(
        reverse("shop:return_detail", args=[made.public_id]) + f"?t={made.suborder.order.access_token}").content.decode()


def test_the_producer_cannot_answer_after_the_deadline(client, people):
    made = opened(client, people["producer"])
    ReturnRequest.objects.filter(pk=made.pk).update(answer_by=timezone.now() - datetime.timedelta(minutes=1))
    response = act(login(people["member"]), made, "accept")
    assert "quá hạn trả lời" in last_message(response)
    made.refresh_from_db()
    assert made.status == Status.OPEN and not Refund.objects.exists()


def test_escalated_requests_go_to_the_provinces_officers_who_decide_with_a_reason(client, people):
    made = escalate(opened(client, people["producer"]))
    officer = login(people["officer"])
    assert made.suborder.order.number in officer.get(reverse("shop_returns")).content.decode()
    page = officer.get(detail(made.pk)).content.decode()
    assert "Giải quyết" in page and "hệ thống" in page
    assert "lý do" in last_message(act(officer, made, "reject", note=""))
    made.refresh_from_db()
    assert made.status == Status.ESCALATED
    act(officer, made, "reject", note="Ảnh không cho thấy hàng hỏng.")
    made.refresh_from_db()
    assert made.status == Status.REJECTED and not Refund.objects.exists()
    assert made.events.last().actor == people["officer"]


def test_an_officer_of_another_province_gets_a_403(client, people):
    made = escalate(opened(client, people["producer"]))
    far = login(people["far_officer"])
    assert far.get(detail(made.pk)).status_code == 403
    assert act(far, made, "uphold", note="x", amount="1000", reference="FT1").status_code == 403
    assert made.suborder.order.number not in far.get(reverse("shop_returns")).content.decode()
    made.refresh_from_db()
    assert made.status == Status.ESCALATED and not Refund.objects.exists()
    assert login(people["national"]).get(detail(made.pk)).status_code == 200


def test_two_decisions_at_once_refund_once(client, people):
    made = escalate(opened(client, people["producer"]))
    returns.decide(made.pk, actor=people["officer"], upheld=True, note="Hàng dập thật.", amount=50_000,
                   reference="FT2613100001")
    events = made.events.count()
    with pytest.raises(returns.ReturnError, match="Yêu cầu đã được giải quyết"):
        returns.decide(made.pk, actor=people["national"], upheld=True, note="Tôi cũng đồng ý.", amount=50_000,
                       reference="FT2613100002")
    response = act(login(people["national"]), made, "uphold", note="Lần nữa", amount="50000", reference="FT3")
    assert last_message(response) == "Yêu cầu đã được giải quyết."
    assert Refund.objects.count() == 1 and Refund.objects.get().reference == "FT2613100001"
    assert made.events.count() == events


def test_a_refund_larger_than_refundable_changes_nothing(client, people):
    made = escalate(opened(client, people["producer"]))
    order = made.suborder.order
    events = made.events.count()
    with pytest.raises(returns.ReturnError, match="Chỉ còn có thể hoàn"):
        returns.decide(made.pk, actor=people["national"], upheld=True, note="Hoàn hết.", amount=order.total + 1,
                       reference="FT1")
    made.refresh_from_db()
    assert made.status == Status.ESCALATED and not Refund.objects.exists() and made.events.count() == events
    with pytest.raises(returns.ReturnError, match="mã giao dịch"):  # a manual refund needs its bank reference
        returns.decide(made.pk, actor=people["national"], upheld=True, note="Hoàn.", amount=10_000)
    assert not Refund.objects.exists()


def test_a_user_with_no_part_in_returns_gets_a_403_and_no_menu_item(people, django_user_model):
    nobody = django_user_model.objects.create_user("khach", "khach@example.com", "pw-khach-123")
    nobody.groups.add(Group.objects.get(name=roles.PRODUCER_GROUP))  # the admin, but acting for no producer
    client = login(nobody)
    assert client.get(reverse("shop_returns")).status_code == 403

    def menu_names(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.name for item in admin_menu.menu_items_for_request(request)}

    assert "returns" not in menu_names(nobody)
    assert all("returns" in menu_names(people[role]) for role in ("member", "officer", "national", "staff"))
