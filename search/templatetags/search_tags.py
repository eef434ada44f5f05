"""Helpers for the search page: page numbers, the "clear filters" link, "did you mean" queries."""

import difflib

from django import template
from django.core.paginator import Paginator
from django.http import QueryDict

from catalog.text import fold

register = template.Library()

FILTER_KEYS = ("tinh", "sao", "nhom", "tieu-chuan", "gia", "mua-vu", "danh-gia")


@register.simple_tag
def search_pages(page, num_pages, on_each_side=2, on_ends=1):
    """Page numbers around `page`, None for each gap: `{% search_pages result.page result.num_pages as pages %}`."""
    try:
        page, num_pages = int(page), max(1, int(num_pages))
    except (TypeError, ValueError):
        return [1]
    paginator = Paginator(range(num_pages), 1)
    return [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(
            min(max(page, 1), num_pages), on_each_side=on_each_side, on_ends=on_ends
        )
    ]


@register.simple_tag(takes_context=True)
def without_filters(context):
    """The current search with every filter and the page number dropped; `q` and `sap-xep` stay."""
    request = context.get("request")
    if request is None:
        return "?"
    params = QueryDict(mutable=True)
    for name in ("q", "sap-xep"):
        value = request.GET.get(name)
        if value:
            params[name] = value
    return "?" + params.urlencode()


@register.simple_tag
def corrected_query(text, suggestion):
    """`text` with the word closest to `suggestion` replaced by it: ("vai thiue", "thieu") → "vai thieu".

    Words are compared without diacritics; if no word is close enough the suggestion stands alone.
    """
    tokens = str(text or "").split()
    best, best_ratio = None, 0.6
    for index, token in enumerate(tokens):
        ratio = difflib.SequenceMatcher(None, fold(token), suggestion).ratio()
        if ratio > best_ratio:
            best, best_ratio = index, ratio
    if best is None:
        return suggestion
    tokens[best] = suggestion
    return " ".join(tokens)


@register.filter
def any_selected(options):
    """True when one of these facet options is selected (to open a collapsed "more" list)."""
    return any(getattr(option, "selected", False) for option in options or ())


@register.simple_tag
def unlisted_filters(result):
    """[(key, value)] of valid selected filters that have no checkbox among the facets.

    The facet form must send them back, or ticking another box would silently drop them
    (a legacy province chosen from a link, for example, is not among the province options).
    """
    params = result.params
    selected = {
        "tinh": list(params.provinces),
        "sao": [str(s) for s in params.stars],
        "nhom": list(params.groups),
        "tieu-chuan": list(params.standards),
        "gia": list(params.prices),
        "mua-vu": ["1"] if params.in_season else [],
        "danh-gia": [str(n) for n in params.ratings],
    }
    listed = {(facet.key, option.value) for facet in result.facets for option in facet.options}
    return [(key, value) for key in FILTER_KEYS for value in selected[key] if (key, value) not in listed]


@register.simple_tag(takes_context=True)
def get_param(context, name):
    """One query-string value as given (names like `sap-xep` cannot be read with dots)."""
    request = context.get("request")
    return request.GET.get(name, "") if request is not None else ""


@register.filter
def shown_options(options):
    """Facet options worth a checkbox: those that would find something, and those already ticked."""
    return [option for option in options or () if option.count or option.selected]


@register.filter
def any_shown(facets):
    """True when at least one facet has an option worth a checkbox (see `shown_options`)."""
    return any(shown_options(facet.options) for facet in facets or ())
