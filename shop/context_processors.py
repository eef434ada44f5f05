from shop.cart import item_count


def cart(request):
    """The number of units in the cart, for the header badge (no query for visitors without one)."""
    return {"cart_count": item_count(request)}
