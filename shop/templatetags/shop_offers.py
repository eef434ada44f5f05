"""Running campaigns where buyers look: `{% campaign_offer product as offer %}` on cards and
product pages, `{% running_campaigns as campaigns %}`, `{% voucher_suggestion cart as suggestion %}`
and `{% campaigns_url as url %}` (the menu's "Khuyến mãi")."""

from types import SimpleNamespace

from django import template
from django.core.cache import cache
from django.utils.translation import get_language

from catalog.models import ProductPage
from shop.promotions import offers
from shop.promotions.models import CampaignIndexPage

register = template.Library()

INDEX_URL_KEY = "campaign-index-url"


def _running(context) -> list:
    """Running campaigns, loaded once per request (a grid of cards costs the same as one card)."""
    request = context.get("request")
    if request is None:
        return offers.running_campaigns()
    if not hasattr(request, "_running_campaigns"):
        request._running_campaigns = offers.running_campaigns()
    return request._running_campaigns


def _coverable(context, product):
    """`product` as `coverage.covers` reads it. A search hit carries no group or producer ids:
    those of every hit in the grid (`products` in the context) are read in one query."""
    if isinstance(product, ProductPage):
        return product
    request = context.get("request")
    known = getattr(request, "_hit_facts", None) if request is not None else None
    if known is None:
        known = {}
        if request is not None:
            request._hit_facts = known
    if product.id not in known:
        wanted = {getattr(p, "id", None) for p in (context.get("products") or [product])} | {product.id}
        rows = ProductPage.objects.filter(pk__in=wanted - known.keys()).values_list("pk", "group_id", "producer__province_id")
        for pk, group_id, province_id in rows:
            known[pk] = (group_id, province_id)
    group_id, province_id = known.get(product.id, (None, None))
    return SimpleNamespace(pk=product.id, group_id=group_id, stars=product.stars,
                           producer=SimpleNamespace(province_id=province_id))


@register.simple_tag(takes_context=True)
def campaign_offer(context, product):
    """The running campaign's offer for `product` (a page from `.for_listing()` or a search hit), or None."""
    campaigns = _running(context)
    if not campaigns or product is None or getattr(product, "min_price", None) is None:
        return None
    return offers.product_offer(_coverable(context, product), campaigns, price=product.min_price)


@register.simple_tag(takes_context=True)
def running_campaigns(context):
    return _running(context)


@register.simple_tag(takes_context=True)
def voucher_suggestion(context, cart):
    """A running code that would take something off this cart, when none is entered."""
    if cart is None or not cart.lines or cart.voucher_code:
        return None
    request = context.get("request")
    return offers.suggest_voucher(cart.lines, user=getattr(request, "user", None), campaigns=_running(context))


@register.simple_tag(takes_context=True)
def campaigns_url(context):
    """The campaigns index's URL in the active language ('' if there is none), cached: every page's menu links it."""
    key = f"{INDEX_URL_KEY}:{get_language()}"
    url = cache.get(key)
    if url is None:
        index = CampaignIndexPage.objects.live().first()
        url = (index.get_url(context.get("request")) or "") if index else ""
        if url:  # none yet: ask again next time, so the link appears once the index exists
            cache.set(key, url, 3600)
    return url
