"""Who edits which campaign. Wagtail's page permissions say who may edit campaigns at all (officers
add under the campaigns index; each province's officers change and publish its campaigns); these
narrow them to the user's provinces. A national campaign (no province) is national admins' only."""

from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from catalog import roles
from catalog.permissions import OFFICER_GROUP_PREFIX, grant_page, officer_group
from shop.promotions.models import CampaignIndexPage, CampaignPage, campaign_index


def grant_campaign_permissions(campaign) -> None:
    """The officers of a campaign's province edit and publish it; no other province's do."""
    officers = officer_group(campaign.province) if campaign.province_id else None
    stale = GroupPagePermission.objects.filter(page=campaign, group__name__startswith=OFFICER_GROUP_PREFIX)
    (stale.exclude(group=officers) if officers else stale).delete()
    if officers:
        grant_page(officers, campaign, ("change", "publish"))


def grant_all() -> None:
    """Officers may add campaigns; every campaign is held by its province's officers."""
    grant_page(Group.objects.get(name=roles.OFFICER_GROUP), campaign_index(), ("add",))
    for campaign in CampaignPage.objects.select_related("province"):
        grant_campaign_permissions(campaign)


def may_manage(user, page) -> bool:
    """False for a campaign outside the user's provinces; True for every other page."""
    page = page.specific if hasattr(page, "specific") else page
    return not isinstance(page, CampaignPage) or roles.can_act_for_province(user, page.province_id)


def explorer_pages(parent_page, pages, user):
    """Officers see their provinces' campaigns in the page explorer, not other provinces' drafts."""
    if roles.is_national_admin(user) or not isinstance(parent_page.specific, CampaignIndexPage):
        return pages
    hidden = CampaignPage.objects.exclude(province_id__in=roles.officer_province_ids(user))
    return pages.exclude(pk__in=hidden.values("pk"))
