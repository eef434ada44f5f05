"""Verified reviews where buyers look: `{% card_rating product as rating %}` on product cards (from the
count and total kept on the product by `catalog.ratings`: no query), `{% product_reviews page as
reviews %}` on a product page (its published reviews, the average and the JSON-LD parts),
`{% producer_rating page as rating %}` on a producer page, and `{% order_reviews order as reviews %}`
on the order page (which lines to link)."""

from types import SimpleNamespace

from django import template
from django.utils.translation import gettext as _

from shop import reviews
from shop.models import ReviewReport
from shop.return_views import is_buyer

register = template.Library()

JSON_LD_REVIEWS = 5  # the newest published reviews written into the product's JSON-LD


def _pk(product):
    return getattr(product, "pk", None) or getattr(product, "id", None)  # a page, or a search hit


def _known(context) -> tuple[dict, set]:
    """The ratings read for this request ({product id: Rating or None}), and the producers all of
    whose reviewed products are among them."""
    request = context.get("request")
    if request is None:
        return {}, set()
    if not hasattr(request, "_review_ratings"):
        request._review_ratings, request._review_producers = {}, set()
    return request._review_ratings, request._review_producers


@register.simple_tag(takes_context=True)
def card_rating(context, product):
    """The product's published rating (`shop.reviews.Rating`), or None: from its `review_count` and
    `review_stars_total` (a page, or a search hit from an index that has them). Otherwise cards of one
    grid share one query: on the first card, the ratings of every product in the context's `products`
    are read and kept on the request."""
    count = getattr(product, "review_count", None)
    if count is not None:
        return reviews.Rating(count, product.review_stars_total) if count else None
    pk = _pk(product)
    known, whole_producers = _known(context)
    if pk not in known and getattr(product, "producer_id", None) in whole_producers:
        return None  # `producer_rating` read every reviewed product of this producer: not this one
    if pk not in known:
        wanted = {_pk(item) for item in (context.get("products") or [])} | {pk}
        wanted = {item for item in wanted if item is not None} - known.keys()
        found = reviews.ratings(wanted)
        known.update({item: found.get(item) for item in wanted})
    return known.get(pk)


@register.simple_tag(takes_context=True)
def product_reviews(context, product):
    """{"rating": Rating or None, "items": the newest published reviews, "json_ld": the
    `aggregateRating` and `review` of the product's JSON-LD (empty without published reviews),
    "reasons": the report reasons}. Kept on the product: the head and the body share one fetch."""
    cached = getattr(product, "_reviews_cache", None)
    if cached is None:
        items = reviews.published(product.pk)
        if len(items) < reviews.SHOWN_ON_PAGE:  # all of them: counted here, no second query
            rating = reviews.combined([reviews.Rating(1, item.rating) for item in items])
        else:
            rating = reviews.ratings([product.pk]).get(product.pk)
        cached = SimpleNamespace(rating=rating, items=items, json_ld=_json_ld(rating, items),
                                 reasons=ReviewReport.Reason.choices)
        product._reviews_cache = cached
    return cached


def _json_ld(rating, items) -> dict:
    if rating is None:
        return {}
    bounds = {"bestRating": 5, "worstRating": 1}
    return {
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": rating.average,
                            "reviewCount": rating.count, **bounds},
        "review": [{
            "@type": "Review",
            "author": {"@type": "Person", "name": item.display_name or _("Người mua")},
            "datePublished": item.created_at.date().isoformat(),
            "reviewBody": item.text,
            "reviewRating": {"@type": "Rating", "ratingValue": item.rating, **bounds},
        } for item in items[:JSON_LD_REVIEWS]],
    }


@register.simple_tag(takes_context=True)
def producer_rating(context, producer):
    """The producer's rating over all its products' published reviews, or None. The per-product
    ratings it reads serve the cards of the producer's grid too (no second query)."""
    per_product = reviews.producer_ratings(producer.pk)
    known, whole_producers = _known(context)
    known.update(per_product)
    whole_producers.add(producer.pk)
    return reviews.combined(per_product.values())


@register.simple_tag(takes_context=True)
def order_reviews(context, order):
    """{"write": line ids that may be reviewed now, "done": line ids already reviewed}; nothing for
    staff reading someone's order (only the buyer writes: `shop.review_views`)."""
    request = context.get("request")
    if request is None or not is_buyer(request, order):
        return {"write": set(), "done": set()}
    return reviews.order_states(order)


@register.filter
def review_stars(rating):
    """★ for each star of `rating` (1–5), ☆ for the rest: "★★★★☆"."""
    try:
        count = max(0, min(int(rating or 0), 5))
    except (TypeError, ValueError):
        return ""
    return "★" * count + "☆" * (5 - count)
