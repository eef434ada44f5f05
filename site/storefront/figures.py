"""Public OCOP figures: aggregate counts for the /thong-ke/ page.

Every function is one aggregate query (GROUP BY in the database, never a loop over all
products). `all_figures` gathers them for a day and language and caches the result for ten
minutes: certificates expire at midnight, so the key carries the date.
"""

import datetime

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Certificate, ProducerPage, ProductPage
from storefront.models import ProvinceTarget

CACHE_KEY = "ocop-figures"
CACHE_SECONDS = 600
EXPIRING_DAYS = 90


def _english() -> bool:
    return (get_language() or "").startswith("en")


def certified_products(day=None):
    """Live products with a certificate valid on `day`, annotated with `current_stars`."""
    return ProductPage.objects.live().with_current_stars(day).filter(current_stars__isnull=False).order_by()


def products_by_province(day=None):
    """[(province name, count)] by today's province of the producer, largest first."""
    rows = (
        certified_products(day).values("producer__province__short_name")
        .annotate(total=Count("pk")).order_by("-total", "producer__province__short_name")
    )
    return [(row["producer__province__short_name"] or _("Chưa rõ tỉnh"), row["total"]) for row in rows]


def products_by_stars(day=None):
    """[(stars, count)] for 5, 4 and 3 stars, zeros included."""
    counts = dict(certified_products(day).values_list("current_stars").annotate(total=Count("pk")))
    return [(stars, counts.get(stars, 0)) for stars in (5, 4, 3)]


def products_by_group(day=None):
    """[(group name, count)] of the OCOP product groups that have certified products."""
    rows = (
        certified_products(day).values("group__code", "group__name", "group__name_en")
        .annotate(total=Count("pk")).order_by("group__code")
    )
    english = _english()
    return [
        ((row["group__name_en"] if english and row["group__name_en"] else row["group__name"]), row["total"])
        for row in rows
    ]


def producers_by_legal_form():
    """[(legal form label, count)] of live producers, every form listed, zeros included."""
    counts = dict(
        ProducerPage.objects.live().order_by().values_list("legal_form").annotate(total=Count("pk"))
    )
    return [(str(form.label), counts.get(form.value, 0)) for form in ProducerPage.LegalForm]


def certificate_expiry(day=None, days=EXPIRING_DAYS):
    """Live products whose current certificate expires within `days`, and those whose latest
    certificate has expired (not revoked) with no valid one since: {"expiring": n, "expired": n}."""
    day = day or timezone.localdate()
    current = (
        Certificate.objects.valid_on(day).filter(product=OuterRef("pk")).order_by("-decision_date", "-pk")
    )
    latest = Certificate.objects.filter(product=OuterRef("pk"), decision_date__lte=day).order_by(
        "-decision_date", "-pk"
    )
    return ProductPage.objects.live().order_by().annotate(
        current_expires=Subquery(current.values("expires_on")[:1]),
        latest_expires=Subquery(latest.values("expires_on")[:1]),
        latest_revoked=Subquery(latest.values("revoked_on")[:1]),
    ).aggregate(
        expiring=Count("pk", filter=Q(current_expires__lte=day + datetime.timedelta(days=days))),
        expired=Count("pk", filter=Q(
            current_expires__isnull=True, latest_expires__lt=day, latest_revoked__isnull=True
        )),
    )


def certified_per_year(day=None):
    """[(year, products)] of live products with a recognition decision that year, gaps filled with 0,
    up to `day`'s year even before its first decision: the chart then lines up with this year's targets."""
    day = day or timezone.localdate()
    counts = dict(
        Certificate.objects.filter(product__live=True, decision_date__lte=day).order_by()
        .annotate(year=ExtractYear("decision_date")).values_list("year")
        .annotate(total=Count("product", distinct=True))
    )
    if not counts:
        return []
    return [(year, counts.get(year, 0)) for year in range(min(counts), max(max(counts), day.year) + 1)]


def with_progress(targets):
    """Annotate `achieved`: distinct live products of the target's province with a certificate
    of at least `min_stars` decided in the target's year."""
    achieved = (
        Certificate.objects.filter(
            product__live=True,
            product__producer__province=OuterRef("province"),
            stars__gte=OuterRef("min_stars"),
            decision_date__year=OuterRef("year"),
        )
        .order_by().values("product__producer__province")
        .annotate(total=Count("product", distinct=True)).values("total")
    )
    return targets.annotate(achieved=Coalesce(Subquery(achieved, output_field=IntegerField()), 0))


def target_progress(year=None):
    """The targets of `year` (this year by default) with progress, as plain dicts."""
    year = year or timezone.localdate().year
    targets = with_progress(ProvinceTarget.objects.filter(year=year)).order_by(
        "province__short_name", "min_stars"
    ).values("province__short_name", "min_stars", "new_products", "achieved", "note")
    return [
        {
            "province": row["province__short_name"],
            "min_stars": row["min_stars"],
            "target": row["new_products"],
            "achieved": row["achieved"],
            "percent": min(100, row["achieved"] * 100 // row["new_products"]),
            "note": row["note"],
        }
        for row in targets
    ]


def all_figures(day=None):
    """Every figure for the page, cached for ten minutes per day and language (seven queries)."""
    day = day or timezone.localdate()
    key = f"{CACHE_KEY}:{day.isoformat()}:{get_language() or ''}"
    figures = cache.get(key)
    if figures is None:
        by_stars = products_by_stars(day)
        figures = {
            "day": day,
            "year": day.year,
            "total": sum(count for _stars, count in by_stars),
            "by_province": products_by_province(day),
            "by_stars": [(_("%(stars)s sao") % {"stars": stars}, count) for stars, count in by_stars],
            "by_group": products_by_group(day),
            "by_legal_form": producers_by_legal_form(),
            "expiry": certificate_expiry(day),
            "expiring_days": EXPIRING_DAYS,
            "per_year": certified_per_year(day),
            "targets": target_progress(day.year),
        }
        cache.set(key, figures, CACHE_SECONDS)
    return figures
