"""VNPay (payment gateway API 2.1.0): the signed payment URL, verifying what VNPay sends back (the
buyer's return and the server-to-server IPN, the same parameters), and refunds.

Signing, as VNPay's documentation and its sample code do it: the vnp_* parameters sorted by name,
each written `name=quote_plus(value)` and joined with "&"; vnp_SecureHash is HMAC-SHA512 of that
string with the hash secret, in hex. Verification recomputes it over every vnp_* parameter received
except vnp_SecureHash and vnp_SecureHashType. The refund API (JSON) signs its fields joined by "|".

vnp_TxnRef is the order number plus the attempt's time to the millisecond ("DH…-yyyyMMddHHmmssSSS":
VNPay wants it unique within the day, and a buyer may start paying again); its first 14 digits are
the payment's vnp_CreateDate, which a refund must quote back.
"""

import hashlib
import hmac
import socket
import uuid
from datetime import timedelta
from urllib.parse import quote_plus

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.text import strip_diacritics
from shop.gateways import GatewayError, Notice, order_number, post_json, vietnam_time

VERSION = "2.1.0"
GATEWAY = "VNPay"
PROVIDER = "vnpay"  # PaymentNotice.Provider.VNPAY
UNSIGNED = {"vnp_SecureHash", "vnp_SecureHashType"}
REFUND_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
                 "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
                 "vnp_IpAddr", "vnp_OrderInfo")
REFUND_ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                        "vnp_TransactionStatus", "vnp_OrderInfo")
FULL_REFUND, PARTIAL_REFUND = "02", "03"


# --- Signing ----------------------------------------------------------------------------------------

def hash_data(params: dict) -> str:
    """The string VNPay signs: the parameters sorted by name, values quoted as in a form (space → +)."""
    return "&".join(f"{name}={quote_plus(str(value))}" for name, value in sorted(params.items()))


def secure_hash(data: str, secret: str | None = None) -> str:
    key = settings.VNPAY_HASH_SECRET if secret is None else secret
    return hmac.new(key.encode(), data.encode(), hashlib.sha512).hexdigest()


def signed_url(base: str, params: dict, secret: str | None = None) -> str:
    data = hash_data(params)
    return f"{base}?{data}&vnp_SecureHash={secure_hash(data, secret)}"


def verify(params: dict, secret: str | None = None) -> bool:
    """Did VNPay sign these parameters (a return URL's or an IPN's query, as a flat dict)?"""
    signed = {name: value for name, value in params.items() if name.startswith("vnp_") and name not in UNSIGNED}
    received = str(params.get("vnp_SecureHash", "")).lower()
    if not (secret or settings.VNPAY_HASH_SECRET):  # unset: nothing can be verified (an empty key signs anything)
        return False
    return bool(signed and received) and hmac.compare_digest(secure_hash(hash_data(signed), secret), received)


# --- Paying -----------------------------------------------------------------------------------------

def payment_params(order, request, now=None) -> dict:
    """The parameters of the payment URL for `order` (awaiting payment), before signing."""
    # The buyer's address behind our proxies, as sign-in throttling reads it.
    from storefront.security import client_ip

    now = now or timezone.now()
    created = vietnam_time(now)
    expires = order.pay_by or now + timedelta(minutes=settings.SHOP_GATEWAY_PAY_MINUTES)
    return {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_Amount": order.total * 100,  # VNPay counts hundredths of a đồng
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": f"{order.number}-{created}{now.microsecond // 1000:03d}",
        "vnp_OrderInfo": f"Thanh toan don {order.number}",  # VNPay asks for plain ASCII
        "vnp_OrderType": "other",
        "vnp_Locale": "vn" if getattr(request, "LANGUAGE_CODE", "vi") == "vi" else "en",
        "vnp_ReturnUrl": request.build_absolute_uri(reverse("gateways:vnpay_return")),
        "vnp_IpAddr": client_ip(request) or "127.0.0.1",
        "vnp_CreateDate": created,
        "vnp_ExpireDate": vietnam_time(expires),
    }


def payment_url(order, request, now=None) -> str:
    """Where the buyer pays `order`: VNPay's page, with the signed request."""
    return signed_url(settings.VNPAY_PAYMENT_URL, payment_params(order, request, now))


def is_paid(params: dict) -> bool:
    return params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"


def notice(params: dict) -> Notice:
    """The transaction verified `params` tell of. ValueError if the amount is not a number."""
    amount = str(params.get("vnp_Amount", ""))
    if not (amount.isascii() and amount.isdigit()) or int(amount) % 100:
        raise ValueError(f"vnp_Amount {amount!r} is not a whole number of đồng")
    txn_ref = str(params.get("vnp_TxnRef", ""))
    reference = str(params.get("vnp_TransactionNo", ""))
    if reference in ("", "0"):  # a payment that did not go through may have no VNPay number
        reference = f"{txn_ref}-{params.get('vnp_ResponseCode', '')}"
    payer = " ".join(str(params.get(name, "")) for name in ("vnp_BankCode", "vnp_CardType")).strip()
    return Notice(provider=PROVIDER, reference=reference[:100], order_number=order_number(txn_ref),
                  amount=int(amount) // 100, paid=is_paid(params),
                  payload={name: value for name, value in params.items() if name.startswith("vnp_")},
                  message=str(params.get("vnp_OrderInfo", "")), payer=payer)


def result_message(params: dict) -> str:
    """What the buyer reads on coming back from VNPay (the parameters verified)."""
    if is_paid(params):
        return _("Thanh toán thành công qua VNPay. Cảm ơn bạn!")
    reasons = {
        "24": _("Bạn đã huỷ giao dịch."),
        "11": _("Đã hết thời gian chờ thanh toán."),
        "51": _("Tài khoản không đủ số dư."),
        "65": _("Tài khoản đã vượt hạn mức giao dịch trong ngày."),
        "75": _("Ngân hàng thanh toán đang bảo trì."),
    }
    code = str(params.get("vnp_ResponseCode", ""))
    return _("Thanh toán qua VNPay chưa thành công (mã %(code)s). %(reason)s") % {
        "code": code, "reason": reasons.get(code, "")}


# --- Refunds ----------------------------------------------------------------------------------------

def refund(notice, amount: int, reason: str) -> str:
    """Ask VNPay to give back `amount` đồng of the payment `notice` recorded (the caller checked the
    amount); VNPay's transaction number of the refund. GatewayError when VNPay refuses."""
    paid = notice.payload
    txn_ref = str(paid.get("vnp_TxnRef", ""))
    body = {
        "vnp_RequestId": uuid.uuid4().hex,
        "vnp_Version": VERSION,
        "vnp_Command": "refund",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionType": FULL_REFUND if amount == notice.amount else PARTIAL_REFUND,
        "vnp_TxnRef": txn_ref,
        "vnp_Amount": amount * 100,
        "vnp_TransactionNo": str(paid.get("vnp_TransactionNo", "")),
        "vnp_TransactionDate": txn_ref.rsplit("-", 1)[-1][:14],  # the payment's vnp_CreateDate
        "vnp_CreateBy": "ocop-shop",
        "vnp_CreateDate": vietnam_time(),
        "vnp_IpAddr": server_ip(),
        "vnp_OrderInfo": strip_diacritics(reason or f"Hoan tien don {order_number(txn_ref)}")[:255],
    }
    body["vnp_SecureHash"] = pipe_hash(body, REFUND_FIELDS)
    answer = post_json(settings.VNPAY_API_URL, body, gateway=GATEWAY)
    if answer.get("vnp_SecureHash") and not hmac.compare_digest(
            pipe_hash(answer, REFUND_ANSWER_FIELDS), str(answer["vnp_SecureHash"]).lower()):
        raise GatewayError(_("Câu trả lời của VNPay không có chữ ký hợp lệ; hãy kiểm tra giao dịch trên trang quản lý "
                             "của VNPay."))
    if answer.get("vnp_ResponseCode") != "00":
        raise GatewayError(_("VNPay từ chối hoàn tiền: %(message)s (mã %(code)s).") % {
            "message": answer.get("vnp_Message", ""), "code": answer.get("vnp_ResponseCode", "?")})
    return str(answer.get("vnp_TransactionNo") or answer.get("vnp_ResponseId") or body["vnp_RequestId"])


def pipe_hash(fields: dict, names, secret: str | None = None) -> str:
    """The checksum of VNPay's JSON API: the named fields' values, in that order, joined by "|"."""
    return secure_hash("|".join(str(fields.get(name, "")) for name in names), secret)


def server_ip() -> str:
    """This server's address, which VNPay's API asks for (vnp_IpAddr)."""
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"
