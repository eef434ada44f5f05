"""Returns on the order page: each parcel's requests, and whether one can be opened now
(`shop.returns.refusal`: delivered, inside its return window, none open already)."""

from django import template

from shop import returns

register = template.Library()


@register.simple_tag
def parcel_returns(suborder) -> dict:
    """{"requests": the parcel's requests, newest first; "can_open": bool; "ends": end of its window}."""
    return {"requests": list(suborder.return_requests.all()), "can_open": not returns.refusal(suborder),
            "ends": returns.window_ends(suborder)}
