"""E-mails of returns and complaints: after each step of a request, the parties that did not take it
hear of it — the buyer (at the order's e-mail), the producer's members, the province's officers
once it is escalated, and staff when a bank transfer is theirs to make. Sent by the task worker
after the step commits (`notify_later`), one message per address, each party with its own link: the
buyer's page (with the order's secret link) or the admin screen."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from catalog import roles

BUYER, PRODUCER, OFFICERS, STAFF = "buyer", "producer", "officers", "staff"
ADMIN_DETAIL = "shop_returns_detail"  # shop.return_admin's screen of one request


def notify_later(event, parties) -> None:
    """After commit, e-mail `parties` about `event` (nothing if the step rolls back)."""
    parties = list(parties)
    if parties:
        transaction.on_commit(lambda: send_return_email.enqueue(event.pk, parties))


def buyer_url(request) -> str:
    order = request.suborder.order
    path = reverse("shop:return_detail", args=[request.public_id])
    return f"{settings.SITE_URL.rstrip('/')}{path}?t={order.access_token}"


def admin_url(request) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(ADMIN_DETAIL, args=[request.pk])


def recipients(request, party) -> list[str]:
    producer = request.suborder.producer
    if party == BUYER:
        emails = [request.suborder.order.email]
    elif party == PRODUCER:
        emails = list(producer.members.filter(user__is_active=True).values_list("user__email", flat=True))
    elif party == OFFICERS:
        emails = roles.officer_emails(producer.province)
    elif party == STAFF:
        users = get_user_model().objects
        staff = users.with_perm("shop.change_order", is_active=True, backend="django.contrib.auth.backends.ModelBackend")
        national = users.filter(is_active=True, groups__name=roles.NATIONAL_ADMIN_GROUP)
        emails = list(staff.values_list("email", flat=True)) + list(national.values_list("email", flat=True))
    else:
        raise ValueError(party)
    seen = set()
    return [e for e in emails if e and not (e.lower() in seen or seen.add(e.lower()))]


@task()
def send_return_email(event_id: int, parties: list[str]) -> int:
    """Tell `parties` of one step of a return request; how many e-mails went out."""
    from shop.models import ReturnEvent

    event = ReturnEvent.objects.select_related(
        "request__suborder__order", "request__suborder__producer__province").filter(pk=event_id).first()
    if event is None:
        return 0
    request = event.request
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for party in parties:
            context = {
                "request": request, "event": event, "order": request.suborder.order,
                "producer": request.suborder.producer, "party": party,
                "url": buyer_url(request) if party == BUYER else admin_url(request),
                "asks_answer": party == PRODUCER and request.status == request.Status.OPEN,
                "transfer_needed": party == STAFF and request.status == request.Status.ACCEPTED,
            }
            subject = render_to_string("shop/email/return_subject.txt", context).strip()
            body = render_to_string("shop/email/return_body.txt", context)
            for address in recipients(request, party):
                send_mail(subject, body, None, [address])
                sent += 1
    return sent
