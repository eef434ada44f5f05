from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission

from catalog import roles
from catalog.permissions import OFFICER_GROUP_PREFIX, grant_page, officer_group, roles_set_up
from shop.campaigns import campaign_index  # also connects the demo campaign receivers
from shop.cart import SESSION_KEY, merge_into_account
from shop.models import CampaignPage


@receiver(user_logged_in)
def merge_guest_cart(sender, request, user, **kwargs):
    """A guest's cart joins the account's cart when they sign in."""
    if request is not None and hasattr(request, "session"):
        cart_id = request.session.pop(SESSION_KEY, None)
        if cart_id:
            merge_into_account(cart_id, user)


def grant_campaign_permissions(campaign):
    """Officers of a campaign's province edit and publish it; a national one is left to national
    admins. (Officers create campaigns through "add" on the campaigns index: see below.)"""
    officers = officer_group(campaign.province) if campaign.province_id else None
    stale = GroupPagePermission.objects.filter(page=campaign, group__name__startswith=OFFICER_GROUP_PREFIX)
    (stale.exclude(group=officers) if officers else stale).delete()
    if officers:
        grant_page(officers, campaign, ("change", "publish"))


@receiver(post_save, sender=CampaignPage)
def campaign_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        grant_campaign_permissions(instance)


@receiver(roles_set_up)
def campaign_roles(sender, **kwargs):
    """Officers may add campaigns (then edit their province's, see grant_campaign_permissions)."""
    officers = Group.objects.get(name=roles.OFFICER_GROUP)
    grant_page(officers, campaign_index(), ("add",))
    for campaign in CampaignPage.objects.select_related("province"):
        grant_campaign_permissions(campaign)
