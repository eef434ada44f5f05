"""The order e-mails: the buyer hears of every move of their order, sent by the task worker after
the transaction commits, so a slow mail server never slows a page and a rolled-back move sends
nothing. (Producers' onboarding e-mails are the catalogue's, `catalog.emails`.)"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from catalog.models import ProductPage
from shop import bookings
from shop.models import Order, StockAlert
from shop.order_rules import OrderStatus

PREORDER_CONFIRMED = "preorder-confirmed"  # not a status: the season opened and the pre-order took its stock

# What the e-mail says first, by the status (or event) it announces.
INTROS = {
    OrderStatus.PREORDERED: _("Cảm ơn bạn đã đặt trước. Đơn %(number)s đã được ghi nhận với giá hôm nay; chưa cần "
                              "thanh toán. Khi vào mùa, chúng tôi giữ hàng theo thứ tự đặt và báo bạn."),
    PREORDER_CONFIRMED: _("Đã vào mùa! Đơn đặt trước %(number)s đã được xác nhận và hàng đã được giữ cho bạn "
                          "(trạng thái: %(status)s)."),
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
        booked = bookings.booked_lines(order)
        context = {"order": order, "intro": intro, "order_url": settings.SITE_URL.rstrip("/") + order.get_absolute_url(),
                   "bookings": booked}
        subject = render_to_string("shop/email/order_subject.txt", context).strip()
        body = render_to_string("shop/email/order_body.txt", context)
    message = EmailMessage(subject, body, None, [order.email])
    for line in booked:  # the host scans it on arrival (its code and link are in the text too)
        message.attach(f"dat-cho-{line.booking_code}.png", bookings.qr_png(line.check_url), "image/png")
    message.send()
    return True


# --- “Tell me when”: products back in stock, seasons opening ---------------------------------------

@task()
def send_stock_alerts(product_ids: list[int] | None = None, today: str | None = None) -> int:
    """E-mail everyone waiting for these products (every product when None) that can be bought on
    `today` (ISO date, local today by default). Returns how many e-mails went out."""
    return notify_stock_alerts(product_ids, datetime.date.fromisoformat(today) if today else None)


def notify_stock_alerts(product_ids=None, today: datetime.date | None = None) -> int:
    """Each waiting alert of a product that is live, in stock and in season gets one e-mail: it is
    claimed with a conditional UPDATE in the transaction that sends it, so two runs never both
    send it, and a failed send leaves it waiting for the next run."""
    today = today or timezone.localdate()
    pending = StockAlert.objects.filter(notified_at__isnull=True)
    if product_ids is not None:
        pending = pending.filter(product_id__in=product_ids)
    products = ProductPage.objects.live().filter(pk__in=pending.values("product_id")).prefetch_related(
        "variants", "season_months")
    sent = 0
    for product in products:
        if not product.in_stock or product.season_closed(today.month):
            continue
        for alert in pending.filter(product=product):
            with transaction.atomic():
                if StockAlert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(notified_at=timezone.now()):
                    _send_stock_alert(alert, product)
                    sent += 1
    return sent


def _send_stock_alert(alert: StockAlert, product: ProductPage) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"alert": alert, "product": product,
                   "product_url": settings.SITE_URL.rstrip("/") + product.get_url_parts()[2]}
        subject = render_to_string("shop/email/stock_alert_subject.txt", context).strip()
        body = render_to_string("shop/email/stock_alert_body.txt", context)
    send_mail(subject, body, None, [alert.email])
