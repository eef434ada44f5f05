"""Cached pages for visitors who are not signed in, invalidated by what they show.

Which pages: the views named in settings.PAGE_CACHE_VIEWS (Wagtail pages, product listings,
province and group pages, the figures), for GET requests of visitors who are not signed in and
have no flash message waiting. A page that must not be shared says so with `Cache-Control:
private` (a campaign page counts every view). The cache is Django's (Redis in production, so
every web process shares it).

What a cached page never carries: a visitor's CSRF token (the form fields are emptied in the
stored copy) or cart (pages rendered for the cache leave the badge empty); `js/visitor.js` asks
`shop:visitor` for both after the page loads.

Invalidation by tags: while a page renders, templates say what it shows (`{% page_shows "product"
42 %}`), and every cached page carries the tag "site". A change bumps its tags' invalidation time
after the transaction commits (`storefront.signals`); a stored page is used only if it was
rendered after every one of its tags was last bumped. Time-bound changes (a campaign starting or
ending, certificates expiring at midnight) bound how long a page is kept instead.
"""

import datetime
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re

from wagtail.models import Page

from catalog.models import ProducerPage, ProductPage
from shop.promotions.models import CampaignPage

KEY_PREFIX = "page:"
TAG_PREFIX = "page-tag:"
BOUNDARY_KEY = "page-cache-boundary"
MAX_QUERY_CHARS = 300
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def cacheable(request) -> bool:
    """Could this request be answered with (and stored as) a page shared by every visitor?"""
    match = request.resolver_match
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and match is not None and match.view_name in settings.PAGE_CACHE_VIEWS
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_CHARS
        and "messages" not in request.COOKIES  # a flash message waits for this visitor
        and not request.user.is_authenticated
    )


def page_key(request) -> str:
    return f"{KEY_PREFIX}{request.get_host()}{request.get_full_path()}"


def tag(request, name: str) -> None:
    """Note that the page being rendered shows `name` (e.g. "product:42")."""
    tags = getattr(request, "page_cache_tags", None)
    if tags is not None:
        tags.add(name)


def tags_of(*parts) -> list[str]:
    """The tags of what a template shows: a product (card or page) is its own and its producer's;
    a Wagtail page its own; plain words are joined ("producer", 3 → "producer:3")."""
    if len(parts) == 1 and not isinstance(parts[0], str):
        obj = parts[0]
        if isinstance(obj, ProductPage) or hasattr(obj, "producer_name"):  # a page or a search hit
            tags = [f"product:{obj.pk if hasattr(obj, 'pk') else obj.id}"]
            if getattr(obj, "producer_id", None):
                tags.append(f"producer:{obj.producer_id}")
            return tags + ([f"page:{obj.pk}"] if isinstance(obj, Page) else [])
        if isinstance(obj, ProducerPage):
            return [f"producer:{obj.pk}", f"page:{obj.pk}"]
        if isinstance(obj, Page):
            return [f"page:{obj.pk}"]
    return [":".join(str(part) for part in parts)]


def invalidate(*tags) -> None:
    """Pages showing any of `tags` are stale: now, and again when the current transaction commits
    (a page rendered meanwhile, from the data before the commit, must not outlive it)."""
    keys = [TAG_PREFIX + str(t) for t in set(tags)]
    if keys and enabled():
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys))


def _bump(keys) -> None:
    cache.set_many({key: time.time() for key in keys}, None)


# --- Serving and storing --------------------------------------------------------------------------

def fetch(request):
    """The stored page for this request if none of its tags changed since it was rendered, else None."""
    entry = cache.get(page_key(request))
    if entry is None:
        return None
    bumped = cache.get_many([TAG_PREFIX + t for t in entry["tags"]])
    # Rendered after every invalidation of its tags, by more than the clocks of two machines may
    # be apart (PAGE_CACHE_CLOCK_MARGIN), so a page rendered before a change never passes for newer.
    margin = settings.PAGE_CACHE_CLOCK_MARGIN
    if any(at + margin > entry["rendered_at"] for at in bumped.values()):
        return None
    response = HttpResponse(entry["content"], status=200)
    for header, value in entry["headers"].items():
        response[header] = value
    response["X-Page-Cache"] = "hit"
    return response


def store(request, response, rendered_at: float) -> None:
    """Keep a visitor-neutral copy of a shareable response (CSRF tokens emptied)."""
    if not _shareable(response):
        return
    seconds = lifetime()
    if seconds <= 0:
        return
    headers = {h: response[h] for h in ("Content-Type", "Content-Language") if h in response}
    content = _CSRF_VALUE.sub(rb"\1\2", response.content)
    tags = sorted(getattr(request, "page_cache_tags", set()) | {"site"})
    cache.set(page_key(request), {"content": content, "headers": headers, "tags": tags,
                                  "rendered_at": rendered_at}, seconds)
    response["X-Page-Cache"] = "miss"


def _shareable(response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    control = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not control & {"private", "no-store", "no-cache"}


# --- How long a page may be kept ---------------------------------------------------------------

def lifetime(now=None) -> int:
    """Seconds a page rendered now may be kept: PAGE_CACHE_SECONDS, but never past local midnight
    (certificates expire then) nor past the next start or end of a live campaign."""
    now = now or timezone.now()
    limits = [settings.PAGE_CACHE_SECONDS, (next_midnight(now) - now).total_seconds()]
    boundary = next_campaign_boundary(now)
    if boundary is not None:
        limits.append((boundary - now).total_seconds())
    return int(min(limits))


def next_midnight(now) -> datetime.datetime:
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def next_campaign_boundary(now):
    """The next moment a live campaign starts or ends (cached for a minute, forgotten on publish)."""
    boundary = cache.get(BOUNDARY_KEY, "unknown")
    if boundary == "unknown" or (boundary is not None and boundary <= now):
        live = CampaignPage.objects.live()
        upcoming = [live.filter(starts_at__gt=now).order_by("starts_at").values_list("starts_at", flat=True).first(),
                    live.filter(ends_at__gt=now).order_by("ends_at").values_list("ends_at", flat=True).first()]
        boundary = min((moment for moment in upcoming if moment is not None), default=None)
        cache.set(BOUNDARY_KEY, boundary, 60)
    return boundary


def forget_campaign_boundary() -> None:
    cache.delete(BOUNDARY_KEY)


class PageCacheMiddleware:
    """Answer shareable requests from the cache, and keep what they render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        started = getattr(request, "page_cache_started", None)
        if started is not None:
            store(request, response, started)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not cacheable(request):
            return None
        request.renders_for_cache = True  # the cart badge stays empty: visitor.js fills it
        cached = fetch(request)
        if cached is not None:
            return cached
        request.page_cache_tags = set()
        request.page_cache_started = time.time()
        return None
