"""The HTTP benchmark's URLconf (`bench.settings_bench`): the site's URLs plus the floor view.

The floor, `/__bench_floor__/`, answers with the bytes of the home page, captured once per
process (the first call renders `/` in-process through the whole stack) and then returned as
they are. It goes through the same middleware as every page (sessions, locale, CSRF, security
headers, the page cache's checks…), so `page p50 / floor p50` is what the page itself costs on
top of the server, the network, the middleware and sending that many bytes.

`QueryCountMiddleware` (first in MIDDLEWARE) puts the number of SQL queries a request ran in the
`X-Bench-Queries` response header.
"""

import threading

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from storefront.urls import urlpatterns as site_urlpatterns

_captured: dict[str, tuple[bytes, str]] = {}
_lock = threading.Lock()


def _capture(host: str) -> tuple[bytes, str]:
    # A full in-process request: the same bytes a visitor gets.
    from django.test import Client

    response = Client(HTTP_HOST=host).get("/")
    return response.content, response.get("Content-Type", "text/html; charset=utf-8")


def floor_view(request):
    with _lock:
        if "home" not in _captured:
            _captured["home"] = _capture(request.get_host())
    content, content_type = _captured["home"]
    return HttpResponse(content, content_type=content_type)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response


# i18n_patterns must sit in the root URLconf, so the site's list is extended, not included.
urlpatterns = [path("__bench_floor__/", floor_view, name="bench_floor"), *site_urlpatterns]
