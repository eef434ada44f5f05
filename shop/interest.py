"""Buyers' interest in products they cannot or do not buy yet: “tell me when” (stock alerts, for a
product out of stock or out of season), the wishlist (“Yêu thích”) and recently viewed products.

Recently viewed products are kept in the session of signed-in buyers only: pages of visitors who
are not signed in may be served to everyone from the page cache, so they record and show nothing
personal (the product page's include is a no-op for them).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from catalog.models import ProductPage
from shop.models import StockAlert, WishlistItem

RECENT_KEY = "recently_viewed"
RECENT_MAX = 8


# --- Services --------------------------------------------------------------------------------------

def ask_alert(product: ProductPage, raw_email: str, user=None, month: int | None = None) -> str:
    """Ask to be e-mailed when `product` can be bought again; returns the message for the buyer,
    or ValueError. One alert per product and e-mail: asking again while it waits changes nothing;
    asking after it was sent waits again (the product ran out once more)."""
    email = (raw_email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(_("Hãy nhập một địa chỉ email hợp lệ.")) from None
    closed = product.season_closed(month)
    if product.in_stock and not closed:
        return _("“%(title)s” đang có hàng: bạn có thể đặt mua ngay.") % {"title": product.title}
    kind = StockAlert.Kind.SEASON if closed else StockAlert.Kind.STOCK
    alert, created = StockAlert.objects.get_or_create(
        product=product, email=email, defaults={"user": user, "kind": kind})
    if not created and alert.notified_at is not None:
        alert.notified_at, alert.kind = None, kind
        alert.save(update_fields=["notified_at", "kind"])
    if closed:
        return _("Chúng tôi sẽ gửi email tới %(email)s khi “%(title)s” vào mùa (tháng %(month)s).") % {
            "email": email, "title": product.title, "month": product.next_season_month(month)}
    return _("Chúng tôi sẽ gửi email tới %(email)s khi “%(title)s” có hàng lại.") % {
        "email": email, "title": product.title}


def toggle_wishlist(user, product: ProductPage) -> bool:
    """Add the product to the buyer's wishlist, or take it out if it is there; True when kept."""
    deleted, _rows = WishlistItem.objects.filter(user=user, product=product).delete()
    if deleted:
        return False
    WishlistItem.objects.get_or_create(user=user, product=product)
    return True


def in_wishlist(user, product) -> bool:
    return bool(user.is_authenticated and WishlistItem.objects.filter(user=user, product=product).exists())


def wishlist_products(user) -> list[ProductPage]:
    """The buyer's wishlist, last added first (live products only)."""
    if not user.is_authenticated:
        return []
    return _in_order(list(WishlistItem.objects.filter(user=user).values_list("product_id", flat=True)))


def record_view(request, product) -> None:
    """Remember a product page a signed-in buyer opened (the last RECENT_MAX, newest first)."""
    if not request.user.is_authenticated or product is None:
        return
    seen = [pk for pk in request.session.get(RECENT_KEY, []) if pk != product.pk]
    request.session[RECENT_KEY] = [product.pk, *seen][:RECENT_MAX]


def recent_products(request, exclude=None) -> list[ProductPage]:
    """The signed-in buyer's recently viewed live products, newest first, without `exclude`."""
    if not request.user.is_authenticated:
        return []
    return _in_order([pk for pk in request.session.get(RECENT_KEY, []) if exclude is None or pk != exclude.pk])


def _in_order(ids) -> list[ProductPage]:
    """The live products of `ids`, ready for cards, in the order of `ids`."""
    found = {p.pk: p for p in ProductPage.objects.live().filter(pk__in=ids).for_listing()}
    return [found[pk] for pk in ids if pk in found]


# --- Views -----------------------------------------------------------------------------------------

def _back(request, product):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(product.get_url(request))


@require_POST
def stock_alert(request, product_id):
    """“Báo cho tôi khi có hàng / khi vào mùa” on a product page (rate-limited per client address)."""
    product = get_object_or_404(ProductPage.objects.live(), pk=product_id)
    if is_ratelimited(request, group="stock_alert", key="ip", rate=settings.RATE_LIMITS["stock_alert"], increment=True):
        raise Ratelimited  # the 429 page
    user = request.user if request.user.is_authenticated else None
    email = request.POST.get("email") or (user.email if user else "")
    try:
        messages.success(request, ask_alert(product, email, user=user))
    except ValueError as error:
        messages.error(request, str(error))
    return _back(request, product)


@require_POST
def wishlist_toggle(request, product_id):
    product = get_object_or_404(ProductPage.objects.live(), pk=product_id)
    if not request.user.is_authenticated:
        messages.info(request, _("Hãy đăng nhập để lưu sản phẩm yêu thích."))
        return redirect_to_login(product.get_url(request))
    if toggle_wishlist(request.user, product):
        messages.success(request, _("Đã thêm “%(title)s” vào Yêu thích.") % {"title": product.title})
    else:
        messages.success(request, _("Đã bỏ “%(title)s” khỏi Yêu thích.") % {"title": product.title})
    return _back(request, product)
