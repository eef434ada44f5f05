"""The admin screens of shop.transfers, registered from shop.wagtail_hooks."""
