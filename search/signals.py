"""Every signal receiver of the search app: catalogue changes (publication, moves, certificates,
prices, stock) reach the index after the transaction commits, as background tasks."""

import threading
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.inventory import stock_changed
from catalog.ratings import ratings_changed
from catalog.takedowns import visibility_changed
from catalog.models import Certificate, ProducerPage, ProductPage, ProductVariant
from search import tasks


_pending = threading.local()


def later(task, *args):
    transaction.on_commit(partial(task.enqueue, *args))


def index_later(product_ids):
    """Queue one indexing task per transaction, however many rows of a product it saved
    (publishing a page saves every variant). After a rollback, leftover ids simply ride along
    with the next commit: re-indexing is idempotent."""
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.update(product_ids)
    transaction.on_commit(_flush)


def _flush():
    ids, _pending.ids = getattr(_pending, "ids", None), None
    if ids:
        tasks.index_products.enqueue(sorted(ids))


def _page_changed(instance):
    specific = instance.specific_class
    if specific and issubclass(specific, ProductPage):
        index_later([instance.pk])
    elif specific and issubclass(specific, ProducerPage):
        later(tasks.index_producer, instance.pk)


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    _page_changed(instance)


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    _page_changed(instance)


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    _page_changed(instance)


@receiver(post_delete, sender=ProductPage)
def on_product_delete(sender, instance, **kwargs):
    index_later([instance.pk])


@receiver([post_save, post_delete], sender=Certificate)
def on_certificate_change(sender, instance, **kwargs):
    index_later([instance.product_id])


@receiver([post_save, post_delete], sender=ProductVariant)
def on_variant_change(sender, instance, **kwargs):
    """Prices and packs: publishing a product saves its variants."""
    if instance.product_id:
        index_later([instance.product_id])


@receiver(stock_changed)
def on_stock_change(sender, availability_changed, **kwargs):
    """The index keeps "in stock", not counts: only packs that sold out or came back matter."""
    if availability_changed:
        index_later(availability_changed)


@receiver(visibility_changed)
def on_visibility_change(sender, product_ids, **kwargs):
    """A moderator hid or showed again a product, or a whole producer (all its products)."""
    index_later(product_ids)


@receiver(ratings_changed)
def on_ratings_change(sender, product_ids, **kwargs):
    """Buyers' ratings are filtered, sorted and shown on result cards."""
    index_later(product_ids)
