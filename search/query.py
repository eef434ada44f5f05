"""From the query string to a `SearchParams`: bounded, folded, with unknown values noted, not fatal."""

from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from django.utils.translation import gettext as _

from catalog.models import LegacyDistrict, LegacyProvince, ProductGroup, Province, Standard
from catalog.validators import parse_id
from search.records import words_of
from search.terms import terms_of

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
PAGE_SIZE = 24
# Sorts as they appear in URLs (Vietnamese, like every other parameter) → the backends' names.
SORT_KEYS = {
    "lien-quan": "relevance",
    "nhieu-sao": "stars",
    "gia-tang": "price_asc",
    "gia-giam": "price_desc",
    "moi-nhat": "newest",
    "danh-gia": "rating",  # buyers' reviews: best average, then most reviews; unreviewed last
}
MAX_PAGE = 10_000  # a bound on the page parameter; pages past the end show the last one, with a note
# Elasticsearch serves no hit past `index.max_result_window` (from + size ≤ 10,000, set on our index from
# this); the search stops both backends at the same last page, so they show the same pages.
RESULT_WINDOW = 10_000
# Price bands in đồng: key → (from, to) with `to` exclusive; None is open.
PRICE_BANDS = {
    "duoi-100k": (None, 100_000),
    "100k-300k": (100_000, 300_000),
    "300k-1tr": (300_000, 1_000_000),
    "tren-1tr": (1_000_000, None),
}
# Buyers' rating filter (`danh-gia`, not the OCOP stars of `sao`): products whose reviews average at least N.
RATINGS = (5, 4, 3)


@dataclass(frozen=True)
class Place:
    """A place named in the query: its label and the record place keys that match it."""

    label: str
    keys: tuple[str, ...]
    words: tuple[str, ...] = ()


@dataclass
class SearchParams:
    text: str = ""
    words: list[str] = field(default_factory=list)  # folded, for highlights and "did you mean"
    # What each word matches (search.terms): its exact key when typed with diacritics, else `words`.
    terms: list[str] = field(default_factory=list)
    place: Place | None = None
    provinces: list[str] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    prices: list[str] = field(default_factory=list)
    in_season: bool = False
    ratings: list[int] = field(default_factory=list)  # several: the lowest counts (at least N)
    sort: str = "relevance"
    page: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> str:
        return next(key for key, name in SORT_KEYS.items() if name == self.sort)


@lru_cache(maxsize=1)
def place_names() -> dict[tuple[str, ...], Place]:
    """Folded place names → Place: today's and legacy provinces, and legacy districts of 2+ words."""
    places: dict[tuple[str, ...], list] = {}

    def add(name, label, key):
        words = tuple(words_of(name))
        if words:
            entry = places.setdefault(words, [label, []])
            entry[1].append(key)

    for province in Province.objects.all():
        add(province.short_name, province.name, f"p:{province.slug}")
    for legacy in LegacyProvince.objects.all():
        add(legacy.short_name, legacy.name, f"lp:{legacy.slug}")
    for district in LegacyDistrict.objects.select_related("legacy_province"):
        if len(words_of(district.short_name)) >= 2:
            add(district.short_name, f"{district.name}, {district.legacy_province.short_name}", f"ld:{district.code}")
    return {words: Place(label, tuple(keys), words) for words, (label, keys) in places.items()}


def find_place(words: list[str], items: list | None = None) -> tuple[Place | None, list]:
    """The longest place name inside the (folded) words, and the words without it (or the `items`
    matching them one for one)."""
    names = place_names()
    items = words if items is None else items
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            place = names.get(tuple(words[start:start + size]))
            if place:
                return place, items[:start] + items[start + size:]
    return None, items


def known_slugs() -> dict[str, set[str]]:
    """Valid filter values (today's and legacy provinces, groups, standards), cached briefly."""
    known = cache.get("search-known-slugs")
    if known is None:
        known = {
            "provinces": set(Province.objects.values_list("slug", flat=True))
            | set(LegacyProvince.objects.values_list("slug", flat=True)),
            "groups": set(ProductGroup.objects.values_list("slug", flat=True)),
            "standards": set(Standard.objects.values_list("slug", flat=True)),
        }
        cache.set("search-known-slugs", known, 300)
    return known


def _choices(values, allowed, label, notes):
    chosen = []
    for value in values:
        if value in allowed:
            if value not in chosen:
                chosen.append(value)
        else:
            notes.append(_("Bỏ qua %(label)s không hợp lệ: “%(value)s”.") % {"label": label, "value": value[:40]})
    return chosen


def parse(query) -> SearchParams:
    """Read a QueryDict into SearchParams; never raises on user input: bad values become notes."""
    params = SearchParams()
    text = " ".join((query.get("q") or "").split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        params.notes.append(_("Câu tìm kiếm quá dài nên chỉ dùng %(n)s ký tự đầu.") % {"n": MAX_QUERY_CHARS})
    params.text = text
    pairs = terms_of(text)[:MAX_QUERY_WORDS]
    words = [folded for folded, _key in pairs]
    params.place, kept = find_place(words, pairs)
    params.words, params.terms = [folded for folded, _key in kept], [key for _folded, key in kept]

    known = known_slugs()
    getlist = query.getlist
    params.provinces = _choices(getlist("tinh"), known["provinces"], _("tỉnh"), params.notes)
    params.stars = [int(s) for s in _choices(getlist("sao"), {"3", "4", "5"}, _("hạng sao"), params.notes)]
    params.groups = _choices(getlist("nhom"), known["groups"], _("nhóm"), params.notes)
    params.standards = _choices(getlist("tieu-chuan"), known["standards"], _("tiêu chuẩn"), params.notes)
    params.prices = _choices(getlist("gia"), set(PRICE_BANDS), _("khoảng giá"), params.notes)
    params.in_season = query.get("mua-vu") == "1"
    params.ratings = [int(n) for n in _choices(getlist("danh-gia"), {str(n) for n in RATINGS},
                                               _("mức đánh giá"), params.notes)]
    default_sort = "relevance" if params.words else "stars"
    sort = query.get("sap-xep") or ""
    if sort and sort not in SORT_KEYS:
        params.notes.append(_("Bỏ qua cách sắp xếp không hợp lệ."))
    params.sort = SORT_KEYS.get(sort, default_sort)
    page = query.get("trang") or "1"
    if (number := parse_id(page)) is not None:
        params.page = min(number, MAX_PAGE)  # past the end: the search shows the last page, with a note
    else:
        params.notes.append(_("Số trang “%(page)s” không hợp lệ; đang hiện trang 1.") % {"page": page[:20]})
    if text and not words:
        params.notes.append(_("Câu tìm kiếm không có chữ hay số nào để tìm; đang hiện mọi sản phẩm."))
    return params
