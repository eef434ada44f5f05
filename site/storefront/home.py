"""What the home page shows: products by star rating, groups, provinces and featured products."""

from django.db.models import Count, Q

from catalog.listing import published_products
from catalog.models import ProductGroup, Province


def home_context(home):
    products = published_products()
    star_counts = {
        row["current_stars"]: row["total"]
        for row in products.filter(current_stars__isnull=False)
        .order_by()
        .values("current_stars")
        .annotate(total=Count("pk"))
    }
    featured = products.filter(featured=True).order_by("-first_published_at").for_listing()[: home.featured_limit]
    groups = ProductGroup.objects.annotate(
        product_count=Count("products", filter=Q(products__live=True))
    )
    provinces = (
        Province.objects.annotate(producer_count=Count("producers", filter=Q(producers__live=True)))
        .filter(producer_count__gt=0)
        .order_by("-producer_count", "short_name")
    )
    return {
        "star_counts": [(stars, star_counts.get(stars, 0)) for stars in (5, 4, 3)],
        "featured_products": featured,
        "groups": groups,
        "provinces": provinces,
    }
