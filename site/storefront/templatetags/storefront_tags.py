"""Site-wide template helpers: canonical and alternate URLs, absolute URLs, query strings, paging."""

import re

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import translate_url
from django.utils.translation import get_language, get_language_from_path, override

from catalog.templatetags.catalog_tags import json_ld_script
from storefront import page_cache

register = template.Library()

PAGE_PARAM = "trang"


def _page_number(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 1 else None


@register.simple_tag(takes_context=True)
def canonical_url(context, page_obj=None, keep=""):
    """The absolute URL of this page without its query string, but for `?trang=N` when N > 1.

    Pass the Django `Page` being shown (`{% canonical_url products %}`) so a page number past
    the end names the page really shown; without it the `trang` parameter is read as given.
    `keep="phan-nhom"` (comma-separated names) keeps parameters that select distinct content.
    """
    request = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(request.path)
    params = QueryDict(mutable=True)
    for name in filter(None, (part.strip() for part in keep.split(","))):
        if request.GET.get(name):
            params[name] = request.GET[name]
    number = _page_number(page_obj.number if page_obj is not None else request.GET.get(PAGE_PARAM))
    if number:
        params[PAGE_PARAM] = str(number)
    return f"{url}?{params.urlencode()}" if params else url


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` made absolute against the current request (unchanged if it already is)."""
    request = context.get("request")
    if not url or request is None:
        return url or ""
    return request.build_absolute_uri(url)


def translate_path(url: str, language: str) -> str:
    """`url` (a path, with or without query) as it reads in `language`: /tinh/x/ ↔ /en/tinh/x/.

    Django's `translate_url` only resolves a path in the active language, so the language the
    path is written in (its prefix, or the default language) is activated first. A path that
    cannot be resolved comes back unchanged.
    """
    source = get_language_from_path(url.split("?", 1)[0]) or settings.LANGUAGE_CODE
    with override(source):
        return translate_url(url, language)


@register.filter
def in_current_language(url):
    """A site path rewritten for the active language (links cached in another language)."""
    if not url or not str(url).startswith("/"):
        return url
    return translate_path(str(url), get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def alternate_urls(context):
    """[(language code, absolute URL of this page in that language)], for hreflang links.

    Usage: `{% alternate_urls as alternates %}`.
    """
    request = context.get("request")
    if request is None:
        return []
    return [
        (code, request.build_absolute_uri(translate_path(request.path, code)))
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def language_switch_next(context):
    """This page's path and query in the default language, as `next` for Django's `set_language`.

    `set_language` runs at /i18n/setlang/, outside `i18n_patterns`, so it always runs in the
    default language and translates `next` from there: given the default-language path it
    redirects to the right page in either language, whereas an /en/… path would be read by
    Wagtail's catch-all pattern as a page path and come out as /en/en/….
    """
    request = context.get("request")
    if request is None:
        return "/"
    return translate_path(request.get_full_path(), settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def query(context, *pairs):
    """The current query string with parameters set or removed: `{% query "sao" 4 "trang" None %}`.

    Arguments come in (name, value) pairs; a value of None or "" removes the parameter. Changing
    any parameter but `trang` also drops `trang`, so a new filter starts on its first page.
    Returns "?…" or, when nothing is left, the bare path.
    """
    request = context.get("request")
    if request is None:
        return ""
    params = request.GET.copy()
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("query takes (name, value) pairs")
    names = pairs[0::2]
    if PAGE_PARAM not in names:
        params.pop(PAGE_PARAM, None)
    for name, value in zip(names, pairs[1::2]):
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    if PAGE_PARAM in params and _page_number(params[PAGE_PARAM]) is None:
        params.pop(PAGE_PARAM)  # page 1 is the bare URL
    for name in [name for name, values in params.lists() if not any(values)]:
        params.pop(name)  # "?sao=" from an emptied filter says nothing
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.simple_tag
def elided_pages(page_obj, on_each_side=2, on_ends=1):
    """Page numbers around the current one, None for each gap: `{% elided_pages products as pages %}`."""
    return [
        number if isinstance(number, int) else None
        for number in page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]


@register.filter(is_safe=True)
def squish(value):
    """Whitespace runs collapsed to one space and the ends trimmed (for titles and meta tags)."""
    return re.sub(r"\s+", " ", str(value)).strip()


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """schema.org `WebSite` for the home page (name, URL, language)."""
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": request.build_absolute_uri(request.path) if request is not None else "/",
        "inLanguage": get_language() or settings.LANGUAGE_CODE,
    }
    return json_ld_script(data)


@register.simple_tag(takes_context=True)
def page_shows(context, *parts):
    """Note, for the page cache, something this page shows: `{% page_shows "fairs" %}`,
    `{% page_shows "producer" producer.pk %}`, `{% page_shows page %}` (a Wagtail page). Renders nothing."""
    request = context.get("request")
    if request is not None:
        for tag in page_cache.tags_of(*parts):
            page_cache.tag(request, tag)
    return ""


@register.simple_tag(takes_context=True)
def page_shows_products(context, products):
    """`{% page_shows_products products %}`: a grid of cards, for the page cache (renders nothing)."""
    request = context.get("request")
    if request is not None and getattr(request, "page_cache_tags", None) is not None:
        for product in products:
            for tag in page_cache.tags_of(product):
                page_cache.tag(request, tag)
        page_cache.tag(request, "listing")
    return ""
