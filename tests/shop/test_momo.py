"""MoMo: checkout creates the payment on MoMo (a local fake MoMo, tests/fakes/momo.py) and sends
the buyer to its payUrl; MoMo's IPN pays the order once (HTTP 204); forged, stale, replayed, wrong
or late notifications change nothing or are kept for a refund; the redirect page only shows the
result; refunds go through MoMo's refund API. Signatures follow MoMo's documented raw strings."""

import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from shop import gateways
from shop.gateways import momo
from shop.models import Order, PaymentNotice
from shop.order_rules import OrderStatus, PaymentMethod
from tests.factories import make_product
from tests.fakes.momo import ANSWER, CREATE, REFUND, RESULT, FakeMomo, fill
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db
Outcome = PaymentNotice.Outcome


@pytest.fixture
def fake_momo(settings):
    """A local MoMo, running, with the shop's settings pointing at it."""
    with FakeMomo() as fake:
        yield fake.configure(settings)


def momo_order(client, price=200_000, quantity=1):
    add(client, make_product(price=price, stock=5), quantity)
    response = client.post(reverse("shop:checkout"), checkout_data(payment_method="momo"))
    return Order.objects.get(), response


def send_ipn(client, body):
    return client.post(reverse("gateways:momo_ipn"), json.dumps(body), content_type="application/json")


def paid_order(client, fake):
    order, response = momo_order(client)
    fake.pay(response["Location"])
    body = fake.ipn_body(next(iter(fake.created)))
    assert send_ipn(client, body).status_code == 204
    order.refresh_from_db()
    return order, body


# --- Signing: MoMo's documented raw strings ----------------------------------------------------------
# MoMo's documentation (developers.momo.vn/v3/docs/payment/api/wallet/onetime, …/result-handling/notification,
# …/payment-api/refund) gives each raw string as a template, and example requests whose keys it does
# not publish: the templates fix the fields and their order, HMAC-SHA256 is computed here by hand.

DOC_CREATE = {"partnerCode": "MOMOT5BZ20231213_TEST", "requestType": "captureWallet",
              "ipnUrl": "https://example.com/momo_ip", "redirectUrl": "https://momo.vn/",
              "orderId": "Partner_Transaction_ID_1721725424433", "amount": 1000,
              "orderInfo": "Thank you for your purchase at MoMo_test", "requestId": "Request_ID_1721725424433",
              "extraData": "eyJza3VzIjoiIn0=", "lang": "en"}
DOC_IPN = {"orderType": "momo_wallet", "amount": 1000, "partnerCode": "MOMOT5BZ20231213_TEST",
           "orderId": "Partner_Transaction_ID_1721720620078", "extraData": "eyJza3VzIjoiIn0=", "transId": 4088878653,
           "responseTime": 1721720663942, "resultCode": 0, "message": "Successful.", "payType": "qr",
           "requestId": "Request_ID_1721720620078", "orderInfo": "Thank you for your purchase at MoMo_test"}


@pytest.mark.parametrize("template, fields, names", [
    (CREATE, DOC_CREATE, momo.CREATE_FIELDS),
    (RESULT, DOC_IPN, momo.RESULT_FIELDS),
    (ANSWER, {**DOC_CREATE, "payUrl": "https://test-payment.momo.vn/pay", "responseTime": 1, "resultCode": 0},
     momo.CREATE_ANSWER_FIELDS),
    (REFUND, {"partnerCode": "MOMO", "orderId": "1527297954700", "requestId": "1527314064527", "amount": 55000,
              "transId": 144492817, "description": ""}, momo.REFUND_FIELDS),
], ids=["create", "result", "create answer", "refund"])
def test_each_raw_string_is_the_documented_template_filled_in(template, fields, names):
    assert momo.raw_signature(fields, names, access_key="KEY") == fill(template, {**fields, "accessKey": "KEY"})


def test_the_signature_is_hmac_sha256_of_the_raw_string_with_the_secret_key():
    raw = ("accessKey=KEY&amount=1000&extraData=eyJza3VzIjoiIn0=&message=Successful.&orderId=Partner_Transaction_ID_"
           "1721720620078&orderInfo=Thank you for your purchase at MoMo_test&orderType=momo_wallet&partnerCode="
           "MOMOT5BZ20231213_TEST&payType=qr&requestId=Request_ID_1721720620078&responseTime=1721720663942&resultCode=0"
           "&transId=4088878653")
    expected = hmac.new(b"SECRET", raw.encode(), hashlib.sha256).hexdigest()
    assert momo.signature(DOC_IPN, momo.RESULT_FIELDS, access_key="KEY", secret="SECRET") == expected
    assert momo.verify({**DOC_IPN, "signature": expected}, access_key="KEY", secret="SECRET")
    assert not momo.verify({**DOC_IPN, "amount": 100_000, "signature": expected}, access_key="KEY", secret="SECRET")


def test_nothing_verifies_while_the_secret_key_is_unset(settings):
    settings.MOMO_SECRET_KEY = ""
    forged = {**DOC_IPN, "signature": momo.signature(DOC_IPN, momo.RESULT_FIELDS, secret="")}
    assert not momo.verify(forged)


# --- Checkout ----------------------------------------------------------------------------------------

def test_momo_is_offered_at_checkout_only_when_its_keys_are_set(client, settings):
    add(client, make_product(stock=5))
    settings.MOMO_PARTNER_CODE, settings.MOMO_ACCESS_KEY, settings.MOMO_SECRET_KEY = "MOMO", "access", ""
    assert "Ví MoMo" not in client.get(reverse("shop:checkout")).content.decode()
    settings.MOMO_SECRET_KEY = "secret"
    assert "Ví MoMo" in client.get(reverse("shop:checkout")).content.decode()


def test_checkout_creates_the_payment_on_momo_and_sends_the_buyer_to_its_page(client, fake_momo):
    order, response = momo_order(client, price=150_000, quantity=2)
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.payment_method == PaymentMethod.MOMO
    (order_id, created), = fake_momo.created.items()  # MoMo took it: the signature verified
    assert response.status_code == 302 and response["Location"] == f"{fake_momo.base}/v2/gateway/pay?t={order_id}"
    assert order_id.startswith(order.number + "-") and created["amount"] == order.total
    assert (created["requestType"], created["extraData"], created["lang"]) == ("captureWallet", "", "vi")
    assert created["ipnUrl"] == "http://testserver" + reverse("gateways:momo_ipn")
    assert created["redirectUrl"] == "http://testserver" + reverse("gateways:momo_return")
    assert "accessKey" not in created  # v2 sends it only inside the signature


def test_momo_refusing_the_payment_leaves_the_order_waiting_with_a_message(client, fake_momo):
    order, response = momo_order(client, price=60_000_000)  # above MoMo's 50,000,000 đồng: resultCode 22
    assert response["Location"] == order.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Chưa mở được trang thanh toán" in page
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not fake_momo.created


# --- The IPN ---------------------------------------------------------------------------------------

def test_momos_ipn_marks_the_order_paid_once_and_a_replay_changes_nothing(client, fake_momo):
    order, body = paid_order(client, fake_momo)
    assert order.status == OrderStatus.PAID
    notice = PaymentNotice.objects.get()
    assert (notice.provider, notice.reference, notice.order, notice.amount, notice.outcome) == (
        "momo", str(body["transId"]), order, order.total, Outcome.PAID)
    assert notice.payload == body

    assert send_ipn(client, body).status_code == 204
    assert PaymentNotice.objects.count() == 1
    assert order.events.filter(to_status=OrderStatus.PAID, from_status=OrderStatus.AWAITING_PAYMENT).count() == 1


@pytest.mark.parametrize("forgery", ["amount changed", "signed with another secret", "no signature", "not JSON"])
def test_a_forged_ipn_is_refused_and_changes_nothing(client, fake_momo, forgery):
    order, response = momo_order(client)
    fake_momo.pay(response["Location"])
    body = fake_momo.ipn_body(next(iter(fake_momo.created)))
    if forgery == "amount changed":
        body["amount"] = 1000
    elif forgery == "signed with another secret":
        body = fake_momo.signed(body, secret="guessed")
    elif forgery == "no signature":
        del body["signature"]
    answer = (client.post(reverse("gateways:momo_ipn"), "{not json", content_type="application/json")
              if forgery == "not JSON" else send_ipn(client, body))
    assert answer.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()


def test_a_stale_ipn_is_refused_even_when_signed(client, fake_momo):
    order, response = momo_order(client)
    fake_momo.pay(response["Location"])
    body = fake_momo.ipn_body(next(iter(fake_momo.created)))
    stale = fake_momo.signed({**body, "responseTime": int((time.time() - 2 * 24 * 3600) * 1000)})
    answer = send_ipn(client, stale)
    assert answer.status_code == 400 and b"Stale" in answer.content
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()


def test_a_signed_ipn_for_another_amount_or_an_unknown_order_records_nothing(client, fake_momo):
    order, response = momo_order(client)
    fake_momo.pay(response["Location"])
    body = fake_momo.ipn_body(next(iter(fake_momo.created)))
    assert send_ipn(client, fake_momo.signed({**body, "amount": order.total - 1000})).status_code == 400
    assert send_ipn(client, fake_momo.signed({**body, "orderId": "DH99999999999-1"})).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()


def test_money_arriving_after_the_order_was_cancelled_is_kept_for_a_refund(client, fake_momo):
    order, response = momo_order(client)
    fake_momo.pay(response["Location"])
    client.post(reverse("shop:order_cancel", args=[order.number]) + f"?t={order.access_token}")
    assert send_ipn(client, fake_momo.ipn_body(next(iter(fake_momo.created)))).status_code == 204
    order.refresh_from_db()
    notice = PaymentNotice.objects.get()
    assert order.status == OrderStatus.CANCELLED
    assert (notice.outcome, notice.order, notice.problem) == (
        Outcome.UNMATCHED, order, "Đơn đã huỷ khi tiền về: cần hoàn tiền")


def test_a_declined_payment_is_recorded_and_the_buyer_can_pay_again_with_a_new_order_id(client, fake_momo):
    order, response = momo_order(client)
    fake_momo.pay(response["Location"], code=1006)  # the buyer declined in the MoMo app
    first_id = next(iter(fake_momo.created))
    assert send_ipn(client, fake_momo.ipn_body(first_id)).status_code == 204
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and PaymentNotice.objects.get().outcome == Outcome.FAILED

    assert "Thanh toán qua MoMo" in client.get(order.get_absolute_url()).content.decode()
    again = client.post(reverse("shop:order_pay", args=[order.number]) + f"?t={order.access_token}")
    second_id = list(fake_momo.created)[-1]
    assert second_id != first_id and again["Location"].endswith(second_id)  # MoMo refuses a reused orderId
    fake_momo.pay(again["Location"])
    assert send_ipn(client, fake_momo.ipn_body(second_id)).status_code == 204
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_result_still_pending_is_acknowledged_and_records_nothing(client, fake_momo):
    _order, response = momo_order(client)
    fake_momo.pay(response["Location"], code=1000)  # initiated, waiting for the user
    assert send_ipn(client, fake_momo.ipn_body(next(iter(fake_momo.created)))).status_code == 204
    assert not PaymentNotice.objects.exists()


# --- The redirect page --------------------------------------------------------------------------------

def test_the_redirect_page_shows_the_result_and_changes_nothing(client, fake_momo):
    order, response = momo_order(client)
    params = fake_momo.pay(response["Location"])
    page = client.get(reverse("gateways:momo_return"), params)
    assert page.status_code == 200 and "Thanh toán thành công qua ví MoMo" in page.content.decode()
    assert reverse("shop:order", args=[order.number]) in page.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()

    forged = client.get(reverse("gateways:momo_return"), {**params, "amount": "1"})
    assert forged.status_code == 400 and order.access_token not in forged.content.decode()


# --- Refunds ------------------------------------------------------------------------------------------

def test_a_partial_then_the_rest_refunded_through_momo(client, fake_momo):
    order, body = paid_order(client, fake_momo)
    first = gateways.refund(order, 50_000, "Khách trả một phần")
    second = gateways.refund(order, order.total - 50_000, "Trả nốt")
    assert first != second and str(body["transId"]) not in (first, second)
    refunds = fake_momo.refunds
    assert [r["amount"] for r in refunds] == [50_000, order.total - 50_000]
    assert all(r["transId"] == body["transId"] and r["orderId"].startswith(order.number + "-R") for r in refunds)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # refund() moves nothing: shop.refunds records it


def test_a_refund_above_what_was_paid_is_refused_before_asking_momo(client, fake_momo):
    order, _body = paid_order(client, fake_momo)
    with pytest.raises(gateways.GatewayError, match="chỉ thu"):
        gateways.refund(order, order.total + 1, "Nhầm")
    assert fake_momo.refunds == []


def test_momo_refusing_a_refund_is_a_gateway_error(client, fake_momo):
    order, _body = paid_order(client, fake_momo)
    gateways.refund(order, order.total, "Huỷ đơn")
    with pytest.raises(gateways.GatewayError, match="MoMo từ chối hoàn tiền"):
        gateways.refund(order, order.total, "Lần nữa")  # MoMo: already refunded


def test_momo_out_of_reach_is_a_gateway_error(client, fake_momo, settings):
    order, _body = paid_order(client, fake_momo)
    settings.MOMO_ENDPOINT = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(gateways.GatewayError, match="Không kết nối được MoMo"):
        gateways.refund(order, order.total, "Huỷ đơn")


def test_a_late_payment_kept_for_staff_can_be_refunded_by_its_notice(client, fake_momo):
    order, response = momo_order(client)
    fake_momo.pay(response["Location"])
    client.post(reverse("shop:order_cancel", args=[order.number]) + f"?t={order.access_token}")
    send_ipn(client, fake_momo.ipn_body(next(iter(fake_momo.created))))
    with pytest.raises(gateways.GatewayError):
        gateways.refund(order, order.total, "Đơn đã huỷ")  # the order was never paid
    assert gateways.refund_notice(PaymentNotice.objects.get(), order.total, "Đơn đã huỷ")
