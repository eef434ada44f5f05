"""A local VNPay (payment gateway 2.1.0): its payment page and its refund API, as VNPay documents them
(sandbox.vnpayment.vn/apis/docs: "Tạo URL thanh toán", "Code IPN URL", "API querydr, refund").

Its signing is written again from the documentation (not imported from shop.gateways), so a mistake
there shows here as a refused payment or refund:
- the payment URL: the vnp_* parameters sorted by name, urlencoded as a form (space → "+"),
  HMAC-SHA512 with the hash secret; a wrong checksum gets VNPay's error page (code 70);
- "paying" redirects the browser to vnp_ReturnUrl with the signed result. VNPay's IPN carries the
  very same parameters, so the test sends them to our IPN itself (`pay` returns them);
- the refund API checks the "|"-joined checksum and the paid transaction (TxnRef, TransactionNo and
  the payment's vnp_CreateDate as vnp_TransactionDate), and answers signed JSON.
"""

import datetime
import hashlib
import hmac
import itertools
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tests.fakes import FakeHandler, FakeServer, get_once, split_url

PAY_PATH = "/paymentv2/vpcpay.html"
API_PATH = "/merchant_webapi/api/transaction"
REFUND_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
                 "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
                 "vnp_IpAddr", "vnp_OrderInfo")
ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                 "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                 "vnp_TransactionStatus", "vnp_OrderInfo")
REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef", "vnp_OrderInfo",
            "vnp_OrderType", "vnp_Locale", "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate", "vnp_ExpireDate")


def now_vn() -> str:
    return datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y%m%d%H%M%S")


class FakeVnpay(FakeServer):
    tmn_code = "FAKETMN1"
    secret = "FAKEVNPAYHASHSECRET0123456789ABC"

    def __init__(self):
        self.handler = VnpayHandler
        super().__init__()
        self.numbers = itertools.count(14_000_001)
        self.payments = {}  # vnp_TxnRef → what was paid: the request, the result, what was refunded
        self.refund_requests = []
        self.next_code = "00"

    @property
    def payment_url(self):
        return self.base + PAY_PATH

    @property
    def api_url(self):
        return self.base + API_PATH

    # --- signing, as the documentation says -----------------------------------------------------

    def hash_of(self, params: dict, secret=None) -> str:
        data = urlencode(sorted((k, v) for k, v in params.items() if k not in ("vnp_SecureHash", "vnp_SecureHashType")))
        return hmac.new((secret or self.secret).encode(), data.encode(), hashlib.sha512).hexdigest()

    def signed(self, params: dict, secret=None) -> dict:
        """`params` as VNPay would send them (or a forger holding `secret`): with their vnp_SecureHash."""
        params = {k: str(v) for k, v in params.items() if k != "vnp_SecureHash"}
        return {**params, "vnp_SecureHash": self.hash_of(params, secret)}

    def pipe_hash(self, fields: dict, names) -> str:
        data = "|".join(str(fields.get(name, "")) for name in names)
        return hmac.new(self.secret.encode(), data.encode(), hashlib.sha512).hexdigest()

    def configure(self, settings):
        """Point the shop's settings (pytest-django's `settings`) at this fake; returns the fake."""
        settings.VNPAY_TMN_CODE = self.tmn_code
        settings.VNPAY_HASH_SECRET = self.secret
        settings.VNPAY_PAYMENT_URL = self.payment_url
        settings.VNPAY_API_URL = self.api_url
        return self

    # --- for the tests --------------------------------------------------------------------------

    def pay(self, url: str, code: str = "00") -> dict:
        """The buyer on the payment page at `url`: VNPay's result (the return URL's and the IPN's
        parameters). Fails the test if the page refuses the request."""
        self.next_code = code
        status, headers, body = get_once(url)
        assert status == 302, f"VNPay refused the payment URL: {status} {body}"
        return split_url(headers["Location"])[1]

    def check_request(self, params: dict) -> str:
        """Why VNPay's page would refuse these payment parameters, or "" when it takes them."""
        if any(not params.get(name) for name in REQUIRED):
            return "03 missing parameter"
        if not hmac.compare_digest(self.hash_of(params), params.get("vnp_SecureHash", "")):
            return "70 invalid checksum"
        if params["vnp_TmnCode"] != self.tmn_code or params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay":
            return "02 invalid merchant or version"
        if params["vnp_TxnRef"] in self.payments:
            return "94 duplicate vnp_TxnRef"
        if params["vnp_ExpireDate"] <= now_vn():
            return "11 expired"
        return ""

    def result_of(self, params: dict) -> dict:
        code = self.next_code
        number = str(next(self.numbers)) if code == "00" else "0"
        result = {
            "vnp_Amount": params["vnp_Amount"], "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{number}",
            "vnp_CardType": "ATM", "vnp_OrderInfo": params["vnp_OrderInfo"], "vnp_PayDate": now_vn(),
            "vnp_ResponseCode": code, "vnp_TmnCode": self.tmn_code, "vnp_TransactionNo": number,
            "vnp_TransactionStatus": "00" if code == "00" else "02", "vnp_TxnRef": params["vnp_TxnRef"],
        }
        self.payments[params["vnp_TxnRef"]] = {"request": params, "result": result, "refunded": 0}
        return self.signed(result)

    def refund_answer(self, body: dict) -> dict:
        self.refund_requests.append(body)
        answer = {"vnp_ResponseId": body.get("vnp_RequestId", ""), "vnp_Command": "refund",
                  "vnp_TmnCode": self.tmn_code,
                  "vnp_TxnRef": body.get("vnp_TxnRef", ""), "vnp_Amount": body.get("vnp_Amount", ""),
                  "vnp_OrderInfo": body.get("vnp_OrderInfo", ""), "vnp_BankCode": "NCB", "vnp_PayDate": now_vn(),
                  "vnp_TransactionType": body.get("vnp_TransactionType", ""), "vnp_TransactionNo": "",
                  "vnp_TransactionStatus": ""}
        code, message = self.refund_problem(body)
        if not code:
            payment = self.payments[body["vnp_TxnRef"]]
            payment["refunded"] += int(body["vnp_Amount"])
            code, message = "00", "Refund success"
            # 05: VNPay is processing the refund
            answer.update(vnp_TransactionNo=str(next(self.numbers)), vnp_TransactionStatus="05")
        answer.update(vnp_ResponseCode=code, vnp_Message=message)
        return {**answer, "vnp_SecureHash": self.pipe_hash(answer, ANSWER_FIELDS)}

    def refund_problem(self, body) -> tuple[str, str]:
        if not isinstance(body, dict) or any(body.get(name) in (None, "") for name in REFUND_FIELDS):
            return "03", "Du lieu gui sang khong dung dinh dang"
        if not hmac.compare_digest(self.pipe_hash(body, REFUND_FIELDS), str(body.get("vnp_SecureHash", ""))):
            return "97", "Checksum khong hop le"
        if body["vnp_Command"] != "refund" or body["vnp_TmnCode"] != self.tmn_code:
            return "02", "Ma dinh danh ket noi khong hop le"
        payment = self.payments.get(body["vnp_TxnRef"])
        if (payment is None or payment["result"]["vnp_TransactionNo"] != str(body["vnp_TransactionNo"])
                or payment["request"]["vnp_CreateDate"] != body["vnp_TransactionDate"]):
            return "91", "Khong tim thay giao dich yeu cau hoan tra"
        if payment["result"]["vnp_ResponseCode"] != "00":
            return "95", "Giao dich nay khong thanh cong ben VNPAY"
        left = int(payment["result"]["vnp_Amount"]) - payment["refunded"]
        amount = int(body["vnp_Amount"])
        if amount > left or (body["vnp_TransactionType"] == "02" and amount != left) or \
                body["vnp_TransactionType"] not in ("02", "03"):
            return "94" if not left else "03", "So tien hoan khong hop le"
        return "", ""


class VnpayHandler(FakeHandler):
    def do_GET(self):
        fake = self.fake
        if not self.path.startswith(PAY_PATH):
            return self.send_text("not found", 404)
        params = self.query()
        with fake.lock:
            problem = fake.check_request(params)
            if problem:
                return self.send_text(f"Giao dịch không thành công: {problem}", 400)
            result = fake.result_of(params)
        self.redirect(f"{params['vnp_ReturnUrl']}?{urlencode(result)}")

    def do_POST(self):
        if not self.path.startswith(API_PATH):
            return self.send_text("not found", 404)
        body = self.json_body()
        with self.fake.lock:
            self.send_json(self.fake.refund_answer(body if isinstance(body, dict) else {}))

