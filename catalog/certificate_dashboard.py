"""Where each province's certificates stand: expiring within the warning window, or already
expired (the product has lost its stars), scoped to what the user looks after."""

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from catalog import roles
from catalog.models import Certificate, ProductPage, Province


def expiring(user, today=None, days=None):
    """Current certificates (no later valid one replaces them) expiring within `days`."""
    today = today or timezone.localdate()
    days = settings.OCOP_CERTIFICATE_WARNING_DAYS if days is None else days
    renewed = Certificate.objects.valid_on(today).filter(product=OuterRef("product"), expires_on__gt=OuterRef("expires_on"))
    certificates = Certificate.objects.expiring_within(days, today).exclude(Exists(renewed))
    return roles.scoped(certificates, user, "product__producer").select_related(
        "product", "product__producer__province").order_by("expires_on")


def expired(user, today=None):
    """Products with a certificate history but none valid today, newest loss first."""
    today = today or timezone.localdate()
    valid = Certificate.objects.valid_on(today).filter(product=OuterRef("pk"))
    products = ProductPage.objects.filter(certificates__isnull=False).exclude(Exists(valid)).annotate(
        last_expiry=Max("certificates__expires_on"))
    return roles.scoped(products, user, "producer").select_related("producer__province").order_by("-last_expiry")


def by_province(user, today=None):
    """Per province in scope: how many certificates expire soon and how many products have lapsed."""
    today = today or timezone.localdate()
    soon = dict(expiring(user, today).values("product__producer__province").annotate(n=Count("pk")).values_list(
        "product__producer__province", "n"))
    lapsed = dict(expired(user, today).order_by().values("producer__province").annotate(
        n=Count("pk", distinct=True)).values_list("producer__province", "n"))
    provinces = Province.objects.filter(Q(pk__in=soon) | Q(pk__in=lapsed)).order_by("name")
    return [{"province": p, "expiring": soon.get(p.pk, 0), "expired": lapsed.get(p.pk, 0)} for p in provinces]
