"""Tags for bookable products (stays, tours) on the catalogue's product page: the next dates of a
pack with their places left (`shop.bookings`)."""

from django import template

from shop import bookings

register = template.Library()


@register.simple_tag
def booking_dates(variant):
    """[(date, places left)] for the next two weeks, from tomorrow."""
    return bookings.upcoming(variant)
