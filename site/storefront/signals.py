"""Every signal receiver of the site-wide pages: cached navigation and home-page figures are
forgotten when what they show changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from catalog.models import ProductGroup
from storefront.context_processors import forget_navigation
from storefront.home import forget_catalogue_stats


@receiver([post_save, post_delete], sender=ProductGroup)
def product_group_changed(**kwargs):
    forget_navigation()


@receiver([page_published, page_unpublished])
def page_published_or_withdrawn(**kwargs):
    forget_catalogue_stats()
