"""Suggestions while typing: products, producers and places, matched without diacritics."""

from django.core.cache import cache
from django.urls import reverse

from catalog.models import LegacyProvince, ProducerPage, Province
from search.api import search_products
from search.query import SearchParams
from search.records import words_of

LIMIT = 5


def producer_titles():
    """(pk, title) of live producers, cached briefly: typing sends a request per keystroke."""
    titles = cache.get("autocomplete-producers")
    if titles is None:
        titles = list(ProducerPage.objects.live().order_by("title").values_list("pk", "title"))
        cache.set("autocomplete-producers", titles, 300)
    return titles


def _starts_words(name: str, words: list[str]) -> bool:
    """Every typed word is the beginning of a word of the name, in any order."""
    name_words = words_of(name)
    return all(any(n.startswith(w) for n in name_words) for w in words)


def suggest(query: str) -> list[dict]:
    words = words_of(query)[:8]
    if not words or len(query.strip()) < 2:
        return []
    results = []
    found = search_products(SearchParams(text=query, words=words, prefix_last=True, sort="relevance"))
    for product in found.products[:LIMIT]:
        results.append({"type": "product", "label": product.title, "url": product.url,
                        "detail": product.producer.title if product.producer else ""})
    matching = [pk for pk, title in producer_titles() if _starts_words(title, words)][:LIMIT]
    for producer in ProducerPage.objects.filter(pk__in=matching).order_by("title"):
        results.append({"type": "producer", "label": producer.title, "url": producer.url, "detail": ""})
    places = [(p.name, reverse("catalog:province", args=[p.slug])) for p in Province.objects.all()]
    places += [(f"{p.name} (cũ)", reverse("catalog:province", args=[p.slug])) for p in LegacyProvince.objects.all()]
    for label, url in places:
        if _starts_words(label.replace("(cũ)", ""), words):
            results.append({"type": "place", "label": label, "url": url, "detail": ""})
    return results[: LIMIT * 3]
