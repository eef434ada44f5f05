"""The database backend: the same filters, facet counts and sorts as Elasticsearch, in SQL.

Word matching follows the index: every query word must be a whole (folded) word of the product;
while typing, the last one may be a word's beginning. Facet counts use the
usual faceted-search rule: a facet's own selection does not narrow its own counts.
"""

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from search.backends.common import STARS, RawResult, province_keys
from search.models import SearchRecord
from search.query import PRICE_BANDS

FACETS = ("tinh", "sao", "nhom", "tieu-chuan", "gia", "mua-vu")


def word_filter(words, prefix_last=False) -> Q:
    condition = Q()
    for position, word in enumerate(words):
        as_prefix = prefix_last and position == len(words) - 1
        condition &= Q(words__contains=f" {word}" if as_prefix else f" {word} ")
    return condition


def any_of(field, values) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(**{f"{field}__contains": f" {value} "})
    return condition


def facet_filters(params, month) -> dict[str, Q]:
    """Each active facet's own condition, by facet key."""
    filters = {}
    if params.provinces:
        filters["tinh"] = any_of("place_keys", province_keys(params.provinces))
    if params.stars:
        filters["sao"] = Q(stars__in=params.stars)
    if params.groups:
        filters["nhom"] = Q(group__in=params.groups)
    if params.standards:
        filters["tieu-chuan"] = any_of("standards", params.standards)
    if params.prices:
        band = Q()
        for key in params.prices:
            low, high = PRICE_BANDS[key]
            band |= Q(**({"min_price__gte": low} if low is not None else {})) & Q(
                **({"min_price__lt": high} if high is not None else {})
            ) & Q(min_price__isnull=False)
        filters["gia"] = band
    if params.in_season:
        filters["mua-vu"] = Q(season_months__contains=f" {month} ")
    return filters


def base_filter(params) -> Q:
    condition = word_filter(params.words, params.prefix_last)
    if params.place:
        condition &= any_of("place_keys", params.place.keys)
    return condition


def count_expressions(facet, month, provinces, groups, standards):
    """Conditional counts for every value of one facet, computed in one aggregate query."""
    def counter(condition):
        return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))

    if facet == "tinh":
        return {f"tinh|{slug}": counter(Q(province=slug)) for slug in provinces}
    if facet == "sao":
        return {f"sao|{stars}": counter(Q(stars=stars)) for stars in STARS}
    if facet == "nhom":
        return {f"nhom|{slug}": counter(Q(group=slug)) for slug in groups}
    if facet == "tieu-chuan":
        return {f"tieu-chuan|{slug}": counter(Q(standards__contains=f" {slug} ")) for slug in standards}
    if facet == "gia":
        expressions = {}
        for key, (low, high) in PRICE_BANDS.items():
            condition = Q(min_price__isnull=False)
            if low is not None:
                condition &= Q(min_price__gte=low)
            if high is not None:
                condition &= Q(min_price__lt=high)
            expressions[f"gia|{key}"] = counter(condition)
        return expressions
    if facet == "mua-vu":
        return {f"mua-vu|{month}": counter(Q(season_months__contains=f" {month} "))}
    raise ValueError(facet)


def order_by(params):
    if params.sort == "relevance" and params.words:
        in_title = sum(
            (Case(When(title_words__contains=f" {w} ", then=Value(1)), default=Value(0), output_field=IntegerField())
             for w in params.words),
            Value(0),
        )
        return [in_title.desc(), F("stars").desc(nulls_last=True), "product_id"]
    if params.sort == "price_asc":
        return [F("min_price").asc(nulls_last=True), "product_id"]
    if params.sort == "price_desc":
        return [F("min_price").desc(nulls_last=True), "product_id"]
    if params.sort == "newest":
        return [F("published_at").desc(nulls_last=True), "product_id"]
    return [F("stars").desc(nulls_last=True), "product_id"]


def search(params, *, month, page_size, vocab) -> RawResult:
    """`vocab`: the facet values to count (province slugs, group slugs, standard slugs)."""
    records = SearchRecord.objects.filter(base_filter(params))
    filters = facet_filters(params, month)
    everything = Q()
    for condition in filters.values():
        everything &= condition
    matching = records.filter(everything)

    # One aggregate for the total and for every facet without a selection of its own; one more
    # per facet with a selection, counted without it.
    free = [facet for facet in FACETS if facet not in filters]
    expressions = {"total": Count("pk")}
    for facet in free:
        expressions.update(count_expressions(facet, month, *vocab))
    rows = [matching.aggregate(**expressions)]
    for facet in filters:
        others = Q()
        for key, condition in filters.items():
            if key != facet:
                others &= condition
        rows.append(records.filter(others).aggregate(**count_expressions(facet, month, *vocab)))

    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    for row in rows:
        for key, value in row.items():
            if key != "total" and value:
                facet, facet_value = key.split("|", 1)
                counts[facet][facet_value] = value
    total = rows[0]["total"]
    start = (params.page - 1) * page_size
    ids = list(matching.order_by(*order_by(params)).values_list("product_id", flat=True)[start:start + page_size])
    return RawResult(ids=ids, total=total, counts=counts)
