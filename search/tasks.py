"""Background jobs that keep the index current (django-tasks; run by `manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from catalog.models import ProductPage
from search.index import update_products
from search.models import SearchRecord
from search.records import certificate_states


@task()
def index_products(product_ids: list[int]) -> int:
    """Re-index these products (removing the ones no longer live)."""
    return update_products(product_ids)


@task()
def index_producer(producer_id: int) -> int:
    """A producer's name, places or standards changed: re-index all its products."""
    ids = list(ProductPage.objects.filter(producer_id=producer_id).values_list("pk", flat=True))
    gone = list(SearchRecord.objects.filter(product__producer_id=producer_id).values_list("product_id", flat=True))
    return update_products(set(ids) | set(gone))


@task()
def refresh_certificate_stars() -> int:
    """Daily: certificates expire or start at midnight, so stars in the index change without edits.
    Re-index products whose indexed stars or certificate status no longer match their certificates."""
    indexed = {pk: (stars, status) for pk, stars, status in SearchRecord.objects.values_list(
        "product_id", "stars", "certificate_status")}
    states = certificate_states(list(indexed), timezone.localdate())
    stale = [product_id for product_id, state in indexed.items() if states.get(product_id, (None, "")) != state]
    return update_products(stale) if stale else 0
