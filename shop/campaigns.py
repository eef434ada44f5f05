"""Campaign discounts: which campaigns cover a product, the best discount of a cart line, vouchers
and their limits, the products a campaign page lists, and the campaigns' counters.

The rules, in one place:
- A campaign covers its hand-picked products, plus the live products matching *every* rule it sets
  (groups, minimum stars, producers' provinces; a province's campaign is limited to its province).
  A campaign without rules covers only its hand-picked products.
- A campaign without a voucher code discounts automatically inside its window; a campaign with a
  code discounts only when that code is entered in the cart (one code per cart).
- Discounts never stack: each line gets the single best discount among the running automatic
  campaigns and the entered voucher's campaign (ties go to the automatic one, which spends no use).
- Money is integer đồng: a percentage is rounded down to whole đồng, a fixed amount is capped at
  the unit price.
- Voucher uses are the non-cancelled orders that used it; a buyer is the signed-in account, or the
  e-mail or phone of the order. Limits are checked in the cart and again, under a row lock, when
  the order is placed (`shop.orders`).
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog.demo import demo_loaded, demo_removed
from catalog.listing import with_current_stars
from catalog.models import ProductPage, ProductVariant
from shop.models import CampaignDailyStat, CampaignIndexPage, CampaignPage, Order, OrderStatus, normalise_code

INDEX_SLUG = "khuyen-mai"


class VoucherError(ValueError):
    """A voucher was refused; the message is for the buyer."""


# --- Which products a campaign covers -----------------------------------------------------------

@dataclass
class Rules:
    featured: set = field(default_factory=set)
    groups: set = field(default_factory=set)
    provinces: set = field(default_factory=set)


def _through(name):
    return CampaignPage._meta.get_field(name).remote_field.through


def load_rules(campaigns) -> list:
    """Attach each campaign's hand-picked products and rule ids (three queries for any number)."""
    campaigns = [c for c in campaigns if c is not None]
    todo = {c.pk: c for c in campaigns if not hasattr(c, "_rules")}
    if todo:
        rules = {pk: Rules() for pk in todo}
        for attr, name, column in (("featured", "featured_products", "productpage_id"),
                                   ("groups", "rule_groups", "productgroup_id"),
                                   ("provinces", "rule_provinces", "province_id")):
            for campaign_id, value in _through(name).objects.filter(campaignpage_id__in=todo).values_list(
                    "campaignpage_id", column):
                getattr(rules[campaign_id], attr).add(value)
        for pk, campaign in todo.items():
            campaign._rules = rules[pk]
    return campaigns


def rules_of(campaign) -> Rules:
    load_rules([campaign])
    return campaign._rules


def rule_provinces(campaign) -> set:
    """The producers' provinces a campaign's rules accept: those chosen, else its own province."""
    chosen = rules_of(campaign).provinces
    if campaign.province_id:
        return (chosen & {campaign.province_id}) or {campaign.province_id}
    return chosen


def has_rules(campaign) -> bool:
    rules = rules_of(campaign)
    return bool(rules.groups or rules.provinces or campaign.rule_min_stars)


def covers(campaign, product) -> bool:
    """Does `campaign` discount `product`? (`product.stars` reads its certificates: prefetch them.)"""
    rules = rules_of(campaign)
    if product.pk in rules.featured:
        return True
    if not has_rules(campaign):
        return False
    if rules.groups and product.group_id not in rules.groups:
        return False
    if campaign.rule_min_stars and (product.stars or 0) < campaign.rule_min_stars:
        return False
    provinces = rule_provinces(campaign)
    producer = getattr(product, "producer", None)
    if provinces and (producer is None or producer.province_id not in provinces):
        return False
    return True


def listed_products(campaign):
    """The campaign page's products, live: published, in stock, with a valid certificate (an
    expired or revoked one hides the product), hand-picked or matching every rule."""
    rules = rules_of(campaign)
    in_stock = ProductVariant.objects.filter(product=OuterRef("pk"), stock__gt=0)
    wanted = Q(pk__in=rules.featured)
    if has_rules(campaign):
        matching = Q()
        if rules.groups:
            matching &= Q(group_id__in=rules.groups)
        if campaign.rule_min_stars:
            matching &= Q(current_stars__gte=campaign.rule_min_stars)
        if provinces := rule_provinces(campaign):
            matching &= Q(producer__province_id__in=provinces)
        wanted |= matching
    return (with_current_stars(ProductPage.objects.live()).filter(current_stars__isnull=False)
            .filter(Exists(in_stock)).filter(wanted).for_listing().order_by("title", "pk"))


# --- Finding campaigns --------------------------------------------------------------------------

def running_automatic(now=None) -> list:
    """Live campaigns without a code that are running now, loaded with their rules."""
    now = now or timezone.now()
    return load_rules(CampaignPage.objects.live().filter(voucher_code="", starts_at__lte=now, ends_at__gt=now)
                      .order_by("pk"))


def find_voucher(code) -> CampaignPage | None:
    code = normalise_code(code)
    return CampaignPage.objects.live().filter(voucher_code=code).first() if code else None


def grouped_campaigns(campaigns, now=None) -> dict:
    """Running (ending soonest first), upcoming (starting soonest first) and past (latest first)."""
    now = now or timezone.now()
    campaigns = campaigns.select_related("province", "hero_image")
    return {
        "running": list(campaigns.filter(starts_at__lte=now, ends_at__gt=now).order_by("ends_at", "pk")),
        "upcoming": list(campaigns.filter(starts_at__gt=now).order_by("starts_at", "pk")),
        "past": list(campaigns.filter(ends_at__lte=now).order_by("-ends_at", "-pk")),
    }


def campaign_index() -> CampaignIndexPage:
    """The campaigns index under the default site's home page, created on first use."""
    from wagtail.models import Site

    index = CampaignIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=CampaignIndexPage(title=_("Khuyến mãi OCOP"), slug=INDEX_SLUG))
    return index


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


# --- The best discount of each line -------------------------------------------------------------

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


# --- Counters for the results report ------------------------------------------------------------

def _bump(campaign_id, counter, day=None):
    """Add one to today's counter with an atomic UPDATE (creating the day's row once)."""
    day = day or timezone.localdate()
    rows = CampaignDailyStat.objects.filter(campaign_id=campaign_id, day=day)
    if rows.update(**{counter: F(counter) + 1}):
        return
    try:
        with transaction.atomic():
            CampaignDailyStat.objects.create(campaign_id=campaign_id, day=day, **{counter: 1})
    except IntegrityError:  # another request created today's row first
        rows.update(**{counter: F(counter) + 1})


def record_view(campaign) -> None:
    _bump(campaign.pk, "views")


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
        _bump(offer.campaign.pk, "add_to_carts")
    return offer.campaign


# --- Demo data ----------------------------------------------------------------------------------

DEMO_CODE = "VAITHIEU10"


@receiver(demo_loaded)
def add_demo_campaign(sender, today=None, log=lambda message: None, **kwargs):
    """One demo campaign with a voucher: 10% off Hải Phòng's 4★+ food products for 60 days.
    (Connected by the import in `shop.signals`.)"""
    from catalog.models import ProductGroup, Province

    if CampaignPage.objects.filter(voucher_code=DEMO_CODE).exists():
        return None
    province = Province.objects.filter(slug="hai-phong").first()
    index = campaign_index()
    start = timezone.make_aware(datetime.datetime.combine(today or timezone.localdate(), datetime.time(0, 0)))
    page = CampaignPage(
        title=_("Mùa vải thiều Hải Phòng (demo)"), slug="mua-vai-thieu-hai-phong",
        intro=_("Chương trình minh hoạ: giảm 10% cho sản phẩm OCOP từ 4 sao của Hải Phòng khi nhập mã VAITHIEU10."),
        starts_at=start, ends_at=start + datetime.timedelta(days=60), province=province,
        rule_min_stars=4, discount_kind=CampaignPage.DiscountKind.PERCENT, discount_value=10,
        voucher_code=DEMO_CODE, max_uses_total=500, max_uses_per_buyer=2,
    )
    index.add_child(instance=page)
    food = ProductGroup.objects.filter(slug="thuc-pham").first()
    if food:
        page.rule_groups.set([food])
    if province:
        page.rule_provinces.set([province])
    page.save_revision().publish()
    log(f"+ {page.title} ({DEMO_CODE})")
    return page


@receiver(demo_removed)
def remove_demo_campaign(sender, **kwargs):
    for page in CampaignPage.objects.filter(voucher_code=DEMO_CODE):
        page.delete()
