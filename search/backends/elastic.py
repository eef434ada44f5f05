"""The Elasticsearch backend: a `Document` for products and a `FacetedSearch` over it.

Only core-engine features are used (standard analyzer, keyword, numbers, `index_prefixes`), because
the test node here has no analysis-common or mapper-extras module; folding happens in Python
(`catalog.text.fold`) before text reaches the engine, exactly as for the database backend.
"""

from functools import lru_cache

from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Double,
    FacetedSearch,
    Integer,
    Keyword,
    Long,
    Q,
    RangeFacet,
    Search,
    TermsFacet,
    Text,
)
from elasticsearch.dsl.connections import connections

from search.backends.common import CARD_FIELDS, ELSEWHERE, NAME, NAME_START, PRODUCER, STARS, RawResult, province_keys
from search.query import PRICE_BANDS, RATINGS, RESULT_WINDOW
from search.terms import is_exact

CONNECTION = "ocop"


@lru_cache(maxsize=1)
def client() -> Elasticsearch:
    """The client searches use: a short timeout and no retry, so a slow or absent engine costs a
    shopper at most ELASTICSEARCH_TIMEOUT before the database answers. The cluster's nodes are
    tried in turn (ELASTICSEARCH_URL may list several)."""
    es = Elasticsearch(
        settings.ELASTICSEARCH_HOSTS, request_timeout=settings.ELASTICSEARCH_TIMEOUT, retry_on_timeout=False,
        max_retries=0,
    )
    connections.add_connection(CONNECTION, es)
    return es


def writer() -> Elasticsearch:
    """The client index writes use (tasks, rebuilds): nobody waits on it, so it gives the engine
    room and retries, on another node or after a timeout."""
    return client().options(request_timeout=settings.ELASTICSEARCH_INDEX_TIMEOUT,
                            max_retries=settings.ELASTICSEARCH_RETRIES, retry_on_timeout=True)


def index_settings() -> dict:
    return {"number_of_shards": settings.ELASTICSEARCH_SHARDS, "number_of_replicas": settings.ELASTICSEARCH_REPLICAS,
            "max_result_window": RESULT_WINDOW}


# Every beginning of a word up to 10 letters is indexed too, so a beginning typed in the search box
# is one term to look up ("index_prefixes", core engine). Folded Vietnamese words are short; a longer
# beginning is still found, by a scan of the words.
PREFIXES = {"min_chars": 1, "max_chars": 10}


class ProductDocument(Document):
    id = Integer()
    title = Text(analyzer="standard")
    title_folded = Text(analyzer="standard", index_prefixes=PREFIXES)
    producer = Text(analyzer="standard")
    folded = Text(analyzer="standard", index_prefixes=PREFIXES)
    description = Text(analyzer="standard", index=False)
    words = Keyword()
    title_words = Keyword()
    exact = Keyword()  # exact keys of words with diacritics (search.terms)
    name_terms = Keyword()
    name_start = Keyword()
    name_length = Integer()
    producer_terms = Keyword()
    province = Keyword()
    province_name = Keyword()
    commune = Keyword()
    legacy_province = Keyword()
    legacy_province_name = Keyword()
    legacy_district = Keyword()
    place_keys = Keyword()
    group = Keyword()
    subgroup = Keyword()
    stars = Integer()
    certified = Boolean()
    standards = Keyword()
    min_price = Long()
    max_price = Long()
    in_stock = Boolean()
    season_months = Integer()
    legal_form = Keyword()
    published_at = Date()
    # Card fields: returned with hits, never searched.
    url_path = Keyword(index=False)
    place_name = Keyword(index=False)
    image_id = Integer(index=False)
    certificate_status = Keyword(index=False)
    # Buyers' reviews (search.records): the exact average is filtered and sorted on; the total is for cards.
    rating_average = Double()
    rating_count = Integer()
    rating_total = Integer(index=False)

    class Index:
        name = "ocop-products"  # replaced by settings.ELASTICSEARCH_INDEX (an alias) at run time
        settings = {"number_of_shards": 1, "number_of_replicas": 0}  # replaced by index_settings() when created


def document_source(record) -> dict:
    """The indexed JSON of a record (plain dicts: building Document objects costs a third of a
    reindex)."""
    data = record.as_dict()
    data.pop("story")
    data["title_folded"] = " ".join(record.title_words)
    data["folded"] = " ".join(record.words)
    if data["published_at"]:
        data["published_at"] = data["published_at"].isoformat()
    return data


class ProvinceFacet(TermsFacet):
    """Counts by today's province; a selected slug may be today's or a legacy province's."""

    def add_filter(self, filter_values):
        return Q("terms", place_keys=province_keys(filter_values)) if filter_values else None


class ProductSearch(FacetedSearch):
    fields = ["title_folded", "folded"]  # unused: `query` below scores as the database does
    facets = {
        "tinh": ProvinceFacet(field="province", size=100),
        "sao": TermsFacet(field="stars", size=len(STARS)),
        "nhom": TermsFacet(field="group", size=50),
        "tieu-chuan": TermsFacet(field="standards", size=50),
        "gia": RangeFacet(field="min_price", ranges=[(key, bounds) for key, bounds in PRICE_BANDS.items()]),
        "mua-vu": TermsFacet(field="season_months", size=12),
        # "At least N stars from buyers": nested ranges (N to 5), so several ticked mean the lowest.
        "danh-gia": RangeFacet(field="rating_average", ranges=[(str(n), (n, None)) for n in RATINGS]),
    }

    def __init__(self, params, *, month, **kwargs):
        self.params = params
        self.month = month
        self.index = settings.ELASTICSEARCH_INDEX
        self.using = CONNECTION
        filters = {
            "tinh": params.provinces,
            "sao": params.stars,
            "nhom": params.groups,
            "tieu-chuan": params.standards,
            "gia": params.prices,
            "mua-vu": [month] if params.in_season else [],
            "danh-gia": [str(n) for n in params.ratings],
        }
        super().__init__(" ".join(params.words), {k: v for k, v in filters.items() if v}, sort=self.sort_spec())

    def sort_spec(self):
        tie = {"id": {"order": "asc"}}
        stars = {"stars": {"order": "desc", "missing": "_last"}}
        return {
            "relevance": ["_score", {"name_length": {"order": "asc"}}, stars, tie] if self.params.terms
            else [stars, tie],
            "stars": [stars, tie],
            "price_asc": [{"min_price": {"order": "asc", "missing": "_last"}}, tie],
            "price_desc": [{"min_price": {"order": "desc", "missing": "_last"}}, tie],
            "newest": [{"published_at": {"order": "desc", "missing": "_last"}}, tie],
            "rating": [{"rating_average": {"order": "desc", "missing": "_last"}},
                       {"rating_count": {"order": "desc", "missing": "_last"}}, stars, tie],
        }[self.params.sort]

    def search(self):
        search = super().search().source(list(CARD_FIELDS)).extra(track_total_hits=True)
        if self.params.place:  # made there, or naming the place
            place = self.params.place
            search = search.filter(Q("bool", minimum_should_match=1, should=[
                Q("terms", place_keys=list(place.keys)),
                Q("bool", filter=[Q("term", words=word) for word in place.words]),
            ]))
        return search

    def request_body(self, start, size) -> dict:
        """The request FacetedSearch built (query, post-filters, facet aggregations, sort), one page."""
        return self._s[start:start + size].to_dict()

    def highlight(self, search):
        return search  # matches are marked in Python, from the folded words, for both backends alike

    def query(self, search, query):
        terms = self.params.terms
        if not terms:
            return search
        return search.query(Q("bool", filter=[term_filter(term) for term in terms], should=relevance(terms)))


def term_filter(term):
    """The product has this term: a folded word, or the exact key of a word typed with diacritics."""
    return Q("term", exact=term) if is_exact(term) else Q("term", words=term)


def relevance(terms) -> list:
    """The database backend's `relevance` as scoring clauses: constant scores, so the sum is exact and
    both backends order alike (each term its best place: name, producer, elsewhere; plus the start)."""
    def scored(query, boost):
        return Q("constant_score", filter=query, boost=boost)

    start = scored(Q("bool", filter=[Q("term", name_start=f"{i}:{term}") for i, term in enumerate(terms)]), NAME_START)
    return [start] + [
        Q("dis_max", queries=[scored(Q("term", name_terms=term), NAME),
                              scored(Q("term", producer_terms=term), PRODUCER),
                              scored(term_filter(term), ELSEWHERE)])
        for term in terms
    ]


RESPONSE_FIELDS = ["hits.total.value", "hits.hits._source", "aggregations.*.*.buckets.key",
                   "aggregations.*.*.buckets.doc_count"]


def search(params, *, month, page_size) -> RawResult:
    """FacetedSearch builds the request; the client sends it and the JSON is read directly, trimmed
    by `filter_path` (wrapping the response in elasticsearch-dsl's objects cost as much as the
    round trip). Each facet's buckets sit under FacetedSearch's "_filter_<facet>" aggregation."""
    start = (params.page - 1) * page_size
    body = ProductSearch(params, month=month).request_body(start, page_size)
    response = client().search(index=settings.ELASTICSEARCH_INDEX, body=body, filter_path=RESPONSE_FIELDS)
    aggregations = response.get("aggregations", {})
    counts = {
        facet: {str(bucket["key"]): bucket["doc_count"] for bucket in aggregations.get(f"_filter_{facet}", {}).get(
            facet, {}).get("buckets", []) if bucket["doc_count"]}
        for facet in ProductSearch.facets
    }
    # Only "in season this month" is offered, whatever other months the aggregation saw.
    counts["mua-vu"] = {k: v for k, v in counts["mua-vu"].items() if k == str(month)}
    hits = [{name: hit["_source"].get(name) for name in CARD_FIELDS} for hit in response.get("hits", {}).get("hits", [])]
    return RawResult(hits=hits, total=response["hits"]["total"]["value"], counts=counts)


SUGGESTION_FIELDS = ["id", "title", "url_path", "producer"]


def suggestion_body(words, limit) -> dict:
    """The database backend's `suggest`, in the engine: every word a word of the product, the last a
    word's beginning (a term of the prefix index); a title that matches so scores 1, others 0; then
    stars and id, as the database's rank."""
    def matching(whole_field, prefix_field):
        return [Q("term", **{whole_field: word}) for word in words[:-1]] + [Q("prefix", **{prefix_field: words[-1]})]

    title = Q("constant_score", filter=Q("bool", filter=matching("title_words", "title_folded")), boost=1)
    return Search().query(Q("bool", filter=matching("words", "folded"), should=[title])).sort(
        "_score", {"stars": {"order": "desc", "missing": "_last"}}, {"id": {"order": "asc"}},
    ).source(SUGGESTION_FIELDS).extra(size=limit, track_total_hits=False).to_dict()


def suggest(words, limit) -> list[dict]:
    response = client().search(index=settings.ELASTICSEARCH_INDEX, body=suggestion_body(words, limit),
                               filter_path=["hits.hits._source"])
    return [{name: hit["_source"].get(name) for name in SUGGESTION_FIELDS}
            for hit in response.get("hits", {}).get("hits", [])]
