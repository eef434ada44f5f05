"""Search pages: parse the query string, call the search, render. All state lives in the URL."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from catalog.models import LegacyProvince, Province
from search.service import RATING_CHIPS, search_products
from search.autocomplete import suggest
from search.query import parse


def active_filters(request, params, facets):
    """Chips for the selected filters, each with the URL that removes it."""
    labels = {(f.key, o.value): o.label for f in facets for o in f.options}
    province_names = dict(Province.objects.filter(slug__in=params.provinces).values_list("slug", "name"))
    province_names |= {
        slug: _("%(name)s (cũ)") % {"name": name}
        for slug, name in LegacyProvince.objects.filter(slug__in=params.provinces).values_list("slug", "name")
        if slug not in province_names
    }
    chips = []
    labels |= {("danh-gia", str(n)): str(label) for n, label in RATING_CHIPS.items()}  # not the OCOP stars
    for key in ("tinh", "sao", "nhom", "tieu-chuan", "gia", "mua-vu", "danh-gia"):
        for value in request.GET.getlist(key):
            label = province_names.get(value) if key == "tinh" else labels.get((key, value))
            if label:
                chips.append({"label": label, "url": url_without(request, key, value)})
    return chips


def url_without(request, key, value):
    pairs = [(k, v) for k in request.GET for v in request.GET.getlist(k) if not (k == key and v == value) and k != "trang"]
    return "?" + urlencode(pairs) if pairs else "?"


def results(request):
    params = parse(request.GET)
    result = search_products(params)
    return render(request, "search/results.html", {
        "result": result,
        "search_query": params.text,
        "chips": active_filters(request, params, result.facets),
    })


def autocomplete(request):
    query = (request.GET.get("q") or "")[:100]
    return JsonResponse({"query": query, "results": suggest(query)})
