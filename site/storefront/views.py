from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from storefront.figures import all_figures


def robots_txt(request):
    """Keep crawlers out of the admin and point them at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def figures(request):
    """Public OCOP figures: charts with their tables, computed in a fixed number of queries and
    cached for ten minutes (`storefront.figures.all_figures`)."""
    return render(request, "storefront/figures.html", {"figures": all_figures()})


def csrf_failure(request, reason=""):
    """A form sent without a valid token (usually a page left open too long, or one shared from the
    page cache before its script filled the token in): say so in the visitor's language, and offer
    the way back, instead of Django's technical page."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)
