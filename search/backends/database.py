"""The database backend: the same filters, facet counts and sorts as Elasticsearch, in SQL.

Word matching follows the index: every query word must be a whole word of the product, folded, or
exact when typed with diacritics (search.terms); relevance is `relevance`, the same as the engine's.
Facet counts use the usual faceted-search rule: a facet's own selection does not narrow its own
counts. Suggestions while typing (`suggest`), where the last word may be a word's beginning, walk
the prefix index `SearchWord` instead.

A search is two statements whatever the filters: every facet count and the total in one UNION ALL
of GROUP BYs, then the page of hits with their card fields. The SQL is written here rather than
through the ORM because compiling the dozen conditional aggregates cost more than running them.
It is plain SQL that PostgreSQL and SQLite both run; only word matching differs (PostgreSQL uses
the GIN-indexed `words_tsv` column of migration 0003, SQLite tests the space-padded word list).
"""

from dataclasses import dataclass

from django.db import connection

from search.backends.common import CARD_FIELDS, ELSEWHERE, NAME, NAME_START, PRODUCER, RawResult, province_keys
from search.models import SearchRecord, SearchWord
from search.query import PRICE_BANDS, RATINGS
from search.terms import is_exact

TABLE = SearchRecord._meta.db_table
WORDS = SearchWord._meta.db_table
WORD_CHARS = SearchWord._meta.get_field("word").max_length  # words are indexed cut to this length
FACETS = ("tinh", "sao", "nhom", "tieu-chuan", "gia", "mua-vu", "danh-gia")


@dataclass(frozen=True)
class Sql:
    """A condition and its parameters; `&` and `|` combine them. The empty condition is "true"."""

    text: str = ""
    params: tuple = ()

    def __and__(self, other):
        if not (self.text and other.text):
            return self if self.text else other
        return Sql(f"({self.text}) AND ({other.text})", self.params + other.params)

    def __or__(self, other):
        if not (self.text and other.text):
            return Sql()  # "true" or anything is true
        return Sql(f"({self.text}) OR ({other.text})", self.params + other.params)

    def where(self) -> str:
        return self.text or "1 = 1"


def all_of(conditions) -> Sql:
    combined = Sql()
    for condition in conditions:
        combined &= condition
    return combined


def any_of(column, values) -> Sql:
    """The space-padded list in `column` holds one of `values`."""
    return Sql(" OR ".join([f"{column} LIKE %s"] * len(values)), tuple(f"% {value} %" for value in values))


def word_filter(terms) -> Sql:
    """Every term present (search.terms: a folded word, or the exact key of a word typed with
    diacritics): one look-up per term in the B-tree of `SearchWord` ("words" or "exact" rows), not
    a scan of every record's word list; on PostgreSQL folded words use the GIN-indexed `words_tsv`."""
    if not terms:
        return Sql()
    folded = [term for term in terms if not is_exact(term)]
    condition = Sql()
    if connection.vendor == "postgresql" and folded:
        condition = Sql("words_tsv @@ to_tsquery('simple', %s)", (" & ".join(folded),))
        terms = [term for term in terms if is_exact(term)]
    lookup = f"product_id IN (SELECT product_id FROM {WORDS} WHERE field = %s AND word = %s)"
    for term in terms:
        condition &= Sql(lookup, ("exact" if is_exact(term) else "words", term[:WORD_CHARS]))
    return condition


def price_band(key) -> Sql:
    low, high = PRICE_BANDS[key]
    condition = Sql("min_price IS NOT NULL")
    if low is not None:
        condition &= Sql("min_price >= %s", (low,))
    if high is not None:
        condition &= Sql("min_price < %s", (high,))
    return condition


def facet_filters(params, month) -> dict[str, Sql]:
    """Each active facet's own condition, by facet key."""
    filters = {}
    if params.provinces:
        filters["tinh"] = any_of("place_keys", province_keys(params.provinces))
    if params.stars:
        filters["sao"] = Sql(f"stars IN ({', '.join(['%s'] * len(params.stars))})", tuple(params.stars))
    if params.groups:
        filters["nhom"] = Sql(f'"group" IN ({", ".join(["%s"] * len(params.groups))})', tuple(params.groups))
    if params.standards:
        filters["tieu-chuan"] = any_of("standards", params.standards)
    if params.prices:
        band = price_band(params.prices[0])
        for key in params.prices[1:]:
            band |= price_band(key)
        filters["gia"] = band
    if params.in_season:
        filters["mua-vu"] = in_season(month)
    if params.ratings:  # nested thresholds: the lowest ticked covers the others
        filters["danh-gia"] = rated_at_least(min(params.ratings))
    return filters


def rated_at_least(stars) -> Sql:
    """Buyers' reviews average at least `stars`: total ≥ stars × count, in integers."""
    return Sql("rating_count > 0 AND rating_total >= %s * rating_count", (stars,))


def rating_statement(base, filters) -> Sql:
    """("danh-gia", N, count, 0) rows over the matches of every other selection, N the highest threshold
    each product's average reaches (one scan): `search` adds them up into "at least N"."""
    where = all_of([base, *(c for key, c in filters.items() if key != "danh-gia"), Sql("rating_count > 0")])
    bands = " ".join(f"WHEN rating_total >= {n} * rating_count THEN '{n}'" for n in sorted(RATINGS, reverse=True))
    return Sql(f"SELECT 'danh-gia', CASE {bands} END, COUNT(*), 0 FROM {TABLE} WHERE {where.where()} GROUP BY 2",
               where.params)


def in_season(month) -> Sql:
    return Sql("season_months LIKE %s", (f"% {month} %",))


def base_filter(params) -> Sql:
    condition = word_filter(params.terms)
    if params.place:  # made there, or naming the place ("Vải thiều Thanh Hà" sold from elsewhere)
        condition &= any_of("place_keys", params.place.keys) | word_filter(params.place.words)
    return condition


GROUPED = {  # facet key → the value it groups by
    "tinh": Sql("province"),
    "sao": Sql("CAST(stars AS TEXT)"),
    "nhom": Sql('"group"'),
    "tieu-chuan": Sql("standards"),
}


def price_band_case() -> Sql:
    """The price band key of a row's lowest price, NULL when it has no price."""
    whens = [price_band(key) for key in PRICE_BANDS]
    text = " ".join(f"WHEN {band.text} THEN %s" for band in whens)
    params = tuple(p for band, key in zip(whens, PRICE_BANDS) for p in (*band.params, key))
    return Sql(f"CASE {text} END", params)


GROUPED["gia"] = price_band_case()


def facet_statement(base, filters, month) -> tuple[Sql, str]:
    """One statement answering (facet, value, count, in season) rows for every facet, and the key of
    the facet whose rows also give the total and the in-season count.

    Each facet is a GROUP BY over the matches of every other selection. Facets without a selection
    all group the same rows (the matches), so the first of them also sums the total and the
    products in season: the groups of a GROUP BY partition its rows. Standards come back per
    distinct list and are split in Python: grouping the list is far cheaper than testing each
    standard on every row."""
    season = in_season(month)
    everything = all_of([base, *filters.values()])
    season_sum = Sql(f"SUM(CASE WHEN {season.text} THEN 1 ELSE 0 END)", season.params)
    branches, summary = [], ""
    for facet, value in GROUPED.items():
        if facet in filters:
            where, extra = all_of([base, *(c for key, c in filters.items() if key != facet)]), Sql("0")
        else:
            where, extra = everything, Sql("0") if summary else season_sum
            summary = summary or facet
        branches.append(Sql(
            f"SELECT %s, {value.text}, COUNT(*), {extra.text} FROM {TABLE} WHERE {where.where()} GROUP BY 2",
            (facet, *value.params, *extra.params, *where.params),
        ))
    if not summary:  # every grouped facet has a selection: count the matches on their own
        branches.append(Sql(f"SELECT '', '', COUNT(*), {season_sum.text} FROM {TABLE} WHERE {everything.where()}",
                            season_sum.params + everything.params))
    if "mua-vu" in filters:
        where = all_of([base, *(c for key, c in filters.items() if key != "mua-vu"), season])
        branches.append(Sql(f"SELECT 'mua-vu', '', COUNT(*), 0 FROM {TABLE} WHERE {where.where()}", where.params))
    branches.append(rating_statement(base, filters))
    statement = Sql(" UNION ALL ".join(branch.text for branch in branches),
                    tuple(p for branch in branches for p in branch.params))
    return statement, summary


def relevance(terms) -> Sql:
    """The relevance score of `common` (the engine's is `elastic.relevance`)."""
    best_place = (f"CASE WHEN name_terms LIKE %s THEN {NAME} WHEN producer_terms LIKE %s THEN {PRODUCER} "
                  f"ELSE {ELSEWHERE} END")
    per_term = " + ".join([best_place] * len(terms))
    start = " AND ".join(["name_start LIKE %s"] * len(terms))
    return Sql(f"CASE WHEN {start} THEN {NAME_START} ELSE 0 END + {per_term}",
               tuple(f"% {i}:{term} %" for i, term in enumerate(terms))
               + tuple(p for term in terms for p in (f"% {term} %", f"% {term} %")))


def order_by(params) -> Sql:
    if params.sort == "relevance" and params.terms:
        score = relevance(params.terms)
        return Sql(f"({score.text}) DESC, name_length, stars DESC NULLS LAST, product_id", score.params)
    return Sql({
        "price_asc": "min_price ASC NULLS LAST, product_id",
        "price_desc": "min_price DESC NULLS LAST, product_id",
        "newest": "published_at DESC NULLS LAST, product_id",
        "rating": ("CASE WHEN rating_count > 0 THEN rating_total * 1.0 / rating_count END DESC NULLS LAST, "
                   "rating_count DESC, stars DESC NULLS LAST, product_id"),
    }.get(params.sort, "stars DESC NULLS LAST, product_id"))


CARD_COLUMNS = ", ".join('"group"' if name == "group" else "product_id" if name == "id" else name
                         for name in CARD_FIELDS)


def search(params, *, month, page_size) -> RawResult:
    base = base_filter(params)
    filters = facet_filters(params, month)
    counts = {facet: {} for facet in FACETS}
    total = in_season_of_matches = in_season_selected = 0
    with connection.cursor() as cursor:
        statement, summary = facet_statement(base, filters, month)
        cursor.execute(statement.text, statement.params)
        for facet, value, count, season_count in cursor.fetchall():
            if facet in (summary, ""):
                total += count
                in_season_of_matches += season_count or 0
            if facet == "mua-vu":
                in_season_selected = count
            elif facet == "tieu-chuan":
                for slug in (value or "").split():
                    counts[facet][slug] = counts[facet].get(slug, 0) + count
            elif facet and value not in (None, ""):
                counts[facet][value] = count
        bands = counts["danh-gia"]
        at_least = {str(n): sum(bands.get(str(m), 0) for m in RATINGS if m >= n) for n in RATINGS}
        counts["danh-gia"] = {value: count for value, count in at_least.items() if count}
        in_season_now = in_season_selected if "mua-vu" in filters else in_season_of_matches
        if in_season_now:
            counts["mua-vu"][str(month)] = in_season_now
        where = all_of([base, *filters.values()])
        order = order_by(params)
        cursor.execute(
            f"SELECT {CARD_COLUMNS} FROM {TABLE} WHERE {where.where()} ORDER BY {order.text} LIMIT %s OFFSET %s",
            (*where.params, *order.params, page_size, (params.page - 1) * page_size),
        )
        hits = [dict(zip(CARD_FIELDS, row)) for row in cursor.fetchall()]
    for hit in hits:
        hit["season_months"] = [int(month) for month in hit["season_months"].split()]
        hit["in_stock"] = bool(hit["in_stock"])
    return RawResult(hits=hits, total=total, counts=counts)


# Suggestions while typing. A term is a typed word: the finished ones are words of the product, the
# last one a word's beginning (a range of the B-tree). A term with fewer rows than this is read whole;
# otherwise products are read best first until enough match (dense terms find them at once).
WALK_WHOLE_BELOW = 2000


def prefix_range(prefix: str) -> tuple[str, str | None]:
    """The words starting with `prefix` are those in [low, high) (high None: no bound), in the alphabet
    of folded words (0-9 < a-z), so the bound sorts right under any collation."""
    stem = prefix.rstrip("z")
    if not stem:
        return prefix, None
    return prefix, stem[:-1] + ("a" if stem[-1] == "9" else chr(ord(stem[-1]) + 1))


def term_condition(alias, word, is_prefix) -> Sql:
    if not is_prefix:
        return Sql(f"{alias}.word = %s", (word,))
    low, high = prefix_range(word)
    return Sql(f"{alias}.word >= %s AND {alias}.word < %s", (low, high)) if high else Sql(f"{alias}.word >= %s", (low,))


def best_products(cursor, field, terms, limit) -> list[int]:
    """Product ids, best rank first, of the first `limit` products whose `field` words hold every term.

    One statement sizes each term (counting no further than WALK_WHOLE_BELOW), one walks: from the
    smallest term if it is small, else from a finished word (its rows come in rank order: the walk
    stops at `limit`), else (one dense beginning, "th") from all products in rank order. The other
    terms are looked up per product through the index by product, the most selective first: a join
    for a finished word (one row at most; CROSS JOIN keeps SQLite from reordering the walk), EXISTS
    for the beginning (several words may have it)."""
    conditions = [term_condition("x", word, is_prefix) for word, is_prefix in terms]
    sizes = [Sql(f"(SELECT COUNT(*) FROM (SELECT 1 FROM {WORDS} x WHERE x.field = %s AND {c.text} LIMIT %s) capped)",
                 (field, *c.params, WALK_WHOLE_BELOW)) for c in conditions]
    cursor.execute("SELECT " + ", ".join(size.text for size in sizes), tuple(p for size in sizes for p in size.params))
    counts = cursor.fetchone()
    if not all(counts):
        return []
    order = sorted(range(len(terms)), key=counts.__getitem__)
    finished = [i for i in order if not terms[i][1]]
    driver = order[0] if counts[order[0]] < WALK_WHOLE_BELOW else (finished[0] if finished else None)
    if driver is None:
        tables, where = [f"{TABLE} d"], Sql()
    else:
        tables, where = [f"{WORDS} d"], Sql("d.field = %s", (field,)) & term_condition("d", *terms[driver])
    for i in order:
        if i == driver:
            continue
        word, is_prefix = terms[i]
        condition = term_condition(f"t{i}", word, is_prefix)
        lookup = Sql(f"t{i}.product_id = d.product_id AND t{i}.field = %s AND {condition.text}",
                     (field, *condition.params))
        if is_prefix:
            where &= Sql(f"EXISTS (SELECT 1 FROM {WORDS} t{i} WHERE {lookup.text})", lookup.params)
        else:
            tables.append(f"{WORDS} t{i}")
            where &= lookup
    distinct = "DISTINCT " if driver is not None and terms[driver][1] else ""  # a word's beginning: several rows
    cursor.execute(f"SELECT {distinct}d.product_id, d.rank FROM {' CROSS JOIN '.join(tables)} WHERE {where.where()} "
                   "ORDER BY d.rank LIMIT %s", (*where.params, limit))
    return [product_id for product_id, _rank in cursor.fetchall()]


def suggest(words, limit) -> list[dict]:
    """The `limit` best products for what is being typed (`words`, folded): every word a word of the
    product, the last as a word's beginning; products whose title matches so come first, then by
    rank (stars, then id). Every title match is among the words' matches, so when fewer than `limit`
    titles match, the rest are the best of the others."""
    terms = [(word, False) for word in words[:-1]] + [(words[-1], True)]
    with connection.cursor() as cursor:
        ids = best_products(cursor, "title", terms, limit)
        if len(ids) < limit:
            others = best_products(cursor, "words", terms, limit + len(ids))
            ids += [i for i in others if i not in ids][:limit - len(ids)]
        if not ids:
            return []
        cursor.execute(f"SELECT product_id, title, url_path, producer FROM {TABLE} WHERE product_id IN "
                       f"({', '.join(['%s'] * len(ids))})", ids)
        found = {row[0]: dict(zip(("id", "title", "url_path", "producer"), row)) for row in cursor.fetchall()}
    return [found[i] for i in ids if i in found]
