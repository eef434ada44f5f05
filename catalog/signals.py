"""Every signal receiver of the catalogue: denormalised fields kept right when Wagtail changes the
tree without saving, and role groups following the links that grant them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move

from catalog.models import ProducerMember, ProducerPage, ProductPage, ProvinceOfficer
from catalog.permissions import producer_is_synced, sync_producer, sync_user


@receiver(post_page_move)
def resync_producer_after_move(sender, instance, **kwargs):
    """A product moved under another producer belongs to that producer from now on."""
    if issubclass(instance.specific_class, ProductPage):
        product = ProductPage.objects.get(pk=instance.pk)
        product.sync_producer()
        ProductPage.objects.filter(pk=product.pk).update(producer_id=product.producer_id)


@receiver(post_save, sender=ProducerPage)
def give_producer_its_groups(sender, instance, raw=False, **kwargs):
    """A new producer (or one moved to another province) gets its group, collection and officers."""
    if not raw and instance.province_id and not producer_is_synced(instance):
        sync_producer(instance)


@receiver([post_save, post_delete], sender=ProducerMember)
@receiver([post_save, post_delete], sender=ProvinceOfficer)
def regroup_user(sender, instance, raw=False, **kwargs):
    """Links are the source of truth for role groups: follow every change."""
    if not raw:
        sync_user(instance.user)
