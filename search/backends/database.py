"""The database backend: the same filters, facet counts and sorts as Elasticsearch, in SQL.

Word matching follows the index: every query word must be a whole (folded) word of the product;
while typing, the last one may be a word's beginning. Facet counts use the
usual faceted-search rule: a facet's own selection does not narrow its own counts.
"""

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.expressions import RawSQL

from search.backends.common import RawResult, province_keys
from search.models import SearchRecord
from search.query import PRICE_BANDS

FACETS = ("tinh", "sao", "nhom", "tieu-chuan", "gia", "mua-vu")


def word_filter(words, prefix_last=False) -> Q:
    """Every word present (the last as a word's beginning while typing). PostgreSQL answers from
    the GIN-indexed `words_tsv` column (migration 0003); SQLite tests the space-padded text."""
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        terms = [*words[:-1], f"{words[-1]}:*" if prefix_last else words[-1]]
        return Q(RawSQL(
            """"product_search_searchrecord"."words_tsv" @@ to_tsquery('simple', %s)""",
            [" & ".join(terms)], output_field=BooleanField(),
        ))
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
    if params.place:  # made there, or naming the place ("Vải thiều Thanh Hà" sold from elsewhere)
        condition &= any_of("place_keys", params.place.keys) | word_filter(params.place.words)
    return condition


GROUPED = {"tinh": "province", "sao": "stars", "nhom": "group"}  # one value per product: GROUP BY


def _counter(condition):
    return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def count_expressions(facet, month, vocab) -> dict:
    """Conditional counts for facets whose values are lists or ranges, for one aggregate query."""
    _provinces, _groups, standards = vocab
    if facet == "tieu-chuan":
        return {f"tieu-chuan|{slug}": _counter(Q(standards__contains=f" {slug} ")) for slug in standards}
    if facet == "gia":
        expressions = {}
        for key, (low, high) in PRICE_BANDS.items():
            condition = Q(min_price__isnull=False)
            if low is not None:
                condition &= Q(min_price__gte=low)
            if high is not None:
                condition &= Q(min_price__lt=high)
            expressions[f"gia|{key}"] = _counter(condition)
        return expressions
    if facet == "mua-vu":
        return {f"mua-vu|{month}": _counter(Q(season_months__contains=f" {month} "))}
    raise ValueError(facet)


def facet_counts(records, facets, month, vocab) -> dict[str, dict[str, int]]:
    """Counts per value for these facets over `records` (a few small queries)."""
    counts = {}
    expressions = {}
    for facet in facets:
        if facet in GROUPED:
            field = GROUPED[facet]
            rows = records.order_by().values_list(field).annotate(n=Count("pk"))
            counts[facet] = {str(value): n for value, n in rows if value not in (None, "") and n}
        else:
            expressions.update(count_expressions(facet, month, vocab))
    if expressions:
        for key, value in records.aggregate(**expressions).items():
            facet, facet_value = key.split("|", 1)
            if value:
                counts.setdefault(facet, {})[facet_value] = value
    return counts


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

    # Facets without a selection are counted over the matches; a facet with a selection is
    # counted over the matches of every other selection.
    counts = {facet: {} for facet in FACETS}
    counts.update(facet_counts(matching, [f for f in FACETS if f not in filters], month, vocab))
    for facet in filters:
        others = Q()
        for key, condition in filters.items():
            if key != facet:
                others &= condition
        counts.update(facet_counts(records.filter(others), [facet], month, vocab))
    total = matching.count()
    start = (params.page - 1) * page_size
    ids = list(matching.order_by(*order_by(params)).values_list("product_id", flat=True)[start:start + page_size])
    return RawResult(ids=ids, total=total, counts=counts)
