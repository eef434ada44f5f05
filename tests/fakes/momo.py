"""A local MoMo (payment API v2, developers.momo.vn/v3/docs/payment): the create call
(captureWallet), its payment page, and the refund call, as MoMo documents them.

Signatures are HMAC-SHA256 with the secret key over MoMo's documented raw strings, written again
here from the documentation (not imported from shop.gateways):
- create:  accessKey, amount, extraData, ipnUrl, orderId, orderInfo, partnerCode, redirectUrl, requestId, requestType
- answer:  accessKey, amount, orderId, partnerCode, payUrl, requestId, responseTime, resultCode
- result (redirect and IPN): accessKey, amount, extraData, message, orderId, orderInfo, orderType,
  partnerCode, payType, requestId, responseTime, resultCode, transId
- refund:  accessKey, amount, description, orderId, partnerCode, requestId, transId
A bad signature gets resultCode 13, a reused orderId 41, an amount out of MoMo's range 22.
"Paying" on the page redirects the browser to redirectUrl with the signed result; the IPN MoMo
would POST to ipnUrl is the same result as JSON (`ipn_body`), which the test sends to our IPN.
"""

import hashlib
import hmac
import itertools
import time
from urllib.parse import urlencode

from tests.fakes import FakeHandler, FakeServer, get_once, split_url

# The raw strings, as MoMo's documentation writes them.
CREATE = ("accessKey=$accessKey&amount=$amount&extraData=$extraData&ipnUrl=$ipnUrl&orderId=$orderId"
          "&orderInfo=$orderInfo&partnerCode=$partnerCode&redirectUrl=$redirectUrl&requestId=$requestId"
          "&requestType=$requestType")
ANSWER = ("accessKey=$accessKey&amount=$amount&orderId=$orderId&partnerCode=$partnerCode&payUrl=$payUrl"
          "&requestId=$requestId&responseTime=$responseTime&resultCode=$resultCode")
RESULT = ("accessKey=$accessKey&amount=$amount&extraData=$extraData&message=$message&orderId=$orderId"
          "&orderInfo=$orderInfo&orderType=$orderType&partnerCode=$partnerCode&payType=$payType&requestId=$requestId"
          "&responseTime=$responseTime&resultCode=$resultCode&transId=$transId")
REFUND = ("accessKey=$accessKey&amount=$amount&description=$description&orderId=$orderId&partnerCode=$partnerCode"
          "&requestId=$requestId&transId=$transId")
MESSAGES = {0: "Thành công.", 13: "Xác thực doanh nghiệp thất bại.", 22: "Số tiền giao dịch không hợp lệ.",
            41: "OrderId bị trùng.", 1006: "Giao dịch thất bại do người dùng đã từ chối xác nhận thanh toán.",
            1080: "Giao dịch thanh toán ban đầu không được tìm thấy.", 1081: "Giao dịch đã được hoàn tiền."}


def fill(template: str, fields: dict) -> str:
    """A documented raw string with each $name replaced by the field's value."""
    pairs = (pair.split("=$") for pair in template.split("&"))
    return "&".join(f"{name}={fields.get(value, '')}" for name, value in pairs)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class FakeMomo(FakeServer):
    partner_code = "MOMOFAKE20250101"
    access_key = "FAKEACCESSKEY123"
    secret_key = "FAKEMOMOSECRETKEY0123456789abcde"

    def __init__(self):
        self.handler = MomoHandler
        super().__init__()
        self.trans_ids = itertools.count(4_088_878_001)
        self.created = {}  # orderId → the create request
        self.results = {}  # orderId → the payment's result (the IPN body)
        self.refunds = []
        self.next_code = 0

    def sign(self, template: str, fields: dict, secret=None) -> str:
        raw = fill(template, {**fields, "accessKey": self.access_key})
        return hmac.new((secret or self.secret_key).encode(), raw.encode(), hashlib.sha256).hexdigest()

    def signed(self, fields: dict, secret=None) -> dict:
        """A result (IPN body or redirect query) as MoMo would sign it (or a forger holding `secret`)."""
        fields = {k: v for k, v in fields.items() if k != "signature"}
        return {**fields, "signature": self.sign(RESULT, fields, secret)}

    def configure(self, settings):
        """Point the shop's settings (pytest-django's `settings`) at this fake; returns the fake."""
        settings.MOMO_PARTNER_CODE = self.partner_code
        settings.MOMO_ACCESS_KEY = self.access_key
        settings.MOMO_SECRET_KEY = self.secret_key
        settings.MOMO_ENDPOINT = self.base
        return self

    # --- for the tests --------------------------------------------------------------------------

    def pay(self, pay_url: str, code: int = 0) -> dict:
        """The buyer on MoMo's page: the redirect's parameters (strings). Fails the test if MoMo refuses."""
        self.next_code = code
        status, headers, body = get_once(pay_url)
        assert status == 302, f"MoMo refused the payment page: {status} {body}"
        return split_url(headers["Location"])[1]

    def ipn_body(self, order_id: str) -> dict:
        """What MoMo POSTs to the ipnUrl for the payment of `order_id` (JSON: numbers as numbers)."""
        return dict(self.results[order_id])

    # --- the API --------------------------------------------------------------------------------

    def create(self, body: dict) -> dict:
        answer = {"partnerCode": self.partner_code, "requestId": body.get("requestId", ""),
                  "orderId": body.get("orderId", ""), "amount": body.get("amount", 0), "responseTime": now_ms(),
                  "payUrl": ""}
        if not hmac.compare_digest(self.sign(CREATE, body), str(body.get("signature", ""))) or \
                body.get("partnerCode") != self.partner_code:
            code = 13
        elif body.get("requestType") != "captureWallet" or body.get("orderId") in self.created:
            code = 41
        elif type(body.get("amount")) is not int or not 1_000 <= body["amount"] <= 50_000_000:
            code = 22
        else:
            code = 0
            self.created[body["orderId"]] = body
            answer["payUrl"] = f"{self.base}/v2/gateway/pay?t={body['orderId']}"
        answer.update(resultCode=code, message=MESSAGES[code])
        return {**answer, "signature": self.sign(ANSWER, answer)}

    def result_of(self, order_id: str) -> dict | None:
        request = self.created.get(order_id)
        if request is None or order_id in self.results:
            return None
        code = self.next_code
        result = {"partnerCode": self.partner_code, "orderId": order_id, "requestId": request["requestId"],
                  "amount": request["amount"], "orderInfo": request["orderInfo"], "orderType": "momo_wallet",
                  "transId": next(self.trans_ids), "resultCode": code, "message": MESSAGES.get(code, "Lỗi."),
                  "payType": "qr", "responseTime": now_ms(), "extraData": request["extraData"]}
        self.results[order_id] = self.signed(result)
        return self.results[order_id]

    def refund(self, body: dict) -> dict:
        self.refunds.append(body)
        answer = {"partnerCode": self.partner_code, "orderId": body.get("orderId", ""),
                  "requestId": body.get("requestId", ""), "amount": body.get("amount", 0), "transId": 0,
                  "responseTime": now_ms()}
        paid = next((r for r in self.results.values() if r["transId"] == body.get("transId") and r["resultCode"] == 0),
                    None)
        refunded = sum(r["amount"] for r in self.refunds[:-1] if r.get("transId") == body.get("transId")
                       and r.get("accepted"))
        if not hmac.compare_digest(self.sign(REFUND, body), str(body.get("signature", ""))):
            code = 13
        elif body.get("orderId") in {*self.created, *(r.get("orderId") for r in self.refunds[:-1])}:
            code = 41
        elif paid is None:
            code = 1080
        elif type(body.get("amount")) is not int or body["amount"] < 1_000:
            code = 22
        elif body["amount"] > paid["amount"] - refunded:
            code = 1081
        else:
            code = 0
            body["accepted"] = True
            answer["transId"] = next(self.trans_ids)
        answer.update(resultCode=code, message=MESSAGES[code])
        return answer


class MomoHandler(FakeHandler):
    def do_POST(self):
        body = self.json_body()
        body = body if isinstance(body, dict) else {}
        with self.fake.lock:
            if self.path == "/v2/gateway/api/create":
                return self.send_json(self.fake.create(body))
            if self.path == "/v2/gateway/api/refund":
                return self.send_json(self.fake.refund(body))
        self.send_text("not found", 404)

    def do_GET(self):
        if not self.path.startswith("/v2/gateway/pay"):
            return self.send_text("not found", 404)
        order_id = self.query().get("t", "")
        with self.fake.lock:
            result = self.fake.result_of(order_id)
        if result is None:
            return self.send_text("Giao dịch không tồn tại hoặc đã được xử lý.", 400)
        self.redirect(f"{self.fake.created[order_id]['redirectUrl']}?{urlencode(result)}")

