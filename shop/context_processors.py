from shop.cart import item_count


def cart(request):
    """The number of units in the cart, for the header badge (no query for visitors without one).
    None on a page rendered to be shared by every visitor (the page cache): `shop:visitor` tells
    each visitor's browser its own count."""
    if getattr(request, "renders_for_cache", False):
        return {"cart_count": None}
    return {"cart_count": item_count(request)}
