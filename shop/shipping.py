"""Delivery fees: per parcel (each producer ships its own), by destination zone and weight.

Rates are rows editors keep in the admin (`ShippingZone`, `ShippingRate`); `seed_shipping_rates`
writes a sensible default table. Orders whose goods cost at least SHOP_FREE_SHIPPING_OVER đồng
ship free.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from catalog.models import Province
from shop.models import ShippingRate, ShippingZone


class NoRate(Exception):
    pass


CACHE_KEY = "shipping-table"


def rate_table() -> dict:
    """{"zones": {province id: zone id}, "default": zone id, "rates": {(zone, method): [(up to g,
    fee, per extra kg)]}}, cached for five minutes (every order reads it; editors rarely change it)
    and forgotten when a zone or rate is saved (`shop.signals`)."""
    table = cache.get(CACHE_KEY)
    if table is None:
        zones = {}
        default = None
        for zone_id, province_id in ShippingZone.objects.values_list("pk", "provinces"):
            if province_id is None:
                default = default or zone_id
            else:
                zones[province_id] = zone_id
        rates = {}
        for zone_id, method, grams, fee, extra in ShippingRate.objects.order_by("up_to_grams").values_list(
            "zone_id", "method", "up_to_grams", "fee", "per_extra_kg"
        ):
            rates.setdefault((zone_id, method), []).append((grams, fee, extra))
        table = {"zones": zones, "default": default, "rates": rates}
        cache.set(CACHE_KEY, table, 300)
    return table


def forget_rate_table():
    cache.delete(CACHE_KEY)


def parcel_fee(province, method, weight_grams: int) -> int:
    """The fee of one parcel: the lightest bracket that holds it, or the heaviest plus every started
    kilogram above it."""
    table = rate_table()
    zone = table["zones"].get(getattr(province, "pk", province), table["default"])
    if zone is None:
        raise NoRate(_("Chưa có biểu phí giao hàng; vui lòng liên hệ cửa hàng."))
    rates = table["rates"].get((zone, method))
    if not rates:
        raise NoRate(_("Cách giao này chưa có biểu phí cho địa chỉ của bạn."))
    for up_to_grams, fee, _extra in rates:
        if weight_grams <= up_to_grams:
            return fee
    up_to_grams, fee, per_extra_kg = rates[-1]
    extra_kg = -(-(weight_grams - up_to_grams) // 1000)  # started kilograms
    return fee + extra_kg * per_extra_kg


@dataclass
class Parcel:
    """What one producer ships: its lines, their weight and the fee."""

    producer: object
    lines: list
    weight_grams: int
    fee: int

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)


def parcels(lines, province, method) -> list[Parcel]:
    """The order's lines as one parcel per producer, each with its fee (none over the free-shipping
    threshold). Lines need `producer`, `weight_grams`, `quantity` and `total`. Raises NoRate.
    Bookings (lines with `is_booking`: stays, tours) ship nothing: a producer's part with only
    bookings has no fee, and only goods count towards the threshold."""
    by_producer = {}
    for line in lines:
        by_producer.setdefault(line.producer, []).append(line)
    free = is_free_shipping(sum(line.total for line in lines if not getattr(line, "is_booking", False)))
    result = []
    for producer, producer_lines in by_producer.items():
        goods = [line for line in producer_lines if not getattr(line, "is_booking", False)]
        weight = sum(line.weight_grams * line.quantity for line in goods)
        fee = 0 if free or not goods else parcel_fee(province, method, weight)
        result.append(Parcel(producer, producer_lines, weight, fee))
    return result


def is_free_shipping(subtotal: int) -> bool:
    threshold = settings.SHOP_FREE_SHIPPING_OVER
    return bool(threshold) and subtotal >= threshold


DEFAULT_RATES = {
    # zone name, province slugs (empty: every other province): {method: [(up to g, fee, per extra kg)]}
    ("Thành phố trực thuộc trung ương", ("ha-noi", "ho-chi-minh", "hai-phong", "da-nang", "can-tho", "hue")): {
        "tieu-chuan": [(1000, 22_000, 0), (3000, 30_000, 0), (5000, 38_000, 0), (10_000, 55_000, 5_000)],
        "nhanh": [(1000, 35_000, 0), (3000, 45_000, 0), (5000, 58_000, 0), (10_000, 80_000, 8_000)],
    },
    ("Các tỉnh khác", ()): {
        "tieu-chuan": [(1000, 30_000, 0), (3000, 40_000, 0), (5000, 50_000, 0), (10_000, 70_000, 7_000)],
        "nhanh": [(1000, 45_000, 0), (3000, 60_000, 0), (5000, 75_000, 0), (10_000, 100_000, 10_000)],
    },
}


def seed_shipping_rates() -> int:
    """Write the default zones and rates if there are none (idempotent). Returns rates created."""
    if ShippingRate.objects.exists():
        return 0
    created = 0
    for (name, slugs), methods in DEFAULT_RATES.items():
        zone = ShippingZone.objects.create(name=name)
        zone.provinces.set(Province.objects.filter(slug__in=slugs))
        for method, brackets in methods.items():
            ShippingRate.objects.bulk_create([
                ShippingRate(zone=zone, method=method, up_to_grams=grams, fee=fee, per_extra_kg=extra)
                for grams, fee, extra in brackets
            ])
            created += len(brackets)
    return created
