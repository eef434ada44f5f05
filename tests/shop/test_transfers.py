"""Bank transfers that confirm themselves: Casso's signed webhook v2, through real HTTP.

Signatures are made here from Casso's documented scheme (CassoHQ/casso-webhook-v2-verify-signature:
HMAC-SHA512 with the checksum key over `<t>.<JSON with keys sorted, compact>`, header
`X-Casso-Signature: t=<ms>,v1=<hex>`), and checked against the example in that repository's
Python, PHP and Go samples.
"""

import datetime
import hashlib
import hmac
import itertools
import json
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop import orders
from shop.models import Order, OrderEvent, PaymentNotice
from shop.order_rules import OrderStatus
from shop.transfers import notices
from tests.conftest import require_service
from tests.factories import make_product
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db

KEY = "test-checksum-key-0123456789abcdefghijklmnopqrstuvwxyz"
_ids = itertools.count(900_001)

# CassoHQ/casso-webhook-v2-verify-signature, python.py (the same values in php.php and golang.go).
DOCUMENTED_BODY = {"error": 0, "data": {
    "id": 0, "reference": "MA_GIAO_DICH_THU_NGHIEM", "description": "giao dich thu nghiem", "amount": 599000,
    "runningBalance": 25000000, "transactionDateTime": "2024-10-03 15:06:37", "accountNumber": "88888888",
    "bankName": "VPBank", "bankAbbreviation": "VPB", "virtualAccountNumber": "", "virtualAccountName": "",
    "counterAccountName": "NGUYEN VAN A", "counterAccountNumber": "8888888888", "counterAccountBankId": "970415",
    "counterAccountBankName": "VietinBank"}}
DOCUMENTED_KEY = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
DOCUMENTED_HEADER = ("t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc6"
                     "67faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3")


@pytest.fixture(autouse=True)
def casso(settings):
    settings.CASSO_CHECKSUM_KEY = KEY
    settings.TRANSFER_WEBHOOK_TOLERANCE_SECONDS = 300
    return settings


def transfer_order(price=150_000, payment_method="vietqr") -> Order:
    buyer = Client()
    add(buyer, make_product(price=price, stock=5))
    assert buyer.post(reverse("shop:checkout"), checkout_data(payment_method=payment_method)).status_code == 302
    return Order.objects.latest("pk")


def casso_body(amount, description, *, transaction_id=None):
    """A notification shaped like Casso's documented one (keys in Casso's order, not sorted)."""
    return {"error": 0, "data": {
        "id": transaction_id or next(_ids), "reference": "FT24364030863634", "description": description,
        "amount": amount, "runningBalance": 25_000_000, "transactionDateTime": "2026-12-02 09:15:00",
        "accountNumber": "0011001234567", "bankName": "Vietcombank", "bankAbbreviation": "VCB",
        "virtualAccountNumber": "", "virtualAccountName": "", "counterAccountName": "NGUYEN THI LAN",
        "counterAccountNumber": "0123456789", "counterAccountBankId": "970415", "counterAccountBankName": "VietinBank"}}


def sign(body, *, key=KEY, at=None, ascii_only=False) -> str:
    """Casso's scheme, written out again here: keys sorted at every level, compact JSON, SHA-512."""
    def ordered(value):
        return {k: ordered(value[k]) for k in sorted(value)} if isinstance(value, dict) else value

    t = int((time.time() if at is None else at) * 1000)
    signed = f"{t}." + json.dumps(ordered(body), separators=(",", ":"), ensure_ascii=ascii_only)
    return f"t={t},v1=" + hmac.new(key.encode(), signed.encode(), hashlib.sha512).hexdigest()


def deliver(client, body, *, header=None, raw=None, **signing):
    payload = raw if raw is not None else json.dumps(body, ensure_ascii=False)
    extra = {} if header == "" else {"HTTP_X_CASSO_SIGNATURE": header or sign(body, **signing)}
    return client.post(reverse("transfers:casso"), payload, content_type="application/json", **extra)


def paid_events(order):
    return OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID, from_status=OrderStatus.AWAITING_PAYMENT)


# --- The signature -------------------------------------------------------------------------------

def test_the_documented_example_verifies_and_a_changed_amount_does_not():
    body = json.dumps(DOCUMENTED_BODY).encode()
    signed_at = 1727948258.788
    data = notices.verify_casso(body, DOCUMENTED_HEADER, key=DOCUMENTED_KEY, tolerance=300, now=signed_at + 30)
    assert data == DOCUMENTED_BODY
    assert notices.casso_signature(DOCUMENTED_BODY, "1727948258788", DOCUMENTED_KEY) == DOCUMENTED_HEADER[19:]
    tampered = json.dumps({**DOCUMENTED_BODY, "data": {**DOCUMENTED_BODY["data"], "amount": 5990000}}).encode()
    with pytest.raises(notices.SignatureError):
        notices.verify_casso(tampered, DOCUMENTED_HEADER, key=DOCUMENTED_KEY, tolerance=300, now=signed_at + 30)
    with pytest.raises(notices.SignatureError, match="Stale"):  # the same call replayed an hour later
        notices.verify_casso(body, DOCUMENTED_HEADER, key=DOCUMENTED_KEY, tolerance=300, now=signed_at + 3600)


@pytest.mark.parametrize("case", ["wrong key", "tampered", "missing", "malformed", "not json"])
def test_a_bad_or_missing_signature_is_refused_with_400_and_nothing_is_recorded(client, case):
    order = transfer_order()
    body = casso_body(order.total, f"Thanh toan {order.number}")
    if case == "wrong key":
        response = deliver(client, body, key="someone-else")
    elif case == "tampered":  # signed for 1.000 ₫, sent for the order's total
        response = deliver(client, body, header=sign(casso_body(1_000, body["data"]["description"],
                                                                transaction_id=body["data"]["id"])))
    elif case == "missing":
        response = deliver(client, body, header="")
    elif case == "malformed":
        response = deliver(client, body, header="sha512=abc")
    else:
        response = deliver(client, body, raw="{not json", header=sign(body))
    assert response.status_code == 400 and response.content
    assert not PaymentNotice.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not paid_events(order).exists()


@pytest.mark.parametrize("offset, accepted", [(-301, False), (-240, True), (30, True), (120, False)])
def test_signatures_older_than_the_tolerance_or_from_the_future_are_refused(client, offset, accepted):
    order = transfer_order()
    response = deliver(client, casso_body(order.total, f"Thanh toan {order.number}"), at=time.time() + offset)
    assert response.status_code == (200 if accepted else 400)
    assert PaymentNotice.objects.exists() is accepted


def test_an_unconfigured_webhook_refuses_everything(client, settings):
    settings.CASSO_CHECKSUM_KEY = ""
    order = transfer_order()
    assert deliver(client, casso_body(order.total, f"Thanh toan {order.number}")).status_code == 400
    assert client.get(reverse("transfers:casso")).status_code == 405
    assert not PaymentNotice.objects.exists()


def test_text_with_diacritics_verifies_escaped_or_not(client):
    """Casso's samples disagree on non-ASCII (JavaScript/Go send it raw, Python/PHP escape it)."""
    order = transfer_order()
    body = casso_body(order.total, f"Nguyễn Thị Lan thanh toán {order.number}")
    body["data"]["counterAccountName"] = "Nguyễn Thị Lan"
    assert deliver(client, body, ascii_only=True).status_code == 200
    body["data"]["id"] = next(_ids)
    assert deliver(client, body, ascii_only=False).status_code == 200


# --- Paying an order -----------------------------------------------------------------------------

def test_an_exact_transfer_pays_its_order_once_logged_as_casso(client):
    order = transfer_order()
    body = casso_body(order.total, f"MBVCB.7712345.Thanh toan {order.number}.CT tu 0123456789 NGUYEN THI LAN")
    response = deliver(client, body, at=time.time() - 60)
    assert response.status_code == 200 and response.json() == {"success": True, "outcome": "paid"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    event = paid_events(order).get()
    assert (event.actor_label, event.actor, event.note) == ("Casso", None, str(body["data"]["id"]))
    notice = PaymentNotice.objects.get()
    assert (notice.provider, notice.reference, notice.order, notice.amount) == (
        "casso", str(body["data"]["id"]), order, order.total)
    assert notice.outcome == PaymentNotice.Outcome.PAID and notice.problem == ""
    assert notice.message == body["data"]["description"]
    assert notice.payer == "NGUYEN THI LAN · 0123456789 · VietinBank"
    assert notice.payload == body


def test_a_repeated_notification_changes_nothing_and_answers_success(client):
    order = transfer_order()
    body = casso_body(order.total, f"Thanh toan {order.number}")
    assert deliver(client, body).json()["outcome"] == "paid"
    again = deliver(client, body, at=time.time() + 5)  # Casso signs each delivery anew
    assert again.status_code == 200 and again.json() == {"success": True, "outcome": "duplicate"}
    assert PaymentNotice.objects.count() == 1 and paid_events(order).count() == 1
    assert OrderEvent.objects.filter(order=order).count() == 2  # placed, paid


def test_two_deliveries_of_one_transfer_in_separate_transactions_pay_once():
    order = transfer_order()
    transfer = notices.casso_transfer(casso_body(order.total, f"Thanh toan {order.number}"))
    with transaction.atomic():
        first = notices.receive(transfer)
    with transaction.atomic():
        second = notices.receive(transfer)
    assert (first, second) == (PaymentNotice.Outcome.PAID, notices.DUPLICATE)
    assert PaymentNotice.objects.count() == 1 and paid_events(order).count() == 1


@pytest.mark.parametrize("message", [
    "THANHTOANDH{digits}",  # the spaces gone
    "thanh toan dh{digits}",  # lower case
    "IBFT THANH TOAN DH {date} {serial}",  # a bank's prefix, the number broken by a space
    "Thanh-toan: DH.{digits}.",  # punctuation
])
def test_the_order_number_is_found_however_the_bank_rewrites_the_message(client, message):
    order = transfer_order()
    digits = order.number[2:]
    text = message.format(digits=digits, date=digits[:6], serial=digits[6:])
    assert deliver(client, casso_body(order.total, text)).json()["outcome"] == "paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and PaymentNotice.objects.get().message == text


def test_outgoing_transfers_and_error_reports_are_ignored(client):
    order = transfer_order()
    assert deliver(client, casso_body(-order.total, f"Hoan tien {order.number}")).json()["outcome"] == "ignored"
    assert deliver(client, {"error": 1, "data": {}}).json()["outcome"] == "ignored"
    assert not PaymentNotice.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


# --- Everything else waits for staff -------------------------------------------------------------

def _cancelled(order):
    orders.transition(order, OrderStatus.CANCELLED, actor_label="hệ thống", note="Quá hạn thanh toán.")


def _expired(order):
    Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() - datetime.timedelta(minutes=5))
    assert orders.expire_unpaid_orders() == 1


def _paid(order):
    orders.transition(order, OrderStatus.PAID, actor_label="nhân viên")


@pytest.mark.parametrize("amount_gap, message, change, payment_method, problem", [
    (-20_000, "Thanh toan {number}", None, "vietqr", "Thiếu 20.000 ₫ so với tổng đơn {number}"),
    (5_000, "Thanh toan {number}", None, "vietqr", "Thừa 5.000 ₫ so với tổng đơn {number}"),
    (0, "Thanh toan {number}", _cancelled, "vietqr", "Đơn {number} đã bị huỷ."),
    (0, "Thanh toan {number}", _expired, "vietqr", "Đơn {number} đã quá hạn thanh toán và bị huỷ."),
    (0, "Thanh toan {number}", _paid, "vietqr", "Đơn {number} đã được thanh toán trước đó"),
    (0, "Thanh toan {number}", None, "cod", "Đơn {number} không thanh toán bằng chuyển khoản"),
    (0, "Thanh toan DH99123199999", None, "vietqr", "Không có đơn hàng DH99123199999."),
    (0, "chuyen tien mua mat ong", None, "vietqr", "Không đọc được mã đơn hàng trong nội dung chuyển khoản."),
])
def test_a_transfer_that_does_not_pay_an_order_exactly_waits_for_staff_with_the_reason(
        client, amount_gap, message, change, payment_method, problem):
    order = transfer_order(payment_method=payment_method)
    if change:
        change(order)
    order.refresh_from_db()
    before = (order.status, OrderEvent.objects.filter(order=order).count())
    response = deliver(client, casso_body(order.total + amount_gap, message.format(number=order.number)))
    assert response.status_code == 200 and response.json()["outcome"] == "unmatched"
    notice = PaymentNotice.objects.get()
    assert notice.outcome == PaymentNotice.Outcome.UNMATCHED
    assert notice.problem.startswith(problem.format(number=order.number)), notice.problem
    assert notice.order == (order if order.number in message.format(number=order.number) else None)
    order.refresh_from_db()
    assert (order.status, OrderEvent.objects.filter(order=order).count()) == before


# --- Two deliveries at once (PostgreSQL: SQLite would serialise them) ----------------------------

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_deliveries_of_one_transfer_record_it_once_and_pay_once(keep_seed_data):
    require_service(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    order = transfer_order()
    transfer = notices.casso_transfer(casso_body(order.total, f"Thanh toan {order.number}"))
    deliveries = 4
    start, outcomes = threading.Barrier(deliveries), []

    def deliver_once():
        try:
            start.wait()
            outcomes.append(notices.receive(transfer))
        except Exception as error:  # noqa: BLE001 - anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver_once) for _ in range(deliveries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["paid"] + [notices.DUPLICATE] * (deliveries - 1)), outcomes
    assert PaymentNotice.objects.count() == 1 and paid_events(order).count() == 1
