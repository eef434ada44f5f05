"""The webhook bank-transfer notification services call: verify, then hand the transfer to
`shop.transfers.notices`. Refused calls get a 400 with a short reason and leave nothing behind;
an accepted one answers 200 whatever became of the transfer (paid, kept for staff, a duplicate,
or nothing to do), so the service does not send it again."""

import logging

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.transfers import notices

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def casso_webhook(request):
    if not settings.CASSO_CHECKSUM_KEY:
        return HttpResponseBadRequest("Casso webhooks are not configured.")
    try:
        data = notices.verify_casso(request.body, request.headers.get(notices.SIGNATURE_HEADER, ""),
                                    key=settings.CASSO_CHECKSUM_KEY,
                                    tolerance=settings.TRANSFER_WEBHOOK_TOLERANCE_SECONDS)
    except notices.SignatureError as error:
        log.warning("Refused a Casso webhook: %s", error)
        return HttpResponseBadRequest(str(error))
    transfer = notices.casso_transfer(data)
    outcome = notices.receive(transfer) if transfer else "ignored"
    return JsonResponse({"success": True, "outcome": outcome})
