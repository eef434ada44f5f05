"""Product listing pages: filters and sorts from the query string, and paging."""

from django.core.paginator import Paginator
from django.db.models import F
from django.utils import timezone

from catalog import ratings

SORTS = {
    "moi-nhat": ("-first_published_at", "-pk"),
    "ten": ("title", "pk"),
    "sao": ("-current_stars", "title", "pk"),
    # Buyers' reviews (`catalog.ratings`), then the OCOP stars.
    "danh-gia": (*ratings.BEST_RATED, F("current_stars").desc(nulls_last=True), "title", "pk"),
}


def filter_products(request, products):
    """Apply ?sao=3|4|5, ?mua-vu=1 and ?sap-xep=… to products annotated `with_current_stars`;
    unknown values are ignored rather than failing."""
    stars = request.GET.get("sao", "")
    if stars in {"3", "4", "5"}:
        products = products.filter(current_stars=int(stars))
    else:
        stars = ""
    season = request.GET.get("mua-vu") == "1"
    if season:
        products = products.in_season(timezone.localdate().month)
    sort = request.GET.get("sap-xep", "")
    if sort not in SORTS:
        sort = "moi-nhat"
    if sort == "danh-gia":
        products = ratings.with_average(products)
    return products.order_by(*SORTS[sort]), {"stars": stars, "sort": sort, "in_season": season}


def paginate(request, queryset, per_page=24):
    """A page of results; page numbers past the end or not numbers give the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("trang"))
