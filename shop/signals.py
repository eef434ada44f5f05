from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from shop.cart import SESSION_KEY, merge_into_account


@receiver(user_logged_in)
def merge_guest_cart(sender, request, user, **kwargs):
    """A guest's cart joins the account's cart when they sign in."""
    if request is not None and hasattr(request, "session"):
        cart_id = request.session.pop(SESSION_KEY, None)
        if cart_id:
            merge_into_account(cart_id, user)
