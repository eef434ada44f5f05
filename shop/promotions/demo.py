"""The shop's part of the demo: a campaign with a voucher, added when the catalogue's demo is
loaded and removed with it (`shop.signals` listens to the catalogue's demo signals)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductGroup, Province
from shop.promotions.models import CampaignPage, campaign_index

DEMO_CODE = "VAITHIEU10"


def add_demo_campaign(today=None, log=lambda message: None) -> CampaignPage | None:
    """One demo campaign with a voucher: 10% off Hải Phòng's 4★+ food products for 60 days
    (once: a second call changes nothing)."""
    if CampaignPage.objects.filter(voucher_code=DEMO_CODE).exists():
        return None
    province = Province.objects.filter(slug="hai-phong").first()
    index = campaign_index()
    start = timezone.make_aware(datetime.datetime.combine(today or timezone.localdate(), datetime.time(0, 0)))
    page = CampaignPage(
        title=_("Mùa vải thiều Hải Phòng (demo)"), slug="mua-vai-thieu-hai-phong",
        intro=_("Chương trình minh hoạ: giảm 10% cho sản phẩm OCOP từ 4 sao của Hải Phòng khi nhập mã VAITHIEU10."),
        starts_at=start, ends_at=start + datetime.timedelta(days=60), province=province,
        rule_min_stars=4, discount_kind=CampaignPage.DiscountKind.PERCENT, discount_value=10,
        voucher_code=DEMO_CODE, max_uses_total=500, max_uses_per_buyer=2,
    )
    index.add_child(instance=page)
    food = ProductGroup.objects.filter(slug="thuc-pham").first()
    if food:
        page.rule_groups.set([food])
    if province:
        page.rule_provinces.set([province])
    page.save_revision().publish()
    log(f"+ {page.title} ({DEMO_CODE})")
    return page


def remove_demo_campaign() -> None:
    for page in CampaignPage.objects.filter(voucher_code=DEMO_CODE):
        page.delete()
