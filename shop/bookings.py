"""Bookings: community-tourism packs (a homestay night, a half-day tour; OCOP group 6) sold for a
date and a number of guests, with places per date instead of stock.

The only code that moves places. A date's places live in one `BookingSlot` row per (pack, date),
created race-safely when first needed; taking places is a conditional UPDATE (`booked + guests <=
capacity`), taken in (pack, date) order inside the order's transaction, so concurrent buyers can
never overbook a date and cannot deadlock. Cancelling an order gives them back (`give_back`,
called where `catalog.inventory.give_back` is). A date's capacity is the pack's `capacity_per_date`
unless its producer set another for that date (`set_capacity`; 0 closes it).

The host's check of a booking: each booked line has a signed URL (`check_url`), drawn as a QR code
on the order page and in the order e-mail, beside a short code to read out (`OrderLine.booking_code`).
"""

import datetime
import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.inventory import stock_changed
from catalog.models import ProductVariant
from shop.models import MAX_LINE_QUANTITY, BookingSlot, CartLine, OrderLine

DAYS_SHOWN = 14  # the product page lists the next two weeks
MAX_DAYS_AHEAD = 365
CHECK_SALT = "shop.booking-check"


class BookingError(Exception):
    """A date has fewer places (`left`) than the guests asked. Raised inside the caller's
    transaction, which rolls back."""

    def __init__(self, variant_id: int, date: datetime.date, left: int):
        super().__init__(f"variant {variant_id} on {date}: {left} places left")
        self.variant_id, self.date, self.left = variant_id, date, left


def is_bookable(variant) -> bool:
    return variant.product.is_bookable


def first_date(today=None) -> datetime.date:
    """Bookings start tomorrow: hosts need a day to prepare."""
    return (today or timezone.localdate()) + datetime.timedelta(days=1)


def show_date(date) -> str:
    return formats.date_format(date, "d/m/Y")


def parse_date(raw, today=None) -> datetime.date:
    """The date a buyer chose, or ValueError with a message for them."""
    try:
        date = datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise ValueError(_("Hãy chọn ngày đặt chỗ.")) from None
    first = first_date(today)
    if date < first:
        raise ValueError(_("Chỉ đặt được từ ngày %(date)s trở đi.") % {"date": show_date(first)})
    if date > first + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValueError(_("Chỉ đặt được trước tối đa một năm."))
    return date


def parse_guests(raw) -> int:
    try:
        guests = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValueError(_("Số khách phải là một số nguyên.")) from None
    if guests < 1:
        raise ValueError(_("Số khách phải từ 1 trở lên."))
    if guests > MAX_LINE_QUANTITY:
        raise ValueError(_("Mỗi lần đặt tối đa %(max)s khách.") % {"max": MAX_LINE_QUANTITY})
    return guests


# --- Places ---------------------------------------------------------------------------------------

def places_left(variant, dates) -> dict[datetime.date, int]:
    """{date: places left} for one pack (one query)."""
    default = variant.capacity_per_date or 0
    left = {date: default for date in dates}
    for slot in BookingSlot.objects.filter(variant=variant, date__in=list(dates)):
        capacity = slot.capacity if slot.is_override else default
        left[slot.date] = max(capacity - slot.booked, 0)
    return left


def upcoming(variant, today=None, days=DAYS_SHOWN) -> list[tuple[datetime.date, int]]:
    """The next `days` dates from tomorrow with their places left, for the product page."""
    first = first_date(today)
    dates = [first + datetime.timedelta(days=n) for n in range(days)]
    left = places_left(variant, dates)
    return [(date, left[date]) for date in dates]


def _slot(variant_id: int, date, default: int) -> BookingSlot:
    """The (pack, date) row, created if missing: a concurrent creator's IntegrityError means the
    row now exists, so read it (the savepoint keeps the caller's transaction usable)."""
    try:
        return BookingSlot.objects.get_or_create(variant_id=variant_id, date=date, defaults={"capacity": default})[0]
    except IntegrityError:
        return BookingSlot.objects.get(variant_id=variant_id, date=date)


@dataclass(frozen=True)
class Booking:
    variant_id: int
    date: datetime.date
    guests: int


def take(bookings) -> None:
    """Take every booking's places or none (BookingError; the caller's transaction rolls back)."""
    wanted: dict[tuple[int, datetime.date], int] = {}
    for booking in bookings:
        key = (booking.variant_id, booking.date)
        wanted[key] = wanted.get(key, 0) + booking.guests
    defaults = dict(ProductVariant.objects.filter(pk__in={v for v, _d in wanted}).values_list("pk", "capacity_per_date"))
    with transaction.atomic():
        for (variant_id, date), guests in sorted(wanted.items()):
            default = defaults.get(variant_id) or 0
            slot = _slot(variant_id, date, default)
            rows = BookingSlot.objects.filter(pk=slot.pk)
            # Follow the pack's current capacity unless the producer set this date's own.
            rows.filter(is_override=False).exclude(capacity=default).update(capacity=default)
            if not rows.filter(booked__lte=F("capacity") - guests).update(booked=F("booked") + guests):
                current = rows.values("capacity", "booked").first()
                raise BookingError(variant_id, date, max(current["capacity"] - current["booked"], 0))
        _announce({variant_id for variant_id, _date in wanted})


def give_back(bookings) -> None:
    """Put places back (a cancelled order's bookings), never below zero."""
    with transaction.atomic():
        for booking in sorted(bookings, key=lambda b: (b.variant_id, b.date)):
            BookingSlot.objects.filter(variant_id=booking.variant_id, date=booking.date).update(
                booked=Greatest(F("booked") - booking.guests, 0))
        _announce({booking.variant_id for booking in bookings})


def set_capacity(variant, date, capacity: int | None) -> BookingSlot | None:
    """The producer's own capacity for one date (0 closes it; None: back to the pack's default)."""
    default = variant.capacity_per_date or 0
    with transaction.atomic():
        slot = _slot(variant.pk, date, default)
        if capacity is None:
            BookingSlot.objects.filter(pk=slot.pk).update(capacity=default, is_override=False)
        else:
            BookingSlot.objects.filter(pk=slot.pk).update(capacity=capacity, is_override=True)
        _announce({variant.pk})
    slot.refresh_from_db()
    return slot


def _announce(variant_ids) -> None:
    """After commit, tell the catalogue's listeners that these products' places moved: their
    cached pages show places left (`stock_changed`, with no change of "in stock" for the index)."""
    product_ids = sorted(set(ProductVariant.objects.filter(pk__in=variant_ids).values_list("product_id", flat=True)))
    transaction.on_commit(lambda: stock_changed.send(sender=BookingSlot, product_ids=product_ids,
                                                     availability_changed=[]))


# --- The cart -------------------------------------------------------------------------------------

def label(variant, date) -> str:
    return f"{variant.product.title} – {variant.name} ({show_date(date)})"


def too_few(variant, date, left: int) -> str:
    if left < 1:
        return _("“%(name)s” ngày %(date)s đã hết chỗ; vui lòng chọn ngày khác.") % {
            "name": f"{variant.product.title} – {variant.name}", "date": show_date(date)}
    return _("“%(name)s” ngày %(date)s chỉ còn %(left)s chỗ; vui lòng giảm số khách hoặc chọn ngày khác.") % {
        "name": f"{variant.product.title} – {variant.name}", "date": show_date(date), "left": left}


def add_to_cart(cart, variant, date, guests: int) -> str:
    """Put a booking in the cart (the same pack and date add up); never more guests than places."""
    left = places_left(variant, [date])[date]
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant, booking_date=date).first()
        wanted = (line.quantity if line else 0) + guests
        if wanted > left:
            raise ValueError(too_few(variant, date, left))
        if line:
            line.quantity, line.price_seen = wanted, variant.price
            line.save(update_fields=["quantity", "price_seen"])
        else:
            CartLine.objects.create(cart=cart, variant=variant, booking_date=date, quantity=guests,
                                    price_seen=variant.price)
        cart.save(update_fields=["updated_at"])
    return _("Đã thêm đặt chỗ “%(name)s” cho %(guests)s khách vào giỏ hàng.") % {
        "name": label(variant, date), "guests": guests}


def check_line(line, today=None) -> tuple[int, str]:
    """A booking line as it can be ordered now: (guests, what changed or ''); 0 guests: drop it."""
    if line.booking_date < first_date(today):
        return 0, _("Ngày %(date)s của “%(name)s” đã qua nên đặt chỗ đã được bỏ khỏi giỏ.") % {
            "date": show_date(line.booking_date), "name": line.variant.product.title}
    left = places_left(line.variant, [line.booking_date])[line.booking_date]
    if line.quantity > left:
        return left, too_few(line.variant, line.booking_date, left)
    return line.quantity, ""


# --- The host's check -----------------------------------------------------------------------------

def check_token(line) -> str:
    return signing.Signer(salt=CHECK_SALT).sign(str(line.pk))


def line_id_from_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=CHECK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def check_url(line) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("shop_bookings:check", args=[check_token(line)])


def qr_svg(url: str) -> str:
    """The check URL as an inline SVG QR code (for a template, marked safe by the caller)."""
    drawing = segno.make_qr(url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=_("Mã QR kiểm tra đặt chỗ"), svgclass="booking-qr")
    return drawing.replace("<svg ", '<svg role="img" ', 1)


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make_qr(url, error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def booked_lines(order):
    """The order's booking lines, each with its check URL, QR code and code (order page, e-mail)."""
    lines = list(OrderLine.objects.filter(suborder__order=order, booking_date__isnull=False)
                 .select_related("suborder__order", "suborder__producer"))
    for line in lines:
        line.check_url = check_url(line)
        line.qr_svg = mark_safe(qr_svg(line.check_url))
    return lines
