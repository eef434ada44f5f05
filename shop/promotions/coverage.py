"""Which products a campaign covers: its hand-picked products plus the live products matching every
rule it sets (see `shop.promotions`). Works on campaign instances, so the page model can use it."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from catalog.models import ProductPage, ProductVariant


@dataclass
class Rules:
    featured: set = field(default_factory=set)
    groups: set = field(default_factory=set)
    provinces: set = field(default_factory=set)


def _through(campaign, name):
    return campaign._meta.get_field(name).remote_field.through


def load_rules(campaigns) -> list:
    """Attach each campaign's hand-picked products and rule ids (three queries for any number)."""
    campaigns = [c for c in campaigns if c is not None]
    todo = {c.pk: c for c in campaigns if not hasattr(c, "_rules")}
    if todo:
        rules = {pk: Rules() for pk in todo}
        for attr, name, column in (("featured", "featured_products", "productpage_id"),
                                   ("groups", "rule_groups", "productgroup_id"),
                                   ("provinces", "rule_provinces", "province_id")):
            for campaign_id, value in _through(campaigns[0], name).objects.filter(campaignpage_id__in=todo).values_list(
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
    return (ProductPage.objects.live().with_current_stars().filter(current_stars__isnull=False)
            .filter(Exists(in_stock)).filter(wanted).for_listing().order_by("title", "pk"))
