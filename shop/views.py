"""Cart, checkout and order pages: parse, call a service, render."""

import hmac
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from catalog.models import Commune
from catalog.validators import parse_id
from shop import orders, payments, vietqr
from shop import cart as carts
from shop.forms import CheckoutForm
from shop.models import DeliveryMethod, Order, SavedAddress
from shop.order_rules import OrderStatus, PaymentMethod
from shop.promotions import offers
from shop.shipping import NoRate, is_free_shipping, parcels


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@require_GET
@never_cache
def visitor(request):
    """What a page shared by every visitor leaves out, for this visitor's browser: the cart's count
    and a CSRF token for its forms (`js/visitor.js`)."""
    return JsonResponse({"cart_count": carts.item_count(request), "csrf_token": get_token(request)})


@require_GET
def cart_view(request):
    checked = carts.check(carts.cart_for(request))
    for change in checked.changes:
        messages.warning(request, change)
    return render(request, "shop/cart.html", {"cart": checked})


@require_POST
def cart_add(request):
    try:
        variant = carts.sellable_variant(request.POST.get("variant"))
        quantity = carts.parse_quantity(request.POST.get("quantity", "1"))
        cart = carts.cart_for(request, create=True)
        messages.success(request, carts.add(cart, variant, quantity))
        offers.record_add_to_cart(variant)
    except ValueError as error:
        messages.error(request, str(error))
        return _back(request, "shop:cart")
    return redirect("shop:cart") if request.POST.get("go") == "cart" else _back(request, "shop:cart")


@require_POST
def cart_update(request):
    cart = carts.cart_for(request)
    if cart is None:
        messages.error(request, _("Giỏ hàng của bạn đang trống."))
        return redirect("shop:cart")
    line_id = parse_id(request.POST.get("line")) or 0
    try:
        if request.POST.get("remove") or request.POST.get("quantity", "").strip() == "0":
            messages.success(request, carts.remove(cart, line_id))
        else:
            quantity = carts.parse_quantity(request.POST.get("quantity"))
            messages.success(request, carts.set_quantity(cart, line_id, quantity))
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("shop:cart")


@require_POST
def cart_voucher(request):
    """Apply a voucher code to the cart, or remove it (one code per cart)."""
    cart = carts.cart_for(request)
    if request.POST.get("remove"):
        messages.success(request, carts.remove_voucher(cart))
        return redirect("shop:cart")
    if is_ratelimited(request, group="voucher", key="ip", rate=settings.RATE_LIMITS["voucher"], increment=True):
        raise Ratelimited  # someone guessing codes: the 429 page (RATELIMIT_VIEW)
    changes = []
    try:
        message = carts.apply_voucher(cart, request.POST.get("code", ""), changes)
    except offers.VoucherError as error:
        message = None
        messages.error(request, str(error))
    for change in changes:
        messages.warning(request, change)
    if message:
        messages.success(request, message)
    return redirect("shop:cart")


def shipping_quote(checked, province, method):
    """The delivery fee for the summary, or (None, message) when no rate applies."""
    if not (province and method):
        return None, ""
    try:
        return sum(parcel.fee for parcel in parcels(checked.lines, province, method)), ""
    except NoRate as error:
        return None, str(error)


@ratelimit(group="checkout", key="ip", rate=lambda group, request: settings.RATE_LIMITS[group], method="POST")  # 429
def checkout(request):
    reused = None
    if request.method == "POST":  # a second submit of a form that already ordered: show that order
        placed = _order_for_key(request.POST.get("idempotency_key", ""))
        if placed and _placed_here(request, placed):
            return redirect(placed.get_absolute_url())
        reused = placed  # someone else's key: their order is never shown, a fresh form instead
    checked = carts.check(carts.cart_for(request))
    if not checked.lines:
        for change in checked.changes:
            messages.warning(request, change)
        messages.info(request, _("Giỏ hàng của bạn đang trống."))
        return redirect("shop:cart")
    addresses = list(SavedAddress.objects.filter(user=request.user).select_related("commune", "province")) \
        if request.user.is_authenticated else []
    if reused is not None:
        form = CheckoutForm({**request.POST.dict(), "idempotency_key": str(uuid.uuid4())})
        form.is_valid()
        form.add_error(None, _("Biểu mẫu đặt hàng này đã được dùng; hãy kiểm tra lại thông tin rồi bấm Đặt hàng."))
    elif request.method == "POST":
        form = CheckoutForm(request.POST)
        valid = form.is_valid()
        if valid and "recalculate" not in request.POST and not checked.changes:
            order = _place(request, form, checked)
            if order:
                return _pay(request, order)
    else:
        form = CheckoutForm(initial=_initial(request, addresses))
    for change in checked.changes:  # shown once; submitting again accepts them
        messages.warning(request, change)
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    province = data.get("province") or form.initial.get("province")
    method = data.get("delivery_method") or form.initial.get("delivery_method") or DeliveryMethod.STANDARD
    fee, fee_problem = shipping_quote(checked, province, method)
    return render(request, "shop/checkout.html", {
        "form": form, "cart": checked, "shipping_fee": fee, "shipping_problem": fee_problem,
        "total": checked.total + fee if fee is not None else None, "addresses": addresses,
        "free_over": is_free_shipping(checked.subtotal),
    })


def _order_for_key(key) -> Order | None:
    try:
        return Order.objects.filter(idempotency_key=uuid.UUID(str(key))).first()
    except ValueError:
        return None


PLACED_KEY = "placed_orders"


def _placed_here(request, order) -> bool:
    """Was `order` placed from this browser session, or is it the signed-in buyer's own?"""
    if request.user.is_authenticated and order.user_id == request.user.pk:
        return True
    return order.pk in request.session.get(PLACED_KEY, [])


def _remember_placed(request, order) -> None:
    request.session[PLACED_KEY] = [*request.session.get(PLACED_KEY, [])[-9:], order.pk]


def _initial(request, addresses):
    initial = {"delivery_method": DeliveryMethod.STANDARD}
    user = request.user
    if user.is_authenticated:
        initial.update(email=user.email, name=user.get_full_name())
        chosen = request.GET.get("dia-chi")
        address = next((a for a in addresses if str(a.pk) == chosen), addresses[0] if addresses else None)
        if address:
            initial.update(name=address.name, phone=address.phone, street=address.street,
                           province=address.province_id, commune=address.commune_id)
    return initial


def _place(request, form, checked):
    data = form.cleaned_data
    contact = orders.Contact(name=data["name"], phone=data["phone"], email=data["email"], street=data["street"],
                             commune=data["commune"], province=data["province"], note=data["note"])
    started = timezone.now()
    try:
        order = orders.place_order(
            lines=checked.lines, contact=contact, delivery_method=data["delivery_method"],
            payment_method=data["payment_method"], idempotency_key=data["idempotency_key"], user=request.user,
            voucher_code=checked.voucher_code,
        )
    except (orders.OrderError, NoRate) as error:
        form.add_error(None, str(error))
        return None
    if order.created_at < started and not _placed_here(request, order):
        # The same key came in from another session while its owner's request was placing it.
        form.add_error(None, _("Biểu mẫu đặt hàng này đã được dùng; hãy kiểm tra lại thông tin rồi bấm Đặt hàng."))
        return None
    _remember_placed(request, order)
    if request.user.is_authenticated and data.get("save_address"):
        SavedAddress.objects.get_or_create(
            user=request.user, name=data["name"], phone=data["phone"], street=data["street"],
            commune=data["commune"], province=data["province"])
    return order


def _pay(request, order):
    try:
        return redirect(payments.start(order, request))
    except Exception as error:  # noqa: BLE001 - the payment provider failed; the order stands, unpaid
        messages.error(request, _("Chưa mở được trang thanh toán thẻ (%(error)s). Đơn hàng đã được giữ; bạn có "
                                  "thể thử lại từ trang đơn hàng.") % {"error": error.__class__.__name__})
        return redirect(order.get_absolute_url())


def _viewable_order(request, number) -> Order:
    order = get_object_or_404(Order.objects.select_related("province", "commune"), number=number)
    token = request.GET.get("t", "")
    if hmac.compare_digest(token.encode(), order.access_token.encode()):
        return order
    if request.user.is_authenticated and (order.user_id == request.user.pk or request.user.is_staff):
        return order
    raise Http404  # the same answer for "no such order" and "not yours"


def order_detail(request, number):
    order = _viewable_order(request, number)
    if request.GET.get("thanh-toan") == "xong" and order.is_awaiting_payment:
        messages.info(request, _("Cảm ơn bạn! Chúng tôi đang chờ Stripe xác nhận khoản thanh toán."))
    elif request.GET.get("thanh-toan") == "huy" and order.is_awaiting_payment:
        messages.warning(request, _("Bạn chưa hoàn tất thanh toán thẻ. Đơn hàng được giữ đến hạn thanh toán."))
    suborders = order.suborders.select_related("producer").prefetch_related("lines")
    context = {"order": order, "suborders": suborders, "events": order.events.select_related("suborder__producer"),
               "token": request.GET.get("t", "")}
    if order.payment_method == PaymentMethod.VIETQR and order.is_awaiting_payment:
        payload = payments.vietqr_payload(order)
        context.update(vietqr_svg=mark_safe(vietqr.svg(payload)), transfer_message=payments.transfer_message(order),
                       bank={"name": settings.SHOP_BANK_NAME, "account": settings.SHOP_BANK_ACCOUNT,
                             "holder": settings.SHOP_BANK_ACCOUNT_NAME})
    if order.payment_method == PaymentMethod.STRIPE and order.is_awaiting_payment:
        context["can_pay_by_card"] = PaymentMethod.STRIPE in payments.available_methods()
    return render(request, "shop/order.html", context)


@require_POST
def order_pay(request, number):
    order = _viewable_order(request, number)
    if order.payment_method != PaymentMethod.STRIPE or not order.is_awaiting_payment:
        messages.error(request, _("Đơn này không còn chờ thanh toán thẻ."))
        return redirect(order.get_absolute_url())
    return _pay(request, order)


@require_POST
def order_cancel(request, number):
    order = _viewable_order(request, number)
    if not order.can_be_cancelled_by_buyer:
        messages.error(request, _("Đơn hàng đã được xử lý nên không thể tự huỷ; vui lòng liên hệ cửa hàng."))
    else:
        try:
            orders.transition(order, OrderStatus.CANCELLED, actor=request.user if request.user.is_authenticated
                              else None, actor_label=_("người mua"), note=_("Người mua huỷ đơn."))
            messages.success(request, _("Đã huỷ đơn hàng %(number)s.") % {"number": order.number})
        except orders.TransitionError as error:
            messages.error(request, str(error))
    return redirect(order.get_absolute_url())


@require_GET
def communes(request):
    """Communes of a province, for the address form's second drop-down."""
    province = parse_id(request.GET.get("tinh"))
    if province is None:
        return JsonResponse({"error": _("Thiếu tỉnh/thành phố.")}, status=400)
    rows = Commune.objects.filter(province_id=province).order_by("name").values_list("pk", "name")
    return JsonResponse({"communes": [{"id": pk, "name": name} for pk, name in rows]})

