"""The sitemap: Wagtail's pages (home, producers, products) plus the data-built listing pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from catalog.models import LegacyProvince, ProductGroup, Province


class ListingSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return (
            ["catalog:product_list", "catalog:province_list"]
            + list(Province.objects.filter(producers__live=True).distinct())
            + list(LegacyProvince.objects.filter(producers__live=True).distinct())
            + list(ProductGroup.objects.all())
        )

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


sitemaps = {"pages": WagtailSitemap, "listings": ListingSitemap}
