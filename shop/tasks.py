"""E-mails to buyers, sent by the task worker so a slow mail server never slows a page."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from shop.models import Order


@task()
def send_order_email(order_id: int, status: str) -> bool:
    """Tell the buyer their order is now `status` (placed, paid, shipped, …)."""
    order = Order.objects.filter(pk=order_id).prefetch_related("suborders__lines", "suborders__producer").first()
    if order is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"order": order, "status": status, "order_url": settings.SITE_URL.rstrip("/") + order.get_absolute_url()}
        subject = render_to_string("shop/email/order_subject.txt", context).strip()
        body = render_to_string("shop/email/order_body.txt", context)
    send_mail(subject, body, None, [order.email])
    return True


@task()
def expire_unpaid_orders() -> int:
    from shop.orders import expire_unpaid_orders as expire

    return expire()
