from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from catalog.models import ProductGroup

NAV_CACHE_KEY = "nav-groups"

# Header and product-page actions that light up once the app serving them has its URLs.
ROUTES = {
    "search": "search:results",
    "autocomplete": "search:autocomplete",
    "cart": "shop:cart",
    "cart_add": "shop:cart_add",
    "visitor": "shop:visitor",
}


def _route(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def navigation(request):
    """Product groups for the header menu (cached: every page shows them) and the shop's routes."""
    groups = cache.get(NAV_CACHE_KEY)
    if groups is None:
        groups = [(g.name, g.name_en, g.slug) for g in ProductGroup.objects.all()]
        cache.set(NAV_CACHE_KEY, groups, 3600)
    return {
        # reverse() per request, so /en/ pages link to /en/ URLs.
        "nav_groups": [(name, name_en, reverse("catalog:group", args=[slug])) for name, name_en, slug in groups],
        "routes": {key: _route(name) for key, name in ROUTES.items()},
    }


def forget_navigation():
    cache.delete(NAV_CACHE_KEY)
