"""Buyers' ratings of products: the count and the star total of a product's published reviews, kept
on the product (`ProductPage.review_count`, `review_stars_total`) so that cards, listings and the
search index read them without the catalogue or search importing the shop.

The shop counts (`shop.reviews`, from its reviews) and this module stores: with `update()`, never a
page save, so no revision is written and nothing a producer has in draft gets published; revisions
keep the two fields (`ProductPage.with_content_json`). After the transaction commits, the products
whose figures changed are announced with `ratings_changed`; the index and the page cache listen.

The models import `catalog.listing`, which uses this module, so it imports no models at the top.
"""

from django.db import transaction
from django.db.models import Case, F, FloatField, When
from django.db.models.functions import Cast
from django.dispatch import Signal

MAX_STARS = 5

# Sent after commit with `product_ids`: products whose published-review count or total changed.
ratings_changed = Signal()


def lock(product_ids) -> None:
    """Hold these products' rows until the transaction ends (inside one: `select_for_update`). Count
    the reviews after this: two moderators publishing reviews of one product at the same moment then
    count one after the other, and neither stores a count that misses the other's review."""
    from catalog.models import ProductPage

    ids = sorted({pk for pk in product_ids if pk is not None})
    if ids:
        list(ProductPage.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
             .values_list("pk", flat=True))


def store(product_id: int, count: int, total: int) -> bool:
    """Write a product's published-review `count` and star `total` (each review 1–5 stars); True if
    they changed, and then `ratings_changed` is sent after commit."""
    if count < 0 or not count <= total <= MAX_STARS * count:
        raise ValueError(f"product {product_id}: {count} reviews cannot total {total} stars")
    from catalog.models import ProductPage

    changed = ProductPage.objects.filter(pk=product_id).exclude(
        review_count=count, review_stars_total=total).update(review_count=count, review_stars_total=total)
    if changed:
        transaction.on_commit(lambda: ratings_changed.send(sender=ProductPage, product_ids=[product_id]))
    return bool(changed)


def average(count: int, total: int) -> float | None:
    """The exact average (unrounded; pages show it to one decimal), None without reviews."""
    return total / count if count else None


def average_expression():
    """`average` in SQL, on a queryset of products: NULL without reviews."""
    return Case(
        When(review_count__gt=0, then=Cast("review_stars_total", FloatField()) / Cast("review_count", FloatField())),
        default=None, output_field=FloatField(),
    )


def with_average(products):
    """Products annotated `rating_average`, to order by `BEST_RATED`."""
    return products.annotate(rating_average=average_expression())


# Best rated first: the highest average, then the most reviews; products without reviews last.
# Callers add their own tie-breaks after these.
BEST_RATED = (F("rating_average").desc(nulls_last=True), F("review_count").desc())
