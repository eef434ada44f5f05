"""Keep denormalised catalogue fields right when Wagtail changes the tree without saving."""

from django.dispatch import receiver
from wagtail.signals import post_page_move

from catalog.models import ProductPage


@receiver(post_page_move)
def resync_producer_after_move(sender, instance, **kwargs):
    """A product moved under another producer belongs to that producer from now on."""
    if issubclass(instance.specific_class, ProductPage):
        product = ProductPage.objects.get(pk=instance.pk)
        product.sync_producer()
        ProductPage.objects.filter(pk=product.pk).update(producer_id=product.producer_id)
