"""The cart: a guest's lives in the session until they sign in, then joins their account's cart.

Prices are shown as they are now; `check` compares them, and stock, publication and certificates,
with what the buyer last saw, fixes what must change and says so, so nothing changes silently
between the cart and the order.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import identity, takedowns
from catalog.models import Certificate, ProductVariant
from catalog.text import format_vnd
from catalog.validators import parse_id
from shop import bookings
from shop.models import MAX_LINE_QUANTITY, Cart, CartLine
from shop.promotions import offers
from shop.promotions.models import normalise_code

SESSION_KEY = "cart_id"


def cart_for(request, create=False) -> Cart | None:
    """The request's cart: the account's when signed in, else the session's."""
    if request.user.is_authenticated:
        if create:
            return Cart.objects.get_or_create(user=request.user)[0]
        return Cart.objects.filter(user=request.user).first()
    cart = Cart.objects.filter(pk=request.session.get(SESSION_KEY), user__isnull=True).first()
    if cart is None and create:
        cart = Cart.objects.create()
        request.session[SESSION_KEY] = cart.pk
    return cart


def item_count(request) -> int:
    if not request.user.is_authenticated and SESSION_KEY not in request.session:
        return 0  # most visitors: no query
    filters = {"cart__user": request.user} if request.user.is_authenticated else {
        "cart_id": request.session.get(SESSION_KEY), "cart__user__isnull": True}
    return CartLine.objects.filter(**filters).aggregate(n=Sum("quantity"))["n"] or 0


def parse_quantity(raw) -> int:
    """A whole number of units from a form, or ValueError with a message for the buyer."""
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValueError(_("Số lượng phải là một số nguyên.")) from None
    if quantity < 1:
        raise ValueError(_("Số lượng phải từ 1 trở lên."))
    if quantity > MAX_LINE_QUANTITY:
        raise ValueError(_("Mỗi sản phẩm chỉ đặt tối đa %(max)s đơn vị một lần.") % {"max": MAX_LINE_QUANTITY})
    return quantity


def sellable_variant(variant_id) -> ProductVariant:
    """The variant if it can be bought: exists, is live and not taken down, its producer checked. Else ValueError."""
    pk = parse_id(variant_id)
    if pk is None:
        raise ValueError(_("Sản phẩm không hợp lệ."))
    variant = ProductVariant.objects.select_related("product").only(  # not the whole page: a third of the request
        "pk", "name", "price", "stock", "capacity_per_date", "product__title", "product__live", "product__taken_down_at",
        "product__sold_in_season_only", "product__preorder_allowed", "product__group_id", "product__producer",
    ).filter(pk=pk).first()
    if variant is None or not variant.product.live or takedowns.is_taken_down(variant.product):
        raise ValueError(_("Sản phẩm này không còn được bán."))
    if not identity.can_sell(variant.product.producer):
        raise ValueError(identity.refusal_message())
    return variant


def add(cart: Cart, variant: ProductVariant, quantity: int) -> str:
    """Add units; returns the message to show. Never more than the stock or the per-line limit."""
    if variant.product.is_bookable:
        raise ValueError(_("Hãy chọn ngày và số khách để đặt chỗ."))
    preorder = variant.product.takes_preorders()  # out of season: no stock yet, none taken
    if variant.product.season_closed() and not preorder:
        raise ValueError(out_of_season(variant))
    if variant.stock < 1 and not preorder:
        raise ValueError(_("“%(name)s” đã hết hàng.") % {"name": label(variant)})
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
        wanted = (line.quantity if line else 0) + quantity
        allowed = min(wanted, MAX_LINE_QUANTITY if preorder else variant.stock, MAX_LINE_QUANTITY)
        if line:
            line.quantity, line.price_seen = allowed, variant.price
            line.save(update_fields=["quantity", "price_seen"])
        else:
            CartLine.objects.create(cart=cart, variant=variant, quantity=allowed, price_seen=variant.price)
        cart.save(update_fields=["updated_at"])
    if allowed < wanted:
        return _("Đã thêm “%(name)s”; giỏ hàng có %(quantity)s (tối đa có thể đặt).") % {
            "name": label(variant), "quantity": allowed}
    if preorder:
        return _("Đã thêm %(quantity)s × “%(name)s” vào giỏ hàng: đặt trước, giao từ tháng %(month)s.") % {
            "quantity": quantity, "name": label(variant), "month": variant.product.next_season_start().strftime("%m/%Y")}
    return _("Đã thêm %(quantity)s × “%(name)s” vào giỏ hàng.") % {"quantity": quantity, "name": label(variant)}


def set_quantity(cart: Cart, line_id, quantity: int) -> str:
    line = CartLine.objects.select_related("variant__product").filter(cart=cart, pk=line_id).first()
    if line is None:
        raise ValueError(_("Dòng này không còn trong giỏ hàng."))
    if line.booking_date:
        left = bookings.places_left(line.variant, [line.booking_date])[line.booking_date]
        if quantity > left:
            raise ValueError(bookings.too_few(line.variant, line.booking_date, left))
        line.quantity = quantity
        line.save(update_fields=["quantity"])
        return _("Đã cập nhật số khách.")
    allowed = quantity if line.variant.product.takes_preorders() else min(quantity, line.variant.stock)
    if allowed < 1:
        line.delete()
        return _("“%(name)s” đã hết hàng nên đã được bỏ khỏi giỏ.") % {"name": label(line.variant)}
    line.quantity = allowed
    line.save(update_fields=["quantity"])
    if allowed < quantity:
        return _("“%(name)s” chỉ còn %(stock)s; đã đặt số lượng %(stock)s.") % {
            "name": label(line.variant), "stock": allowed}
    return _("Đã cập nhật số lượng.")


def remove(cart: Cart, line_id) -> str:
    deleted, _rows = CartLine.objects.filter(cart=cart, pk=line_id).delete()
    return _("Đã bỏ sản phẩm khỏi giỏ hàng.") if deleted else _("Dòng này không còn trong giỏ hàng.")


def merge_into_account(session_cart_id, user) -> None:
    """On sign-in: the guest cart's lines join the account's cart (quantities add up, capped)."""
    guest = Cart.objects.filter(pk=session_cart_id, user__isnull=True).first()
    if guest is None:
        return
    with transaction.atomic():
        account = Cart.objects.get_or_create(user=user)[0]
        existing = {(line.variant_id, line.booking_date): line
                    for line in account.lines.select_related("variant__product")}
        for line in guest.lines.select_related("variant"):
            if (line.variant_id, line.booking_date) in existing:
                target = existing[line.variant_id, line.booking_date]
                # A booking's guests are checked against its date's places by `check`, a pre-order
                # against nothing yet: not against stock.
                unstocked = line.booking_date or target.variant.product.takes_preorders()
                shelf = MAX_LINE_QUANTITY if unstocked else max(target.variant.stock, 1)
                target.quantity = min(target.quantity + line.quantity, MAX_LINE_QUANTITY, shelf)
                target.price_seen = line.price_seen
                target.save(update_fields=["quantity", "price_seen"])
            else:
                line.cart = account
                line.save(update_fields=["cart"])
        guest.delete()


def label(variant) -> str:
    return f"{variant.product.title} – {variant.name}"


def out_of_season(variant) -> str:
    return _("“%(name)s” đang ngoài mùa vụ nên chưa đặt mua được; mở bán tháng %(month)s. Bạn có thể đăng ký "
             "nhận tin khi vào mùa ở trang sản phẩm.") % {
        "name": label(variant), "month": variant.product.next_season_month()}


@dataclass
class CheckedLine:
    """A cart line as it can be ordered now."""

    pk: int
    variant: ProductVariant
    quantity: int
    unit_price: int
    certificate_note: str = ""
    discount: int = 0  # đồng off one unit, from `campaign` (the best single offer; never stacked)
    campaign: object = None
    booking_date: object = None  # a booking (stay, tour): its date; `quantity` is its guests
    preorder_for: object = None  # a pre-order: the first day of the season it waits for

    @property
    def is_booking(self) -> bool:
        return self.booking_date is not None

    @property
    def product(self):
        return self.variant.product

    @property
    def producer(self):
        return self.variant.product.producer

    @property
    def label(self) -> str:
        return label(self.variant)

    @property
    def weight_grams(self) -> int:
        """Of one unit; a booking ships nothing."""
        return 0 if self.is_booking else (self.variant.weight_grams or 0)

    @property
    def total(self) -> int:
        """Before discount (parcels, shipping brackets and the order's subtotal use it)."""
        return self.unit_price * self.quantity

    @property
    def net_unit_price(self) -> int:
        return self.unit_price - self.discount

    @property
    def discount_total(self) -> int:
        return self.discount * self.quantity

    @property
    def net_total(self) -> int:
        return self.total - self.discount_total


@dataclass
class CheckedCart:
    lines: list[CheckedLine] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what changed since the buyer last looked
    voucher: object = None  # the entered voucher's campaign, when it is valid
    voucher_code: str = ""
    voucher_note: str = ""  # a valid voucher that discounts nothing in the cart now
    later: list[CheckedLine] = field(default_factory=list)  # pre-orders, for an order after this one

    @property
    def preorder_for(self):
        """The season this cart's order waits for, when it is a pre-order (its lines are all pre-orders)."""
        starts = {line.preorder_for for line in self.lines}
        return max(starts) if self.lines and None not in starts else None

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def discount_total(self) -> int:
        return sum(line.discount_total for line in self.lines)

    @property
    def total(self) -> int:
        """What the goods cost after discounts (shipping comes at checkout)."""
        return self.subtotal - self.discount_total

    @property
    def voucher_used(self) -> bool:
        return self.voucher is not None and any(
            line.campaign is not None and line.campaign.pk == self.voucher.pk for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def bookings_only(self) -> bool:
        """Only stays and tours: nothing to deliver, so no address and no delivery fee."""
        return bool(self.lines) and all(line.is_booking for line in self.lines)

    def by_producer(self):
        groups = {}
        for line in self.lines:
            groups.setdefault(line.producer, []).append(line)
        return list(groups.items())


def check(cart: Cart | None, now=None) -> CheckedCart:
    """The cart as it can be bought now. Lines of withdrawn or sold-out products go, quantities
    shrink to the stock, new prices are taken; each change is reported once in `changes`.
    A product that lost its OCOP certificate stays, with a note on its line."""
    result = CheckedCart()
    if cart is None:
        return result
    lines = cart.lines.select_related("variant__product__producer").prefetch_related(
        Prefetch("variant__product__certificates", queryset=Certificate.objects.order_by("-decision_date", "-pk"))
    )
    month = timezone.localtime(now).month if now else None
    for line in lines:
        variant, name = line.variant, label(line.variant)
        if not variant.product.live or takedowns.is_taken_down(variant.product):
            result.changes.append(_("“%(name)s” không còn được bán nên đã được bỏ khỏi giỏ.") % {"name": name})
            line.delete()
            continue
        if not identity.can_sell(variant.product.producer):  # its check was cleared: details changed
            result.changes.append(_("“%(name)s”: chủ thể đang được xác minh nên đã được bỏ khỏi giỏ.") % {"name": name})
            line.delete()
            continue
        if variant.product.takes_preorders(month):  # out of season: a pre-order, no stock to check yet
            _take_new_price(line, result)
            result.lines.append(CheckedLine(pk=line.pk, variant=variant, quantity=line.quantity, unit_price=variant.price,
                                            certificate_note=variant.product.certificate_problem,
                                            preorder_for=variant.product.next_season_start(timezone.localdate(now))))
            continue
        if variant.product.season_closed(month):  # the season ended while it sat in the cart
            result.changes.append(_("“%(name)s” đã hết mùa vụ nên đã được bỏ khỏi giỏ; mở bán lại tháng %(month)s.") % {
                "name": name, "month": variant.product.next_season_month(month)})
            line.delete()
            continue
        if line.booking_date or variant.product.is_bookable:
            if _check_booking(line, result):
                result.lines.append(CheckedLine(
                    pk=line.pk, variant=variant, quantity=line.quantity, unit_price=variant.price,
                    certificate_note=variant.product.certificate_problem, booking_date=line.booking_date))
            continue
        if variant.stock < 1:
            result.changes.append(_("“%(name)s” đã hết hàng nên đã được bỏ khỏi giỏ.") % {"name": name})
            line.delete()
            continue
        if line.quantity > variant.stock:
            result.changes.append(_("“%(name)s” chỉ còn %(stock)s; số lượng đã giảm từ %(old)s xuống %(stock)s.") % {
                "name": name, "stock": variant.stock, "old": line.quantity})
            line.quantity = variant.stock
            line.save(update_fields=["quantity"])
        _take_new_price(line, result)
        result.lines.append(CheckedLine(pk=line.pk, variant=variant, quantity=line.quantity, unit_price=variant.price,
                                        certificate_note=variant.product.certificate_problem))
    if result.preorder_for is None:  # pre-orders wait in the cart for an order of their own
        result.later = [line for line in result.lines if line.preorder_for]
        result.lines = [line for line in result.lines if not line.preorder_for]
    discount(cart, result, now)
    return result


def _take_new_price(line, result: CheckedCart) -> None:
    """The line is now at its variant's price; a change since the buyer last saw it is reported."""
    if line.price_seen != line.variant.price:
        result.changes.append(_("Giá “%(name)s” đã đổi từ %(old)s thành %(new)s.") % {
            "name": label(line.variant), "old": format_vnd(line.price_seen), "new": format_vnd(line.variant.price)})
        line.price_seen = line.variant.price
        line.save(update_fields=["price_seen"])


def _check_booking(line, result: CheckedCart) -> bool:
    """A booking line: its date still ahead with places for its guests (fewer guests, else it goes),
    at today's price. False when it left the cart."""
    if line.booking_date is None:  # put in the cart before its product became bookable
        line.delete()
        return False
    guests, change = bookings.check_line(line)
    if change:
        result.changes.append(change)
    if guests < 1:
        line.delete()
        return False
    if guests != line.quantity:
        line.quantity = guests
        line.save(update_fields=["quantity"])
    _take_new_price(line, result)
    return True


def discount(cart: Cart, result: CheckedCart, now=None) -> None:
    """Give each line its best discount. A voucher that can no longer be used (ended, used up…)
    leaves the cart, and the buyer is told, like a price change."""
    now = now or timezone.now()
    voucher = None
    if cart.voucher_code:
        try:
            voucher = offers.check_voucher(offers.find_voucher(cart.voucher_code), cart.voucher_code,
                                           buyer=offers.Buyer(user=cart.user), now=now)
        except offers.VoucherError as error:
            result.changes.append(_("%(problem)s Mã đã được bỏ khỏi giỏ hàng.") % {"problem": error})
            cart.voucher_code = ""
            cart.save(update_fields=["voucher_code", "updated_at"])
    offers.apply_offers(result.lines, voucher, now)
    result.voucher, result.voucher_code = voucher, cart.voucher_code
    if voucher is not None and result.lines and not result.voucher_used:
        result.voucher_note = _("Mã “%(code)s” hiện không giảm thêm cho sản phẩm nào trong giỏ (sản phẩm không thuộc "
                                "chương trình hoặc đã có ưu đãi tốt hơn).") % {"code": cart.voucher_code}


def apply_voucher(cart: Cart | None, raw_code, changes: list | None = None) -> str:
    """Put a voucher on the cart if it is valid and discounts something, replacing any other code;
    else VoucherError. What the cart check changed on the way is appended to `changes`."""
    code = normalise_code(raw_code)
    if not code:
        raise offers.VoucherError(_("Hãy nhập mã giảm giá."))
    if len(code) > 30 or not code.isalnum():
        raise offers.VoucherError(_("Mã giảm giá “%(code)s” không tồn tại.") % {"code": code[:30]})
    checked = check(cart)
    if changes is not None:
        changes.extend(checked.changes)
    if not checked.lines:
        raise offers.VoucherError(_("Giỏ hàng của bạn đang trống."))
    now = timezone.now()
    voucher = offers.check_voucher(offers.find_voucher(code), code, buyer=offers.Buyer(user=cart.user), now=now)
    offers.voucher_benefit(checked.lines, voucher, now)
    cart.voucher_code = code
    cart.save(update_fields=["voucher_code", "updated_at"])
    return _("Đã áp dụng mã giảm giá “%(code)s”: %(discount)s.") % {"code": code, "discount": voucher.discount_label}


def remove_voucher(cart: Cart | None) -> str:
    if cart is not None and cart.voucher_code:
        cart.voucher_code = ""
        cart.save(update_fields=["voucher_code", "updated_at"])
    return _("Đã bỏ mã giảm giá.")
