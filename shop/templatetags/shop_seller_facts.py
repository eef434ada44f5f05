"""What a distance seller must tell before the order (Article 37 of the Consumer Protection Law
2023), read from the shop's own rules for the product page's `catalog/includes/seller_facts.html`:
the product group's return window and the lowest delivery fee of a parcel."""

from django import template
from django.conf import settings

from shop import shipping
from shop.models import ReturnWindow

register = template.Library()


@register.simple_tag
def seller_terms(product) -> dict:
    """{"return_hours", "return_days" (None unless whole days), "lowest_fee" (đồng, None without a
    rate table), "free_over" (đồng; 0: no free delivery)}."""
    hours = ReturnWindow.objects.filter(group_id=product.group_id).values_list("hours", flat=True).first()
    hours = settings.SHOP_RETURN_WINDOW_HOURS if hours is None else hours
    fees = [rates[0][1] for rates in shipping.rate_table()["rates"].values() if rates]  # each lightest bracket
    return {"return_hours": hours, "return_days": hours // 24 if hours and hours % 24 == 0 else None,
            "lowest_fee": min(fees, default=None), "free_over": settings.SHOP_FREE_SHIPPING_OVER}
