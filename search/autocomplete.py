"""Suggestions while typing: products, producers and places, matched without diacritics.

Products come from the index made for prefixes (`suggest_products`: the engine's prefix terms or the
database's `SearchWord`). Producers and places are short lists kept by each process with their words
sorted, so a typed beginning is a bisection rather than a scan of every name per keystroke.
"""

import bisect
import uuid
from functools import lru_cache

from django.core.cache import cache
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from catalog.models import LegacyProvince, ProducerPage, Province
from search.hits import page_url
from search.records import words_of
from search.service import suggest_products

LIMIT = 5


class Names:
    """Names to match while typing, in the order shown, each with what a match shows: every typed word
    must be the beginning of a word of the name, in any order."""

    def __init__(self, entries):
        self.shown = [shown for _name, shown in entries]
        words = sorted((word, i) for i, (name, _shown) in enumerate(entries) for word in set(words_of(name)))
        self.words, self.owners = [word for word, _i in words], [i for _word, i in words]

    def matching(self, typed: list[str], limit: int) -> list:
        found = None
        for word in typed:  # folded words are [a-z0-9]+, so "~" sorts after every word starting with `word`
            start, end = bisect.bisect_left(self.words, word), bisect.bisect_left(self.words, word + "~")
            found = set(self.owners[start:end]) if found is None else found & set(self.owners[start:end])
            if not found:
                return []
        return [self.shown[i] for i in sorted(found)[:limit]]


def producer_names() -> Names:
    """Live producers by title. A token in the shared cache says when to read them again (after five
    minutes, as before, or once the cache is cleared), so the names are not unpickled per keystroke."""
    return _producer_names(cache.get_or_set("autocomplete-producers", lambda: uuid.uuid4().hex, 300))


@lru_cache(maxsize=1)
def _producer_names(token):
    live = ProducerPage.objects.live().order_by("title").values_list("title", "url_path")
    return Names([(title, (title, url_path)) for title, url_path in live])


def places() -> Names:
    """Today's and legacy provinces; reference data, so read once per process and language."""
    return _places(get_language(), get_script_prefix())


@lru_cache(maxsize=8)
def _places(language, prefix):
    return Names(
        [(p.short_name, (p.name, reverse("catalog:province", args=[p.slug]))) for p in Province.objects.all()] + [
            (p.short_name, (_("%(name)s (cũ)") % {"name": p.name}, reverse("catalog:province", args=[p.slug])))
            for p in LegacyProvince.objects.exclude(slug__in=Province.objects.values("slug"))
        ]
    )


def suggest(query: str) -> list[dict]:
    words = words_of(query)[:8]
    if not words or len(query.strip()) < 2:
        return []
    hits, _backend = suggest_products(words, LIMIT)
    roots, prefix = Site.get_site_root_paths(), reverse("wagtail_serve", args=("",))
    results = [
        {"type": "product", "label": hit["title"], "url": page_url(hit["url_path"], roots, prefix),
         "detail": hit["producer"]}
        for hit in hits
    ]
    results += [{"type": "producer", "label": title, "url": page_url(url_path, roots, prefix), "detail": ""}
                for title, url_path in producer_names().matching(words, LIMIT)]
    results += [{"type": "place", "label": label, "url": url, "detail": ""}
                for label, url in places().matching(words, LIMIT)]
    return results
