"""Suggestions while typing: products, producers and places, matched without diacritics."""

from functools import lru_cache

from django.core.cache import cache
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import LegacyProvince, ProducerPage, Province
from search.service import raw_search
from search.hits import page_url
from search.query import SearchParams
from search.records import words_of

LIMIT = 5


def _starts_words(name: str, words: list[str]) -> bool:
    """Every typed word is the beginning of a word of the name, in any order."""
    name_words = words_of(name)
    return all(any(n.startswith(w) for n in name_words) for w in words)


def producer_titles():
    """(pk, title) of live producers, cached briefly: typing sends a request per keystroke."""
    titles = cache.get("autocomplete-producers")
    if titles is None:
        titles = list(ProducerPage.objects.live().order_by("title").values_list("pk", "title"))
        cache.set("autocomplete-producers", titles, 300)
    return titles


def places():
    """(short name to match, label, url) for today's and legacy provinces; reference data, so
    read once per process and language rather than on every keystroke."""
    return _places(get_language(), get_script_prefix())


@lru_cache(maxsize=8)
def _places(language, prefix):
    return [(p.short_name, p.name, reverse("catalog:province", args=[p.slug])) for p in Province.objects.all()] + [
        (p.short_name, _("%(name)s (cũ)") % {"name": p.name}, reverse("catalog:province", args=[p.slug]))
        for p in LegacyProvince.objects.exclude(slug__in=Province.objects.values("slug"))
    ]


def suggest(query: str) -> list[dict]:
    words = words_of(query)[:8]
    if not words or len(query.strip()) < 2:
        return []
    params = SearchParams(text=query, words=words, prefix_last=True, sort="relevance")
    raw, _backend = raw_search(params, timezone.localdate().month)
    found = raw.hits[:LIMIT * 2]
    # Products whose own name matches what was typed come before those matched by their story.
    found.sort(key=lambda hit: not _starts_words(hit["title"], words))
    results = [
        {"type": "product", "label": hit["title"], "url": page_url(hit["url_path"]), "detail": hit["producer"]}
        for hit in found[:LIMIT]
    ]
    matching = [pk for pk, title in producer_titles() if _starts_words(title, words)][:LIMIT]
    for producer in ProducerPage.objects.filter(pk__in=matching).order_by("title"):
        results.append({"type": "producer", "label": producer.title, "url": producer.url, "detail": ""})
    found_places = [(label, url) for name, label, url in places() if _starts_words(name, words)][:LIMIT]
    results += [{"type": "place", "label": label, "url": url, "detail": ""} for label, url in found_places]
    return results
