"""Every signal receiver of the site-wide pages: cached navigation and home-page figures are
forgotten, and cached pages invalidated (`storefront.page_cache`), when what they show changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.identity import identity_checked
from catalog.inventory import stock_changed
from catalog.ratings import ratings_changed
from catalog.takedowns import visibility_changed
from catalog.models import (
    Certificate,
    ProducerPage,
    ProductGroup,
    ProductPage,
    ProductSubgroup,
    ProductVariant,
    Standard,
    TradeFair,
)
from shop.promotions.models import CampaignPage
from storefront import page_cache, policies
from storefront.context_processors import forget_navigation
from storefront.home import forget_catalogue_stats
from storefront.models import ProvinceTarget, StandardPage


@receiver([post_save, post_delete], sender=ProductGroup)
def product_group_changed(**kwargs):
    forget_navigation()


@receiver([page_published, page_unpublished])
def page_published_or_withdrawn(sender, instance, **kwargs):
    forget_catalogue_stats()
    page_changed(instance)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    page_changed(instance)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, (ProductPage, ProducerPage, CampaignPage)):
        page_changed(instance)


def page_changed(page):
    """A page's own URL, and the listings that may show it (or, for a campaign, the campaigns)."""
    kind = page.specific_class or type(page)
    tags = [f"page:{page.pk}"]
    if issubclass(kind, ProductPage):
        tags += [f"product:{page.pk}", "listing"]
    elif issubclass(kind, ProducerPage):
        tags += [f"producer:{page.pk}", "listing"]
    elif issubclass(kind, CampaignPage):
        tags.append("campaigns")
        page_cache.forget_campaign_boundary()
    page_cache.invalidate(*tags)


@receiver([post_save, post_delete], sender=ProductVariant)
def pack_changed(sender, instance, **kwargs):
    """Prices and packs (saved when a product is published)."""
    if instance.product_id:
        page_cache.invalidate(f"product:{instance.product_id}")


@receiver(stock_changed)
def stock_moved(sender, product_ids, **kwargs):
    """Product pages show how many units can be ordered; cards whether any are left."""
    page_cache.invalidate(*(f"product:{pk}" for pk in product_ids))


@receiver(ratings_changed)
def ratings_moved(sender, product_ids, **kwargs):
    """Buyers' ratings show on the product page and its cards, and order the listings' rating sort."""
    page_cache.invalidate(*(f"product:{pk}" for pk in product_ids), "listing")


@receiver(identity_checked)
def seller_checked(sender, producer, **kwargs):
    """An officer's check lets the producer's products be ordered (their pages show the cart form)."""
    page_changed(producer)


@receiver(visibility_changed)
def listing_hidden_or_shown(sender, producer_id, product_ids, **kwargs):
    """A takedown: the pages themselves, the producer's page and every listing that may show them."""
    forget_catalogue_stats()
    page_cache.invalidate(f"producer:{producer_id}", "listing", *(f"product:{pk}" for pk in product_ids))


@receiver([post_save, post_delete], sender=Certificate)
def certificate_changed(sender, instance, **kwargs):
    """Stars show on the product and decide star filters, sorts and the figures."""
    page_cache.invalidate(f"product:{instance.product_id}", "listing", "figures")


@receiver([post_save, post_delete], sender=TradeFair)
@receiver(m2m_changed, sender=TradeFair.producers.through)
def fair_changed(**kwargs):
    page_cache.invalidate("fairs")


@receiver([post_save, post_delete], sender=ProvinceTarget)
def target_changed(**kwargs):
    page_cache.invalidate("figures")


@receiver([post_save, post_delete], sender=ProductGroup)
@receiver([post_save, post_delete], sender=ProductSubgroup)
@receiver([post_save, post_delete], sender=Standard)
def taxonomy_changed(**kwargs):
    """Groups are in every page's menu."""
    page_cache.invalidate("site")


@receiver(post_save)
def site_setting_changed(sender, created=False, **kwargs):
    """Site settings fill every page's footer (a row made blank on first read changes nothing)."""
    if issubclass(sender, BaseSiteSetting) and not created:
        page_cache.invalidate("site")


@receiver([page_published, page_unpublished, post_page_move, post_delete], sender=StandardPage)
def policy_page_changed(sender, instance, **kwargs):
    """Every page's footer (and the checkout) links the live policy pages (`storefront.policies`):
    a new one must appear on pages cached before it existed (those it is on carry its `page:` tag)."""
    if instance.slug in policies.SLUGS:
        page_cache.invalidate(policies.CACHE_TAG)
