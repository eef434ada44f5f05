from django.core.cache import cache

from catalog.models import ProductGroup


def navigation(request):
    """Product groups for the header menu; cached, since every page shows them."""
    groups = cache.get("nav-groups")
    if groups is None:
        groups = [(g.name, g.name_en, g.get_absolute_url()) for g in ProductGroup.objects.all()]
        cache.set("nav-groups", groups, 300)
    return {"nav_groups": groups}
