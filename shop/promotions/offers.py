"""Discounts: the campaigns running now, vouchers and their limits, the single best offer of each
cart line, and the add-to-cart counter (see `shop.promotions` for the rules)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog.models import ProductPage
from catalog.text import format_vnd
from shop.models import Order
from shop.order_rules import OrderStatus
from shop.promotions.coverage import covers, load_rules
from shop.promotions.models import CampaignDailyStat, CampaignPage, normalise_code


class VoucherError(ValueError):
    """A voucher was refused; the message is for the buyer."""


# --- Finding campaigns --------------------------------------------------------------------------

def running_automatic(now=None) -> list:
    """Live campaigns without a code that are running now, loaded with their rules."""
    now = now or timezone.now()
    return load_rules(CampaignPage.objects.live().filter(voucher_code="", starts_at__lte=now, ends_at__gt=now)
                      .order_by("pk"))


def find_voucher(code) -> CampaignPage | None:
    code = normalise_code(code)
    return CampaignPage.objects.live().filter(voucher_code=code).first() if code else None



# --- Vouchers and their limits ------------------------------------------------------------------

@dataclass
class Buyer:
    """Who uses a voucher: the signed-in account, and at checkout the order's e-mail and phone."""

    user: object = None
    email: str = ""
    phone: str = ""

    def orders_filter(self) -> Q | None:
        parts = []
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            parts.append(Q(user=self.user))
        if self.email:
            parts.append(Q(email__iexact=self.email))
        if self.phone:
            parts.append(Q(phone=self.phone))
        if not parts:
            return None
        query = parts[0]
        for part in parts[1:]:
            query |= part
        return query


def uses(campaign, buyer: Buyer | None = None) -> int:
    """Orders that used the voucher and were not cancelled (a cancelled order frees its use)."""
    orders = Order.objects.filter(voucher_campaign=campaign).exclude(status=OrderStatus.CANCELLED)
    if buyer is not None:
        query = buyer.orders_filter()
        if query is None:
            return 0
        orders = orders.filter(query)
    return orders.count()


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y")


def check_voucher(campaign, code, *, buyer: Buyer | None = None, now=None) -> CampaignPage:
    """The voucher's campaign if it can be used now by `buyer`, else VoucherError."""
    now, code = now or timezone.now(), normalise_code(code)
    if campaign is None:
        raise VoucherError(_("Mã giảm giá “%(code)s” không tồn tại.") % {"code": code})
    if now < campaign.starts_at:
        raise VoucherError(_("Mã giảm giá “%(code)s” chưa đến thời gian áp dụng (từ %(start)s).") % {
            "code": code, "start": _when(campaign.starts_at)})
    if now >= campaign.ends_at:
        raise VoucherError(_("Mã giảm giá “%(code)s” đã hết hạn lúc %(end)s.") % {
            "code": code, "end": _when(campaign.ends_at)})
    if campaign.max_uses_total is not None and uses(campaign) >= campaign.max_uses_total:
        raise VoucherError(_("Mã giảm giá “%(code)s” đã hết lượt sử dụng.") % {"code": code})
    if campaign.max_uses_per_buyer is not None and buyer is not None and buyer.orders_filter() is not None \
            and uses(campaign, buyer) >= campaign.max_uses_per_buyer:
        raise VoucherError(_("Bạn đã dùng mã giảm giá “%(code)s” đủ %(count)s lần cho phép.") % {
            "code": code, "count": campaign.max_uses_per_buyer})
    return campaign


# --- The best discount of each line ------------------------------------------------------------

@dataclass
class Offer:
    campaign: CampaignPage | None = None
    unit_discount: int = 0


def best_offer(product, unit_price, campaigns) -> Offer:
    """The single best discount any of `campaigns` gives one unit (automatic ones first: ties keep them)."""
    best = Offer()
    for campaign in campaigns:
        if covers(campaign, product):
            discount = campaign.unit_discount(unit_price)
            if discount > best.unit_discount:
                best = Offer(campaign, discount)
    return best


def apply_offers(lines, voucher=None, now=None, automatic=None) -> None:
    """Set `discount` (per unit) and `campaign` on each checked line: the best valid offer."""
    now = now or timezone.now()
    campaigns = list(running_automatic(now) if automatic is None else automatic)
    if voucher is not None and voucher.is_running(now):
        campaigns += load_rules([voucher])
    for line in lines:
        offer = best_offer(line.product, line.unit_price, campaigns)
        line.discount, line.campaign = offer.unit_discount, offer.campaign


def voucher_benefit(lines, voucher, now=None) -> None:
    """Refuse a voucher that would change nothing: no line is covered by it, or every covered line
    already has a discount at least as good (discounts do not stack)."""
    now = now or timezone.now()
    automatic = running_automatic(now)
    covered = [line for line in lines if covers(voucher, line.product)]
    if not covered:
        raise VoucherError(_("Mã giảm giá “%(code)s” không áp dụng cho sản phẩm nào trong giỏ hàng của bạn.") % {
            "code": voucher.voucher_code})
    apply_offers(lines, voucher, now, automatic)
    if not any(line.campaign is not None and line.campaign.pk == voucher.pk for line in covered):
        better = next(line.campaign for line in covered if line.campaign is not None)
        raise VoucherError(_("Sản phẩm thuộc mã “%(code)s” đã có ưu đãi tốt hơn từ chương trình “%(campaign)s”; "
                             "mỗi sản phẩm chỉ nhận một ưu đãi, không cộng dồn.") % {
            "code": voucher.voucher_code, "campaign": better.title})


# --- Counters -----------------------------------------------------------------------------------

def record_add_to_cart(variant, now=None) -> CampaignPage | None:
    """Count an add-to-cart for the running campaign that offers this product the best discount,
    voucher campaigns included (the buyer may enter the code later), if any."""
    now = now or timezone.now()
    running = load_rules(CampaignPage.objects.live().filter(starts_at__lte=now, ends_at__gt=now).order_by("pk"))
    if not running:  # most of the year: one query on the add-to-cart path
        return None
    product = (ProductPage.objects.select_related("producer").filter(pk=variant.product_id)
               .prefetch_related("certificates").first())
    if product is None:
        return None
    offer = best_offer(product, variant.price, running)
    if offer.campaign is not None:
        CampaignDailyStat.objects.bump(offer.campaign.pk, "add_to_carts")
    return offer.campaign


# --- Campaigns in sight: cards, product pages, the cart -----------------------------------------

def running_campaigns(now=None) -> list:
    """Every live campaign running now, automatic or with a code, ending soonest first, loaded
    with their rules (one query when none runs, four otherwise)."""
    now = now or timezone.now()
    return load_rules(CampaignPage.objects.live().filter(starts_at__lte=now, ends_at__gt=now)
                      .select_related("province", "hero_image").order_by("ends_at", "pk"))


@dataclass
class ProductOffer:
    """What a card or product page says about a running campaign: an automatic discount (the
    price from `min_price` after it), or a code the buyer can enter."""

    campaign: CampaignPage
    old_price: int | None = None
    price: int | None = None  # after the automatic discount; None for a voucher

    @property
    def needs_code(self) -> bool:
        return bool(self.campaign.voucher_code)

    @property
    def short_label(self) -> str:
        """'−10%' or '−20.000 ₫'."""
        campaign = self.campaign
        if campaign.discount_kind == CampaignPage.DiscountKind.PERCENT:
            return f"−{campaign.discount_value}%"
        return f"−{format_vnd(campaign.discount_value)}"


def product_offer(product, campaigns, price=None) -> ProductOffer | None:
    """The offer to show for `product` at `price` (its lowest by default): the best automatic
    campaign covering it, else the best voucher covering it, else None. `campaigns` come from
    `running_campaigns`; reading them costs no query per product."""
    price = product.min_price if price is None else price
    if price is None or not campaigns:
        return None
    automatic = best_offer(product, price, [c for c in campaigns if not c.voucher_code])
    if automatic.campaign is not None:
        return ProductOffer(automatic.campaign, price, price - automatic.unit_discount)
    voucher = best_offer(product, price, [c for c in campaigns if c.voucher_code])
    return ProductOffer(voucher.campaign, price) if voucher.campaign is not None else None


@dataclass
class VoucherSuggestion:
    campaign: CampaignPage
    saving: int  # đồng the code would take off the cart as it is

    @property
    def code(self) -> str:
        return self.campaign.voucher_code


def suggest_voucher(lines, user=None, campaigns=None, now=None) -> VoucherSuggestion | None:
    """The running voucher that would save the most on these checked lines beyond the discounts
    they already have (discounts never stack), if one saves anything and this buyer may still use it."""
    now = now or timezone.now()
    campaigns = running_campaigns(now) if campaigns is None else campaigns
    best = None
    for campaign in (c for c in campaigns if c.voucher_code):
        saving = sum(max(0, campaign.unit_discount(line.unit_price) - line.discount) * line.quantity
                     for line in lines if covers(campaign, line.product))
        if saving > 0 and (best is None or saving > best.saving):
            try:
                check_voucher(campaign, campaign.voucher_code, buyer=Buyer(user=user), now=now)
            except VoucherError:
                continue
            best = VoucherSuggestion(campaign, saving)
    return best
