"""What the home page shows: products by star rating, groups, provinces and featured products."""

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from catalog.models import ProductGroup, ProductPage, Province

STATS_CACHE_KEY = "home-stats"
STATS_SECONDS = 600


def catalogue_stats():
    """Counts by star, group and province: aggregates over the whole catalogue, so cached.

    The key carries today's date because certificates expire at midnight; publishing or
    unpublishing a page drops it.
    """
    key = f"{STATS_CACHE_KEY}:{timezone.localdate().isoformat()}"
    stats = cache.get(key)
    if stats is None:
        star_counts = dict(
            ProductPage.objects.live().with_current_stars().filter(current_stars__isnull=False).order_by()
            .values_list("current_stars").annotate(total=Count("pk"))
        )
        stats = {
            "star_counts": [(stars, star_counts.get(stars, 0)) for stars in (5, 4, 3)],
            "groups": list(ProductGroup.objects.annotate(product_count=Count("products", filter=Q(products__live=True)))),
            "provinces": list(
                Province.objects.annotate(producer_count=Count("producers", filter=Q(producers__live=True)))
                .filter(producer_count__gt=0).order_by("-producer_count", "short_name")
            ),
        }
        cache.set(key, stats, STATS_SECONDS)
    return stats


def forget_catalogue_stats():
    cache.delete(f"{STATS_CACHE_KEY}:{timezone.localdate().isoformat()}")


def home_context(home):
    featured = (
        ProductPage.objects.live().with_current_stars().filter(featured=True).order_by("-first_published_at").for_listing()[: home.featured_limit]
    )
    return {**catalogue_stats(), "featured_products": featured}
