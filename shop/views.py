"""Cart, checkout and order pages: parse, call a service, render."""

import hmac
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import transaction
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

from catalog.addresses import place_label, sorted_places
from catalog.models import Commune, Province
from catalog.text import format_vnd
from catalog.validators import parse_id
from shop import bookings, orders, payments, vietqr
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


def wants_json(request) -> bool:
    """Did a script ask for JSON (`Accept: application/json`) rather than a page?"""
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def cart_add(request):
    """Add to the cart. A form posted by a script (cart.js, asking for JSON) gets the line added
    and the cart's figures for its panel; a plain form is redirected back with a message."""
    try:
        variant = carts.sellable_variant(request.POST.get("variant"))
        if variant.product.is_bookable:  # a stay or tour: a date and a number of guests
            date = bookings.parse_date(request.POST.get("date"))
            guests = bookings.parse_guests(request.POST.get("guests", request.POST.get("quantity", "1")))
            cart = carts.cart_for(request, create=True)
            message = bookings.add_to_cart(cart, variant, date, guests)
        else:
            quantity = carts.parse_quantity(request.POST.get("quantity", "1"))
            cart = carts.cart_for(request, create=True)
            message = carts.add(cart, variant, quantity)
        offers.record_add_to_cart(variant)
    except ValueError as error:
        if wants_json(request):
            return JsonResponse({"ok": False, "error": str(error)}, status=400)
        messages.error(request, str(error))
        return _back(request, "shop:cart")
    if wants_json(request):
        return JsonResponse(_added(cart, variant, message))
    messages.success(request, message)
    return redirect("shop:cart") if request.POST.get("go") == "cart" else _back(request, "shop:cart")


def _added(cart, variant, message) -> dict:
    """The panel's contents after an add: the line as it stands in the cart, and the cart's figures
    (money formatted here, never in the browser)."""
    checked = carts.check(cart)
    line = next((line for line in [*checked.lines, *checked.later] if line.variant.pk == variant.pk), None)
    count = checked.count + sum(line.quantity for line in checked.later)  # the header's badge counts every line
    return {
        "ok": True, "message": message, "changes": [str(change) for change in checked.changes],
        "line": None if line is None else {
            "name": line.product.title, "pack": line.variant.name, "quantity": line.quantity,
            "unit_price": line.net_unit_price, "unit_price_display": format_vnd(line.net_unit_price),
            "total_display": format_vnd(line.net_total)},
        "cart": {"count": count, "total": checked.total, "total_display": format_vnd(checked.total)},
    }


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
    if checked.bookings_only:  # stays and tours ship nothing
        return 0, ""
    if not (province and method):
        return None, ""
    try:
        return sum(parcel.fee for parcel in parcels(checked.lines, province, method)), ""
    except NoRate as error:
        return None, str(error)


def fee_text(fee, problem) -> str:
    """How the summary shows the delivery fee (the template and `checkout_quote` alike)."""
    if fee is None:
        return problem or _("chọn tỉnh để tính")
    return _("Miễn phí") if fee == 0 else format_vnd(fee)


@require_GET
@never_cache
def checkout_quote(request):
    """The checkout summary for a province and delivery method, for checkout.js: the same figures
    the order will charge (`shipping_quote`, and the cart's offers and voucher), all computed here.
    Read-only: what the cart check would fix is rolled back and listed in `changes`, so the buyer
    is still told again when placing the order."""
    province_id = parse_id(request.GET.get("province"))
    province = Province.objects.filter(pk=province_id).first() if province_id is not None else None
    method = request.GET.get("delivery_method") or DeliveryMethod.STANDARD
    if method not in DeliveryMethod.values:
        return JsonResponse({"error": _("Cách giao hàng không hợp lệ.")}, status=400)
    with transaction.atomic():
        checked = carts.check(carts.cart_for(request))
        transaction.set_rollback(True)
    if not checked.lines:
        return JsonResponse({"error": _("Giỏ hàng của bạn đang trống.")}, status=409)
    fee, problem = shipping_quote(checked, province, method)
    total = checked.total + fee if fee is not None else None
    return JsonResponse({
        "subtotal": checked.subtotal, "discount": checked.discount_total, "shipping_fee": fee, "total": total,
        "display": {"subtotal": format_vnd(checked.subtotal), "discount": f"−{format_vnd(checked.discount_total)}",
                    "shipping_fee": fee_text(fee, problem), "total": format_vnd(total) if total is not None else ""},
        "problem": problem, "changes": [str(change) for change in checked.changes],
    })


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
    bookings_only = checked.bookings_only
    if reused is not None:
        form = CheckoutForm({**request.POST.dict(), "idempotency_key": str(uuid.uuid4())}, bookings_only=bookings_only)
        form.is_valid()
        form.add_error(None, _("Biểu mẫu đặt hàng này đã được dùng; hãy kiểm tra lại thông tin rồi bấm Đặt hàng."))
    elif request.method == "POST":
        form = CheckoutForm(request.POST, bookings_only=bookings_only)
        valid = form.is_valid()
        if valid and "recalculate" not in request.POST and not checked.changes:
            order = _place(request, form, checked)
            if order:
                if checked.later:
                    messages.info(request, _("Hàng đặt trước vẫn ở trong giỏ hàng: hãy đặt chúng ở một đơn riêng."))
                return _pay(request, order)
    else:
        form = CheckoutForm(initial=_initial(request, addresses), bookings_only=bookings_only)
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
            lines=checked.lines, contact=contact, delivery_method=data["delivery_method"] or DeliveryMethod.STANDARD,
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
    if request.user.is_authenticated and data.get("save_address") and data["commune"] and data["province"]:
        SavedAddress.objects.get_or_create(
            user=request.user, name=data["name"], phone=data["phone"], street=data["street"],
            commune=data["commune"], province=data["province"])
    return order


def _pay(request, order):
    try:
        return redirect(payments.start(order, request))
    except Exception as error:  # noqa: BLE001 - the payment provider failed; the order stands, unpaid
        messages.error(request, _("Chưa mở được trang thanh toán (%(error)s). Đơn hàng đã được giữ; bạn có "
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
               "token": request.GET.get("t", ""), "bookings": bookings.booked_lines(order)}
    if order.payment_method == PaymentMethod.VIETQR and order.is_awaiting_payment:
        payload = payments.vietqr_payload(order)
        context.update(vietqr_svg=mark_safe(vietqr.svg(payload)), transfer_message=payments.transfer_message(order),
                       bank={"name": settings.SHOP_BANK_NAME, "account": settings.SHOP_BANK_ACCOUNT,
                             "holder": settings.SHOP_BANK_ACCOUNT_NAME})
    if order.payment_method == PaymentMethod.STRIPE and order.is_awaiting_payment:
        context["can_pay_by_card"] = PaymentMethod.STRIPE in payments.available_methods()
    if order.payment_method in (PaymentMethod.VNPAY, PaymentMethod.MOMO) and order.is_awaiting_payment:
        context["gateway_name"] = {PaymentMethod.VNPAY: "VNPay", PaymentMethod.MOMO: "MoMo"}[order.payment_method]
    return render(request, "shop/order.html", context)


@require_POST
def order_pay(request, number):
    order = _viewable_order(request, number)
    online = (PaymentMethod.STRIPE, PaymentMethod.VNPAY, PaymentMethod.MOMO)  # paid on the gateway's own page
    if order.payment_method not in online or not order.is_awaiting_payment:
        messages.error(request, _("Đơn này không còn chờ thanh toán trực tuyến."))
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
    """Communes of a province, for the address form's second drop-down: sorted by the place's own
    name, with `label` as the form shows it ('Ba Đình (Phường)') beside the official `name`."""
    province = parse_id(request.GET.get("tinh"))
    if province is None:
        return JsonResponse({"error": _("Thiếu tỉnh/thành phố.")}, status=400)
    rows = sorted_places(Commune.objects.filter(province_id=province).only("pk", "name"))
    return JsonResponse({"communes": [{"id": row.pk, "name": row.name, "label": place_label(row.name)} for row in rows]})

