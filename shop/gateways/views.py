"""The gateways' endpoints, thin: verify, then let `shop.gateways.settle` act.

The return pages (the buyer's browser, sent back by the gateway) only show the verified result
and lead to the order: they change nothing, since anyone can open them again. The IPNs (the
gateway's server) move orders and answer as each gateway documents: VNPay a JSON {RspCode,
Message}, MoMo HTTP 204. A call whose signature does not verify is refused and leaves nothing.
"""

import json
import logging

from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from shop import gateways
from shop.gateways import Result, momo, vnpay
from shop.models import Order

log = logging.getLogger(__name__)
VNPAY_ANSWERS = {  # VNPay's documented IPN answers
    Result.CONFIRMED: ("00", "Confirm Success"),
    Result.ALREADY: ("02", "Order already confirmed"),
    Result.NOT_FOUND: ("01", "Order not found"),
    Result.BAD_AMOUNT: ("04", "Invalid amount"),
}


def _answer(code: str, message: str) -> JsonResponse:
    return JsonResponse({"RspCode": code, "Message": message})


@csrf_exempt
@require_GET
def vnpay_ipn(request):
    params = request.GET.dict()
    try:
        if not vnpay.verify(params):
            log.warning("Refused a VNPay IPN with an invalid signature (TxnRef %s)", params.get("vnp_TxnRef"))
            return _answer("97", "Invalid signature")
        try:
            notice = vnpay.notice(params)
        except ValueError:
            return _answer("04", "Invalid amount")
        return _answer(*VNPAY_ANSWERS[gateways.settle(notice)])
    except Exception:
        log.exception("VNPay IPN failed (TxnRef %s)", params.get("vnp_TxnRef"))
        return _answer("99", "Unknown error")


@csrf_exempt
@require_POST
def momo_ipn(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("The body is not JSON.")
    if not isinstance(data, dict) or not momo.verify(data):
        log.warning("Refused a MoMo IPN with an invalid signature")
        return HttpResponseBadRequest("Invalid signature.")
    if not momo.is_fresh(data):
        return HttpResponseBadRequest("Stale notification.")
    if not momo.is_final(data):
        return HttpResponse(status=204)  # MoMo tells the final result later
    try:
        notice = momo.notice(data)
    except ValueError:
        return HttpResponseBadRequest("Invalid amount.")
    result = gateways.settle(notice)
    if result == Result.NOT_FOUND:
        return HttpResponseNotFound("Order not found.")
    if result == Result.BAD_AMOUNT:
        return HttpResponseBadRequest("Invalid amount.")
    return HttpResponse(status=204)


@require_GET
def vnpay_return(request):
    params = request.GET.dict()
    if not vnpay.verify(params):
        return _result(request, "VNPay", _("Không xác minh được kết quả thanh toán từ VNPay."), status=400)
    order = get_object_or_404(Order, number=gateways.order_number(params.get("vnp_TxnRef", "")))
    return _result(request, "VNPay", vnpay.result_message(params), order=order, paid=vnpay.is_paid(params))


@require_GET
def momo_return(request):
    params = request.GET.dict()
    if not momo.verify(params):
        return _result(request, "MoMo", _("Không xác minh được kết quả thanh toán từ MoMo."), status=400)
    order = get_object_or_404(Order, number=gateways.order_number(params.get("orderId", "")))
    return _result(request, "MoMo", momo.result_message(params), order=order,
                   paid=momo.result_code(params) == 0)


def _result(request, gateway, message, *, order=None, paid=False, status=200):
    return render(request, "shop/gateways/result.html",
                  {"gateway": gateway, "message": message, "order": order, "paid": paid}, status=status)
