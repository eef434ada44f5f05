"""The one search function the site calls: Elasticsearch when configured and up, else the database.

Both backends answer the same `SearchParams` with the same `RawResult`; this module turns that into
what pages show (products in order, labelled facets, highlights, notes) and falls back to the
database, with a logged warning, when Elasticsearch fails.
"""

import difflib
import html
import logging
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import ProductGroup, Province, Standard
from catalog.text import grouped
from search.backends import database, elastic
from search.backends.common import STARS
from search.hits import GroupName, product_hits
from search.index import elasticsearch_enabled
from search.models import SearchRecord
from search.query import PAGE_SIZE, RATINGS, RESULT_WINDOW, SearchParams
from search.terms import TOKEN, terms_of

log = logging.getLogger(__name__)

PRICE_LABELS = {  # labels for PRICE_BANDS
    "duoi-100k": gettext_lazy("Dưới 100.000 ₫"),
    "100k-300k": gettext_lazy("100.000 – 300.000 ₫"),
    "300k-1tr": gettext_lazy("300.000 – 1.000.000 ₫"),
    "tren-1tr": gettext_lazy("Trên 1.000.000 ₫"),
}
# Buyers' ratings (`danh-gia`), told apart from the OCOP stars (`sao`) in the facet and in its chip.
RATING_LABELS = {5: gettext_lazy("Chỉ 5★"), 4: gettext_lazy("Từ 4★ trở lên"), 3: gettext_lazy("Từ 3★ trở lên")}
RATING_CHIPS = {5: gettext_lazy("Người mua chấm 5★"), 4: gettext_lazy("Người mua chấm từ 4★"), 3: gettext_lazy("Người mua chấm từ 3★")}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    options: list[FacetOption]


@dataclass
class SearchResult:
    params: SearchParams
    products: list
    total: int
    page: int
    num_pages: int
    facets: list[Facet]
    backend: str
    notes: list[str] = field(default_factory=list)
    close_matches: list[str] = field(default_factory=list)

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


def vocabulary():
    """Facet values to count, cached: they are reference data."""
    vocab = cache.get("search-vocab")
    if vocab is None:
        vocab = (
            list(Province.objects.values_list("slug", "short_name")),
            list(ProductGroup.objects.values_list("slug", "name", "name_en")),
            list(Standard.objects.values_list("slug", "name")),
        )
        cache.set("search-vocab", vocab, 3600)
    return vocab


def answer(ask, backend: str | None = None):
    """(`ask(backend module)`, backend name). Elasticsearch when configured, falling back to the
    database if it fails; `backend` forces one (benchmarks, parity tests)."""
    if backend == "elasticsearch" or (backend is None and elasticsearch_enabled()):
        try:
            return ask(elastic), "elasticsearch"
        except Exception as error:  # noqa: BLE001 - any engine failure means: answer from the database
            if backend:
                raise
            log.warning("Elasticsearch search failed, answering from the database: %s", error)
    return ask(database), "database"


def raw_search(params: SearchParams, month: int, backend: str | None = None):
    """(RawResult, backend name) of one page of `params`."""
    return answer(lambda engine: engine.search(params, month=month, page_size=PAGE_SIZE), backend)


def suggest_products(words: list[str], limit: int, backend: str | None = None):
    """(hits, backend name): the best `limit` products for folded `words` being typed (the backends' `suggest`)."""
    return answer(lambda engine: engine.suggest(words, limit), backend)


def highlight(text: str, words: list[str], prefix_last: bool = False) -> str:
    """`text`, escaped, with the words the query matched wrapped in <mark>: a folded query word marks
    every word that folds to it, an exact one (typed with diacritics, search.terms) only that word;
    with `prefix_last`, the last query word marks the words it begins."""
    if not words:
        return html.escape(text)
    whole, beginning = set(words[:-1] if prefix_last else words), words[-1] if prefix_last else None
    parts, last = [], 0
    for match in TOKEN.finditer(text):
        pairs = terms_of(match.group())
        if not any(folded in whole or key in whole or (beginning and folded.startswith(beginning))
                   for folded, key in pairs):
            continue
        start, end = match.span()
        parts += [html.escape(text[last:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        last = end
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def close_matches(params: SearchParams) -> list[str]:
    """Known words near the query's unknown ones, for the empty state ("did you mean")."""
    known = cache.get("search-words")
    if known is None:
        known = sorted({w for line in SearchRecord.objects.values_list("title_words", flat=True) for w in line.split()})
        cache.set("search-words", known, 600)
    suggestions = []
    for word in params.words:
        if word not in known:
            suggestions += difflib.get_close_matches(word, known, n=2, cutoff=0.75)
    return suggestions[:5]


def search_products(params: SearchParams, backend: str | None = None) -> SearchResult:
    """One page of results. Pages stop where Elasticsearch's result window ends, for both backends
    alike, so a deep page is never a failed request answered from the database instead."""
    month = timezone.localdate().month
    requested, last_servable = params.page, RESULT_WINDOW // PAGE_SIZE
    params.page = min(requested, last_servable)
    raw, used = raw_search(params, month, backend)
    pages = max(1, math.ceil(raw.total / PAGE_SIZE))
    num_pages = min(pages, last_servable)
    if requested > pages:
        params.notes.append(_("Trang %(page)s không có; đang hiện trang cuối.") % {"page": requested})
    if params.page > num_pages:
        params.page = num_pages
        raw, used = raw_search(params, month, backend)
    if params.page == num_pages < pages:
        params.notes.append(_("Chỉ hiện được %(count)s kết quả đầu; hãy thêm bộ lọc để thu hẹp.")
                            % {"count": grouped(RESULT_WINDOW)})
    vocab = vocabulary()
    products = product_hits(raw.hits, {slug: GroupName(name, name_en) for slug, name, name_en in vocab[1]})
    for product in products:
        product.highlighted_title = mark_safe(highlight(product.title, params.terms))
    result = SearchResult(
        params=params, products=products, total=raw.total, page=params.page, num_pages=num_pages,
        facets=build_facets(params, raw.counts, month, vocab), backend=used, notes=params.notes,
    )
    if not raw.total and params.words:
        result.close_matches = close_matches(params)
    return result


def build_facets(params, counts, month, vocab) -> list[Facet]:
    provinces, groups, standards = vocab
    english = (get_language() or "").startswith("en")
    groups = [(slug, (name_en if english and name_en else name)) for slug, name, name_en in groups]

    def options(key, choices, selected):
        found = counts.get(key, {})
        return [
            FacetOption(value, label, found.get(value, 0), value in selected)
            for value, label in choices
            if found.get(value, 0) or value in selected
        ]

    facets = [
        Facet("sao", _("Hạng sao OCOP"), options("sao", [(str(s), _("%(stars)s sao") % {"stars": s}) for s in STARS],
                                                 [str(s) for s in params.stars])),
        Facet("danh-gia", _("Đánh giá của người mua"), options(
            "danh-gia", [(str(n), str(RATING_LABELS[n])) for n in RATINGS], [str(n) for n in params.ratings])),
        Facet("tinh", _("Tỉnh/thành phố"), sorted(options("tinh", provinces, params.provinces),
                                                  key=lambda o: (-o.count, o.label))),
        Facet("nhom", _("Nhóm sản phẩm"), options("nhom", groups, params.groups)),
        Facet("tieu-chuan", _("Tiêu chuẩn"), options("tieu-chuan", standards, params.standards)),
        Facet("gia", _("Khoảng giá"), options("gia", list(PRICE_LABELS.items()), params.prices)),
        Facet("mua-vu", _("Mùa vụ"), [
            option for option in [FacetOption(
                "1", _("Đang vào mùa (tháng %(month)s)") % {"month": month},
                counts.get("mua-vu", {}).get(str(month), 0), params.in_season,
            )] if option.count or option.selected
        ]),
    ]
    return [facet for facet in facets if facet.options]
