"""VNPay: checkout sends the buyer to VNPay with a signed request; VNPay's IPN (from a local fake
VNPay, tests/fakes/vnpay.py) pays the order once; forged, replayed, wrong or late notifications
change nothing or are kept for a refund; the return page only shows the result; refunds go
through VNPay's refund API. Signing is checked against VNPay's documented example."""

import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from shop import gateways
from shop.gateways import vnpay
from shop.models import Order, PaymentNotice
from shop.order_rules import OrderStatus, PaymentMethod
from tests.factories import make_product
from tests.fakes.vnpay import FakeVnpay
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db
Outcome = PaymentNotice.Outcome


@pytest.fixture
def fake_vnpay(settings):
    """A local VNPay, running, with the shop's settings pointing at it."""
    with FakeVnpay() as fake:
        yield fake.configure(settings)


def vnpay_order(client, price=200_000, quantity=1):
    add(client, make_product(price=price, stock=5), quantity)
    response = client.post(reverse("shop:checkout"), checkout_data(payment_method="vnpay"))
    return Order.objects.get(), response


def ipn(client, params) -> dict:
    response = client.get(reverse("gateways:vnpay_ipn"), params)
    assert response.status_code == 200
    return response.json()


def paid_order(client, fake):
    order, response = vnpay_order(client)
    params = fake.pay(response["Location"])
    assert ipn(client, params) == {"RspCode": "00", "Message": "Confirm Success"}
    order.refresh_from_db()
    return order, params


# --- Signing against VNPay's documentation ---------------------------------------------------------

# The example payment URL of VNPay's integration guide (sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/,
# also in "Chuyển đổi phiên bản và thuật toán mã hóa"). Its hash secret is not published, so the example
# fixes the string that is signed: the order, and the quoting (spaces as "+", ":" and "/" escaped).
DOC_QUERY = ("vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1"
             "&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
             "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5"
             "&vnp_Version=2.1.0")
DOC_PARAMS = {"vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": "DEMOV210", "vnp_Amount": 1806000,
              "vnp_CreateDate": "20210801153333", "vnp_CurrCode": "VND", "vnp_IpAddr": "127.0.0.1", "vnp_Locale": "vn",
              "vnp_OrderInfo": "Thanh toan don hang :5", "vnp_OrderType": "other",
              "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl", "vnp_TxnRef": "5"}
# A signed return (IPN) from the test suite of the open-source `vnpay` library (lehuygiang28/vnpay,
# test/verify-ipn-call.test.ts, secret "test_secret"): an independent implementation of the same rules.
LIBRARY_SECRET = "test_secret"
LIBRARY_RETURN = {
    "vnp_Amount": "1000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14422574", "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z", "vnp_PayDate": "20240521091806",
    "vnp_ResponseCode": "00", "vnp_TmnCode": "TEST_TMN_CODE", "vnp_TransactionNo": "14422574",
    "vnp_TransactionStatus": "00", "vnp_TxnRef": "1716257871703",
    "vnp_SecureHash": "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361d"
                      "bf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895",
}


def test_the_signed_string_is_the_one_of_vnpays_documented_example():
    assert vnpay.hash_data(DOC_PARAMS) == DOC_QUERY
    url = vnpay.signed_url("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", DOC_PARAMS, secret="k")
    assert url == (f"https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?{DOC_QUERY}&vnp_SecureHash="
                   + hmac.new(b"k", DOC_QUERY.encode(), hashlib.sha512).hexdigest())


def test_a_return_signed_by_another_implementation_verifies_and_any_change_breaks_it():
    assert vnpay.verify(LIBRARY_RETURN, secret=LIBRARY_SECRET)
    assert vnpay.verify({**LIBRARY_RETURN, "vnp_SecureHash": LIBRARY_RETURN["vnp_SecureHash"].upper()},
                        secret=LIBRARY_SECRET)
    assert vnpay.verify({**LIBRARY_RETURN, "vnp_SecureHashType": "HMACSHA512", "utm": "x"}, secret=LIBRARY_SECRET)
    assert not vnpay.verify({**LIBRARY_RETURN, "vnp_Amount": "2000000"}, secret=LIBRARY_SECRET)
    assert not vnpay.verify(LIBRARY_RETURN, secret="another secret")
    assert not vnpay.verify({k: v for k, v in LIBRARY_RETURN.items() if k != "vnp_SecureHash"}, secret=LIBRARY_SECRET)


def test_nothing_verifies_while_the_hash_secret_is_unset(settings):
    settings.VNPAY_HASH_SECRET = ""
    forged = {"vnp_TxnRef": "DH1", "vnp_SecureHash": hmac.new(b"", b"vnp_TxnRef=DH1", hashlib.sha512).hexdigest()}
    assert not vnpay.verify(forged)


# --- Checkout ----------------------------------------------------------------------------------------

def test_vnpay_is_offered_at_checkout_only_when_its_keys_are_set(client, settings):
    add(client, make_product(stock=5))
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "", ""
    assert "VNPay (thẻ ATM, QR ngân hàng)" not in client.get(reverse("shop:checkout")).content.decode()
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "TMN", "secret"
    assert "VNPay (thẻ ATM, QR ngân hàng)" in client.get(reverse("shop:checkout")).content.decode()


def test_checkout_sends_the_buyer_to_vnpay_with_a_signed_request_for_the_order(client, fake_vnpay):
    order, response = vnpay_order(client, price=150_000, quantity=2)
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.payment_method == PaymentMethod.VNPAY
    location = response["Location"]
    assert response.status_code == 302 and location.startswith(fake_vnpay.payment_url + "?")
    params = dict(parse_qsl(urlsplit(location).query))
    assert fake_vnpay.check_request(params) == ""  # VNPay's page takes it: the checksum verifies
    assert params["vnp_Amount"] == str(order.total * 100) and order.total == 300_000 + order.shipping_fee
    assert (params["vnp_Version"], params["vnp_Command"], params["vnp_CurrCode"], params["vnp_Locale"]) == (
        "2.1.0", "pay", "VND", "vn")
    number, attempt = params["vnp_TxnRef"].split("-")
    assert number == order.number and attempt[:14] == params["vnp_CreateDate"] and len(attempt) == 17
    assert params["vnp_OrderInfo"] == f"Thanh toan don {order.number}" and params["vnp_OrderInfo"].isascii()
    assert params["vnp_ExpireDate"] == timezone.localtime(order.pay_by).strftime("%Y%m%d%H%M%S")
    assert params["vnp_ReturnUrl"] == "http://testserver" + reverse("gateways:vnpay_return")
    assert "vnp_SecureHashType" not in params  # 2.1.0 does not send it


def test_a_buyer_checking_out_in_english_gets_vnpays_page_in_english(client, fake_vnpay):
    add(client, make_product(stock=5))
    with translation.override("en"):
        response = client.post(reverse("shop:checkout"), checkout_data(payment_method="vnpay"))
    assert dict(parse_qsl(urlsplit(response["Location"]).query))["vnp_Locale"] == "en"


# --- The IPN --------------------------------------------------------------------------------------

def test_vnpays_ipn_marks_the_order_paid_once_and_a_replay_changes_nothing(client, fake_vnpay):
    order, params = paid_order(client, fake_vnpay)
    assert order.status == OrderStatus.PAID
    notice = PaymentNotice.objects.get()
    assert (notice.provider, notice.reference, notice.order, notice.amount, notice.outcome) == (
        "vnpay", params["vnp_TransactionNo"], order, order.total, Outcome.PAID)
    assert notice.payload == params

    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert PaymentNotice.objects.count() == 1
    assert order.events.filter(to_status=OrderStatus.PAID, from_status=OrderStatus.AWAITING_PAYMENT).count() == 1


@pytest.mark.parametrize("forgery", ["amount changed", "signed with another secret", "no signature"])
def test_a_forged_ipn_is_refused_with_97_and_changes_nothing(client, fake_vnpay, forgery):
    order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    if forgery == "amount changed":
        params["vnp_Amount"] = "100"
    elif forgery == "signed with another secret":
        params = fake_vnpay.signed(params, secret="GUESSEDSECRET")
    else:
        del params["vnp_SecureHash"]
    assert ipn(client, params) == {"RspCode": "97", "Message": "Invalid signature"}
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()


def test_a_signed_ipn_for_another_amount_answers_04_and_changes_nothing(client, fake_vnpay):
    order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    assert ipn(client, fake_vnpay.signed({**params, "vnp_Amount": str((order.total - 1000) * 100)})) == {
        "RspCode": "04", "Message": "Invalid amount"}
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()


def test_an_ipn_for_an_unknown_order_answers_01(client, fake_vnpay):
    _order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    assert ipn(client, fake_vnpay.signed({**params, "vnp_TxnRef": "DH99999999999-20250101120000"})) == {
        "RspCode": "01", "Message": "Order not found"}
    assert not PaymentNotice.objects.exists()


def test_money_arriving_after_the_order_was_cancelled_is_kept_for_a_refund(client, fake_vnpay):
    order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    client.post(reverse("shop:order_cancel", args=[order.number]) + f"?t={order.access_token}")
    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    order.refresh_from_db()
    notice = PaymentNotice.objects.get()
    assert order.status == OrderStatus.CANCELLED
    assert (notice.outcome, notice.order, notice.amount) == (Outcome.UNMATCHED, order, order.total)
    assert notice.problem == "Đơn đã huỷ khi tiền về: cần hoàn tiền"
    assert "cần hoàn tiền" in order.events.last().note


def test_a_failed_payment_is_recorded_and_the_buyer_can_pay_again(client, fake_vnpay):
    order, response = vnpay_order(client)
    failed = fake_vnpay.pay(response["Location"], code="24")  # the buyer cancelled on VNPay's page
    assert failed["vnp_TransactionNo"] == "0"
    assert ipn(client, failed) == {"RspCode": "00", "Message": "Confirm Success"}
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert PaymentNotice.objects.get().outcome == Outcome.FAILED

    page = client.get(order.get_absolute_url()).content.decode()
    assert "Thanh toán qua VNPay" in page
    again = client.post(reverse("shop:order_pay", args=[order.number]) + f"?t={order.access_token}")
    assert again["Location"].startswith(fake_vnpay.payment_url)  # a new vnp_TxnRef: VNPay takes it
    assert ipn(client, fake_vnpay.pay(again["Location"])) == {"RspCode": "00", "Message": "Confirm Success"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert sorted(PaymentNotice.objects.values_list("outcome", flat=True)) == [Outcome.FAILED, Outcome.PAID]


# --- The return page --------------------------------------------------------------------------------

def test_the_return_page_shows_the_result_and_changes_nothing(client, fake_vnpay):
    order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    page = client.get(reverse("gateways:vnpay_return"), params)
    text = page.content.decode()
    assert page.status_code == 200 and "Thanh toán thành công qua VNPay" in text
    assert order.get_absolute_url().replace("&", "&amp;") in text or order.get_absolute_url() in text
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and not PaymentNotice.objects.exists()

    failed = fake_vnpay.signed({**params, "vnp_ResponseCode": "24", "vnp_TransactionStatus": "02"})
    assert "chưa thành công" in client.get(reverse("gateways:vnpay_return"), failed).content.decode()


def test_a_forged_return_shows_no_order(client, fake_vnpay):
    order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    page = client.get(reverse("gateways:vnpay_return"), {**params, "vnp_ResponseCode": "00", "vnp_Amount": "1"})
    assert page.status_code == 400 and order.access_token not in page.content.decode()


# --- Refunds ------------------------------------------------------------------------------------------

def test_a_full_then_a_partial_refund_go_through_vnpays_refund_api(client, fake_vnpay):
    order, params = paid_order(client, fake_vnpay)
    reference = gateways.refund(order, 50_000, "Khách trả một phần")
    request = fake_vnpay.refund_requests[-1]
    assert reference and reference != params["vnp_TransactionNo"]
    assert (request["vnp_TransactionType"], request["vnp_Amount"], request["vnp_TxnRef"]) == (
        "03", 5_000_000, params["vnp_TxnRef"])
    assert request["vnp_TransactionDate"] == fake_vnpay.payments[params["vnp_TxnRef"]]["request"]["vnp_CreateDate"]
    assert request["vnp_OrderInfo"].isascii()
    full = Order.objects.get()
    assert full.status == OrderStatus.PAID  # refund() moves nothing: shop.refunds records it


def test_a_full_refund_is_type_02(client, fake_vnpay):
    order, _params = paid_order(client, fake_vnpay)
    assert gateways.refund(order, order.total, "Huỷ đơn")
    assert fake_vnpay.refund_requests[-1]["vnp_TransactionType"] == "02"


def test_a_refund_above_what_was_paid_is_refused_before_asking_vnpay(client, fake_vnpay):
    order, _params = paid_order(client, fake_vnpay)
    with pytest.raises(gateways.GatewayError, match="chỉ thu"):
        gateways.refund(order, order.total + 1, "Nhầm")
    assert fake_vnpay.refund_requests == []


def test_vnpay_refusing_a_refund_is_a_gateway_error(client, fake_vnpay):
    order, _params = paid_order(client, fake_vnpay)
    gateways.refund(order, order.total, "Huỷ đơn")
    with pytest.raises(gateways.GatewayError, match="VNPay từ chối hoàn tiền"):
        gateways.refund(order, order.total, "Huỷ đơn lần nữa")  # VNPay: nothing left to refund


def test_vnpay_out_of_reach_is_a_gateway_error(client, fake_vnpay, settings):
    order, _params = paid_order(client, fake_vnpay)
    settings.VNPAY_API_URL = "http://127.0.0.1:9/merchant_webapi/api/transaction"  # nothing listens there
    with pytest.raises(gateways.GatewayError, match="Không kết nối được VNPay"):
        gateways.refund(order, order.total, "Huỷ đơn")


def test_an_order_not_paid_through_a_gateway_has_nothing_to_refund(client, fake_vnpay):
    order, _response = vnpay_order(client)  # awaiting payment: no PAID notice
    with pytest.raises(gateways.GatewayError, match="không có khoản thanh toán"):
        gateways.refund(order, order.total, "Nhầm")


def test_staff_refund_a_late_payment_through_vnpay_from_the_unmatched_screen(client, admin_client, fake_vnpay):
    order, response = vnpay_order(client)
    params = fake_vnpay.pay(response["Location"])
    client.post(reverse("shop:order_cancel", args=[order.number]) + f"?t={order.access_token}")
    ipn(client, params)
    notice = PaymentNotice.objects.get()
    admin_client.post(reverse("shop_transfers_refund", args=[notice.pk]), {"note": ""})
    notice.refresh_from_db()
    [request] = fake_vnpay.refund_requests
    assert (request["vnp_TxnRef"], int(request["vnp_Amount"])) == (params["vnp_TxnRef"], order.total * 100)
    assert notice.outcome == Outcome.REFUNDED and notice.handled_note.startswith("VNPay ")
    assert fake_vnpay.payments[params["vnp_TxnRef"]]["refunded"] == order.total * 100  # VNPay counts in đồng × 100
