"""Tags for the shop's includes on catalogue and account pages: wishlist state, the wishlist, and
recently viewed products (signed-in buyers only; see `shop.interest`)."""

from django import template

from shop import interest

register = template.Library()


@register.simple_tag(takes_context=True)
def in_wishlist(context, product) -> bool:
    return interest.in_wishlist(context["request"].user, product)


@register.simple_tag(takes_context=True)
def wishlist_products(context):
    return interest.wishlist_products(context["request"].user)


@register.simple_tag(takes_context=True)
def recently_viewed(context, product=None):
    """The buyer's recently viewed products without `product`; on a product page (`product`
    given) it also records this view, after reading the list."""
    request, product = context["request"], product or None
    products = interest.recent_products(request, exclude=product)
    interest.record_view(request, product)
    return products
