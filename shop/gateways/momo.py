"""MoMo e-wallet (payment API v2, captureWallet): creating a payment, verifying what MoMo sends back
(the buyer's redirect and the IPN, the same fields), and refunds.

Every MoMo signature is HMAC-SHA256 (hex) with the secret key over a raw string MoMo documents for
each message: `name=value` pairs, names sorted a→z, values as they are (not URL-encoded), joined by
"&", the access key among them. The raw strings' field lists are below, as MoMo's documentation gives them.

MoMo wants a new orderId for each request, and a buyer may start paying again, so orderId is the
order number plus the attempt's milliseconds ("DH…-1737000000000"); the number is read back from it.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog.text import strip_diacritics
from shop.gateways import GatewayError, Notice, attempt_id, order_number, post_json

GATEWAY = "MoMo"
PROVIDER = "momo"  # PaymentNotice.Provider.MOMO
CREATE_FIELDS = ("accessKey", "amount", "extraData", "ipnUrl", "orderId", "orderInfo", "partnerCode", "redirectUrl",
                 "requestId", "requestType")
CREATE_ANSWER_FIELDS = ("accessKey", "amount", "orderId", "partnerCode", "payUrl", "requestId", "responseTime",
                        "resultCode")
RESULT_FIELDS = ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType", "partnerCode",
                 "payType", "requestId", "responseTime", "resultCode", "transId")
REFUND_FIELDS = ("accessKey", "amount", "description", "orderId", "partnerCode", "requestId", "transId")
NOT_FINAL = {1000, 7000, 7002, 9000}  # initiated, processing, authorised: another notification follows
MAX_AGE_SECONDS = 24 * 3600  # an older result is a replay: refused
FUTURE_SKEW_SECONDS = 300


# --- Signing ----------------------------------------------------------------------------------------

def raw_signature(fields: dict, names, access_key: str | None = None) -> str:
    values = {**fields, "accessKey": settings.MOMO_ACCESS_KEY if access_key is None else access_key}
    return "&".join(f"{name}={'' if values.get(name) is None else values[name]}" for name in names)


def signature(fields: dict, names, *, access_key: str | None = None, secret: str | None = None) -> str:
    key = settings.MOMO_SECRET_KEY if secret is None else secret
    return hmac.new(key.encode(), raw_signature(fields, names, access_key).encode(), hashlib.sha256).hexdigest()


def verify(fields: dict, names=RESULT_FIELDS, **keys) -> bool:
    """Did MoMo sign `fields` (an IPN's JSON body or a redirect's query, as a flat dict)?"""
    received = str(fields.get("signature", "")).lower()
    if not (keys.get("secret") or settings.MOMO_SECRET_KEY):  # unset: nothing can be verified
        return False
    return bool(received) and hmac.compare_digest(signature(fields, names, **keys), received)


# --- Paying -----------------------------------------------------------------------------------------

def create_request(order, request, now_ms: int | None = None) -> dict:
    """The signed body of the create call for `order` (awaiting payment)."""
    attempt = attempt_id(order, now_ms)
    body = {
        "partnerCode": settings.MOMO_PARTNER_CODE,
        "requestId": attempt,
        "amount": order.total,
        "orderId": attempt,
        "orderInfo": f"Thanh toan don {order.number}",
        "redirectUrl": request.build_absolute_uri(reverse("gateways:momo_return")),
        "ipnUrl": request.build_absolute_uri(reverse("gateways:momo_ipn")),
        "requestType": "captureWallet",
        "extraData": "",
        "lang": "vi" if getattr(request, "LANGUAGE_CODE", "vi") == "vi" else "en",
    }
    body["signature"] = signature(body, CREATE_FIELDS)
    return body


def pay_url(order, request) -> str:
    """Ask MoMo for a payment of `order`; its payment page. GatewayError when MoMo refuses."""
    answer = post_json(f"{settings.MOMO_ENDPOINT.rstrip('/')}/v2/gateway/api/create", create_request(order, request),
                       gateway=GATEWAY)
    if answer.get("signature") and not verify(answer, CREATE_ANSWER_FIELDS):
        raise GatewayError(_("Câu trả lời của MoMo không có chữ ký hợp lệ."))
    if answer.get("resultCode") != 0 or not str(answer.get("payUrl", "")).startswith(("https://", "http://")):
        raise GatewayError(_("MoMo chưa tạo được thanh toán: %(message)s (mã %(code)s).") % {
            "message": answer.get("message", ""), "code": answer.get("resultCode", "?")})
    return answer["payUrl"]


def result_code(fields: dict) -> int | None:
    try:
        return int(fields.get("resultCode"))
    except (TypeError, ValueError):
        return None


def is_final(fields: dict) -> bool:
    return result_code(fields) not in NOT_FINAL


def is_fresh(fields: dict, now: float | None = None) -> bool:
    """Was this result given within the last day (`responseTime`, milliseconds)?"""
    try:
        age = (time.time() if now is None else now) - int(fields.get("responseTime")) / 1000
    except (TypeError, ValueError):
        return False
    return -FUTURE_SKEW_SECONDS <= age <= MAX_AGE_SECONDS


def notice(fields: dict) -> Notice:
    """The transaction verified `fields` tell of. ValueError if the amount is not a whole number."""
    amount = fields.get("amount")
    if isinstance(amount, str) and amount.isascii() and amount.isdigit():
        amount = int(amount)  # a redirect's query carries it as text
    if type(amount) is not int:
        raise ValueError(f"amount {amount!r} is not a whole number of đồng")
    order_id = str(fields.get("orderId", ""))
    reference = str(fields.get("transId") or "")
    if reference in ("", "0"):
        reference = f"{order_id}-{fields.get('resultCode', '')}"
    return Notice(provider=PROVIDER, reference=reference[:100], order_number=order_number(order_id), amount=amount,
                  paid=result_code(fields) == 0, payload=dict(fields), message=str(fields.get("orderInfo", "")),
                  payer=str(fields.get("payType", "")))


def result_message(fields: dict) -> str:
    if result_code(fields) == 0:
        return _("Thanh toán thành công qua ví MoMo. Cảm ơn bạn!")
    if not is_final(fields):
        return _("MoMo đang xử lý giao dịch; đơn hàng được cập nhật khi có kết quả.")
    reasons = {
        1001: _("Ví không đủ số dư."),
        1005: _("Mã thanh toán đã hết hạn."),
        1006: _("Bạn đã từ chối xác nhận thanh toán."),
    }
    code = result_code(fields)
    return _("Thanh toán qua MoMo chưa thành công (mã %(code)s). %(reason)s") % {
        "code": fields.get("resultCode", ""), "reason": reasons.get(code, "")}


# --- Refunds ----------------------------------------------------------------------------------------

def refund(notice, amount: int, reason: str) -> str:
    """Ask MoMo to give back `amount` đồng of the payment `notice` recorded (the caller checked the
    amount); MoMo's transaction id of the refund. GatewayError when MoMo refuses."""
    if not notice.reference.isdigit():
        raise GatewayError(_("Giao dịch %(reference)s không có mã giao dịch MoMo để hoàn.") % {
            "reference": notice.reference})
    attempt = f"{order_number(notice.payload.get('orderId', notice.reference))}-R{time.time_ns() // 1_000_000}"
    body = {
        "partnerCode": settings.MOMO_PARTNER_CODE,
        "orderId": attempt,  # the refund's own: MoMo wants it different from the payment's
        "requestId": attempt,
        "amount": amount,
        "transId": int(notice.reference),
        "lang": "vi",
        "description": strip_diacritics(reason)[:255],
    }
    body["signature"] = signature(body, REFUND_FIELDS)
    answer = post_json(f"{settings.MOMO_ENDPOINT.rstrip('/')}/v2/gateway/api/refund", body, gateway=GATEWAY)
    if answer.get("resultCode") != 0 or not answer.get("transId"):
        raise GatewayError(_("MoMo từ chối hoàn tiền: %(message)s (mã %(code)s).") % {
            "message": answer.get("message", ""), "code": answer.get("resultCode", "?")})
    return str(answer["transId"])
