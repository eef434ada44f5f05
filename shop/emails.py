"""The order e-mails: the buyer hears of every move of their order, sent by the task worker after
the transaction commits, so a slow mail server never slows a page and a rolled-back move sends
nothing. (Producers' onboarding e-mails are the catalogue's, `catalog.emails`.)"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from shop.models import Order
from shop.order_rules import OrderStatus

# What the e-mail says first, by the status it announces.
INTROS = {
    OrderStatus.PLACED: _("Cảm ơn bạn đã đặt hàng. Đơn %(number)s đã được ghi nhận; bạn trả tiền khi nhận hàng."),
    OrderStatus.AWAITING_PAYMENT: _("Đơn %(number)s đang chờ thanh toán. Hãy hoàn tất thanh toán từ trang đơn hàng."),
}
MOVED = _("Đơn %(number)s của bạn vừa chuyển sang: %(status)s.")


def order_email_later(order: Order, status: str) -> None:
    """After commit, e-mail the buyer that `order` is now `status`."""
    transaction.on_commit(lambda: send_order_email.enqueue(order.pk, status))


@task()
def send_order_email(order_id: int, status: str) -> bool:
    """Tell the buyer their order is now `status` (placed, paid, shipped, …)."""
    order = Order.objects.filter(pk=order_id).prefetch_related("suborders__lines", "suborders__producer").first()
    if order is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        intro = INTROS.get(status, MOVED) % {"number": order.number, "status": order.get_status_display()}
        context = {"order": order, "intro": intro, "order_url": settings.SITE_URL.rstrip("/") + order.get_absolute_url()}
        subject = render_to_string("shop/email/order_subject.txt", context).strip()
        body = render_to_string("shop/email/order_body.txt", context)
    send_mail(subject, body, None, [order.email])
    return True
