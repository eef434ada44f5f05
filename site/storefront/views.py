from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

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
