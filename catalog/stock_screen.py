"""The stock screen in the admin ("Tồn kho"): people count the packs on the shelf and set them
here, through `catalog.inventory`. Producers' members see their own producers' packs, officers
their provinces', national admins every pack. A submission is saved whole or not at all.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.admin import messages

from catalog import inventory, roles
from catalog.models import ProductVariant
from catalog.text import grouped
from catalog.validators import parse_id

MAX_STOCK = 1_000_000
PER_PAGE = 50


def variants_for(user):
    variants = ProductVariant.objects.select_related("product", "product__producer").order_by(
        "product__title", "sort_order", "pk")
    return roles.scoped(variants, user, "product__producer")


def can_manage_stock(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user) or bool(roles.member_producer_ids(user))


def parse_stock(raw) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(_("Tồn kho phải là số nguyên.")) from None
    if not 0 <= value <= MAX_STOCK:
        raise ValueError(_("Tồn kho phải từ 0 đến %(max)s.") % {"max": grouped(MAX_STOCK)})
    return value


def stock_view(request):
    if not can_manage_stock(request.user):
        raise PermissionDenied
    variants = variants_for(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        variants = variants.filter(Q(product__title__icontains=query) | Q(sku__icontains=query))
    errors = {}
    if request.method == "POST":
        posted = {parse_id(key[6:]): raw for key, raw in request.POST.items() if key.startswith("stock-")}
        posted.pop(None, None)  # not an id
        own = {v.pk: v for v in variants_for(request.user).filter(pk__in=list(posted))}
        changes = {}
        for pk, raw in posted.items():
            variant = own.get(pk)
            if variant is None:
                raise PermissionDenied  # not one of this user's packs
            try:
                value = parse_stock(raw)
            except ValueError as error:
                errors[variant.pk] = str(error)
                continue
            if value != variant.stock:
                changes[variant.pk] = value
        if errors:
            messages.error(request, _("Chưa lưu: có %(count)s ô tồn kho không hợp lệ.") % {"count": len(errors)})
        else:
            inventory.set_stock(changes)
            messages.success(request, _("Đã lưu tồn kho của %(count)s quy cách.") % {"count": len(changes)})
            return redirect(request.get_full_path())
    page = Paginator(variants, PER_PAGE).get_page(request.GET.get("p"))
    posted = request.POST if errors else {}
    rows = [(v, posted.get(f"stock-{v.pk}", v.stock), errors.get(v.pk, "")) for v in page]
    return render(request, "catalog/admin/stock.html", {"page": page, "rows": rows, "query": query})
