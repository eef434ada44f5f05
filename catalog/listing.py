"""Shared helpers for product listing pages: star annotation, filters from the query string, paging."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
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


def filter_products(request, products):
    """Apply ?sao=3|4|5 and ?sap-xep=… ; unknown values are ignored rather than failing."""
    stars = request.GET.get("sao", "")
    if stars in {"3", "4", "5"}:
        products = products.filter(current_stars=int(stars))
    else:
        stars = ""
    sort = request.GET.get("sap-xep", "")
    if sort not in SORTS:
        sort = "moi-nhat"
    return products.order_by(*SORTS[sort]), {"stars": stars, "sort": sort}


def paginate(request, queryset, per_page=24):
    """A page of results; page numbers past the end or not numbers give the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("trang"))
