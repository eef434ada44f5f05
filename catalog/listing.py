"""Shared helpers for product listing pages: star annotation, filters from the query string, paging."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from catalog.models import Certificate, ProductPage

SORTS = {
    "moi-nhat": ("-first_published_at", "-pk"),
    "ten": ("title", "pk"),
    "sao": ("-current_stars", "title", "pk"),
}


def with_current_stars(products, day=None):
    """Annotate `current_stars`: stars of the latest certificate valid on `day`, or None."""
    latest_valid = (
        Certificate.objects.valid_on(day or timezone.localdate())
        .filter(product=OuterRef("pk"))
        .order_by("-decision_date", "-pk")
    )
    return products.annotate(current_stars=Subquery(latest_valid.values("stars")[:1]))


def published_products():
    return with_current_stars(ProductPage.objects.live())


def in_season(products, month: int):
    """Products harvested in `month`, plus those with no season (available all year)."""
    months = ProductPage.season_months.through.objects.filter(productpage=OuterRef("pk"))
    return products.filter(Exists(months.filter(month=month)) | ~Exists(months))


def filter_products(request, products):
    """Apply ?sao=3|4|5, ?mua-vu=1 and ?sap-xep=… ; unknown values are ignored rather than failing."""
    stars = request.GET.get("sao", "")
    if stars in {"3", "4", "5"}:
        products = products.filter(current_stars=int(stars))
    else:
        stars = ""
    season = request.GET.get("mua-vu") == "1"
    if season:
        products = in_season(products, timezone.localdate().month)
    sort = request.GET.get("sap-xep", "")
    if sort not in SORTS:
        sort = "moi-nhat"
    return products.order_by(*SORTS[sort]), {"stars": stars, "sort": sort, "in_season": season}


def paginate(request, queryset, per_page=24):
    """A page of results; page numbers past the end or not numbers give the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("trang"))
