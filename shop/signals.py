"""Every signal receiver of the shop: carts joining accounts at sign-in, officers' permissions on
campaigns, the demo campaign, the cached shipping table, “tell me when it is back” e-mails and
pre-orders confirmed when stock comes in their season."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.demo import demo_loaded, demo_removed
from catalog.inventory import stock_changed
from catalog.permissions import roles_set_up
from shop import shipping
from shop.cart import SESSION_KEY, merge_into_account
from shop.emails import send_stock_alerts
from shop.models import OrderLine, ShippingRate, ShippingZone, StockAlert
from shop.order_rules import OrderStatus
from shop.promotions import access, demo
from shop.promotions.models import CampaignPage
from shop.tasks import confirm_preorders


@receiver(user_logged_in)
def merge_guest_cart(sender, request, user, **kwargs):
    """A guest's cart joins the account's cart when they sign in."""
    if request is not None and hasattr(request, "session"):
        cart_id = request.session.pop(SESSION_KEY, None)
        if cart_id:
            merge_into_account(cart_id, user)


@receiver(post_save, sender=CampaignPage)
def campaign_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        access.grant_campaign_permissions(instance)


@receiver(roles_set_up)
def campaign_roles(sender, **kwargs):
    access.grant_all()


@receiver(demo_loaded)
def add_demo_campaign(sender, today=None, log=lambda message: None, **kwargs):
    demo.add_demo_campaign(today=today, log=log)


@receiver(demo_removed)
def remove_demo_campaign(sender, **kwargs):
    demo.remove_demo_campaign()


@receiver([post_save, post_delete], sender=ShippingZone)
@receiver([post_save, post_delete], sender=ShippingRate)
@receiver(m2m_changed, sender=ShippingZone.provinces.through)
def shipping_rates_changed(**kwargs):
    shipping.forget_rate_table()


@receiver(stock_changed)
def stock_came_back(sender, product_ids, availability_changed=(), **kwargs):
    """A pack sold out or came back (sent after commit): e-mail those waiting for it; the task
    skips products that still cannot be bought."""
    waiting = sorted(set(StockAlert.objects.filter(product_id__in=availability_changed, notified_at__isnull=True)
                         .values_list("product_id", flat=True)))
    if waiting:
        send_stock_alerts.enqueue(product_ids=waiting)
    preordered = sorted(set(OrderLine.objects.filter(
        suborder__order__status=OrderStatus.PREORDERED, variant__product_id__in=product_ids,
    ).values_list("variant__product_id", flat=True)))
    if preordered:  # stock came in a season that opened: the pre-orders take it before others are told
        confirm_preorders.enqueue(product_ids=preordered)
