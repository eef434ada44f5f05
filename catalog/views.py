"""Listing pages built from data rather than hand-made pages: all products, provinces, groups."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.listing import filter_products, paginate
from catalog.models import LegacyProvince, ProducerPage, ProductGroup, ProductPage, Province, TradeFair


def published():
    return ProductPage.objects.live().with_current_stars()


def product_list(request):
    products, filters = filter_products(request, published())
    return render(request, "catalog/product_list.html", {
        "page_title": _("Tất cả sản phẩm OCOP"),
        "products": paginate(request, products.for_listing()),
        "filters": filters,
    })


def province_list(request):
    provinces = Province.objects.annotate(
        producer_count=Count("producers", filter=Q(producers__live=True), distinct=True),
    ).prefetch_related("legacy_provinces").order_by("short_name")
    return render(request, "catalog/province_list.html", {"provinces": provinces})


def province_detail(request, slug):
    """A province under its current name, or a legacy province (before 7/2025) under its old one.

    The legacy URL shows the products of the old province with a note naming today's province;
    trade fairs are those of today's province either way.
    """
    province = Province.objects.filter(slug=slug).first()
    legacy = None
    if province is None:
        legacy = get_object_or_404(LegacyProvince.objects.select_related("current_province"), slug=slug)
        province = legacy.current_province
        products = published().filter(producer__legacy_province=legacy)
        producers = ProducerPage.objects.live().filter(legacy_province=legacy)
    else:
        products = published().filter(producer__province=province)
        producers = ProducerPage.objects.live().filter(province=province)
    products, filters = filter_products(request, products)
    return render(request, "catalog/province_detail.html", {
        "province": province,
        "legacy": legacy,
        "legacy_names": province.legacy_provinces.all(),
        "producers": producers.for_listing().order_by("title"),
        "products": paginate(request, products.for_listing()),
        "filters": filters,
        "fairs": TradeFair.objects.upcoming(timezone.localdate()).filter(province=province).for_listing(),
    })


def group_detail(request, slug):
    group = get_object_or_404(ProductGroup.objects.prefetch_related("subgroups"), slug=slug)
    products = published().filter(group=group)
    subgroup = None
    if subgroup_slug := request.GET.get("phan-nhom"):
        subgroup = next((s for s in group.subgroups.all() if s.slug == subgroup_slug), None)
        if subgroup is None:
            raise Http404(_("Không có phân nhóm này."))
        products = products.filter(subgroup=subgroup)
    products, filters = filter_products(request, products)
    return render(request, "catalog/group_detail.html", {
        "group": group,
        "subgroup": subgroup,
        "products": paginate(request, products.for_listing()),
        "filters": filters,
    })
