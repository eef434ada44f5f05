"""The page chooser, the admin's page search and the dashboard summary show each role only what it
looks after: no other producer's (or other province's) draft titles, no totals of everything."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from catalog import roles
from catalog.models import ProducerMember, ProvinceOfficer
from catalog.permissions import setup_roles
from shop.promotions.access import grant_all
from tests.factories import make_producer, make_product, province
from tests.shop.test_campaigns import make_campaign

pytestmark = pytest.mark.django_db

TEA_DRAFT = "Tên nháp Chè ZQXW"  # a draft title of a live producer page, never published
HANOI_DRAFT = "Tên nháp Hà Nội KJHV"
HANOI_PRODUCT_DRAFT = "Sản phẩm chưa đăng PLMQ"  # a product that was never published
HANOI_CAMPAIGN_DRAFT = "Khuyến mãi chưa đăng TRWX"


def make_user(django_user_model, username):
    return django_user_model.objects.create_user(username, f"{username}@example.com", "pw-scope-12345")


def with_draft_title(page, title):
    """A pending revision renames the page: Wagtail shows `draft_title` in its admin lists."""
    page.title = title
    page.save_revision()
    return page


@pytest.fixture
def world(django_user_model):
    setup_roles()
    honey = make_producer(title="HTX Mật ong Hải Phòng")
    honey_product = make_product(producer=honey, title="Mật ong hoa nhãn")
    tea = make_producer(title="HTX Chè Hải Phòng")
    make_product(producer=tea, title="Chè búp Hải Phòng")  # live, under a page with a pending title
    make_product(producer=make_producer(title="HTX Nước mắm Cát Hải"), title="Nước mắm cốt")  # no pending change
    hanoi = make_producer(title="HTX Hà Nội", province_slug="ha-noi", commune_name="Phường Ba Đình",
                          legacy_province_slug=None, legacy_district=None)
    draft_product = make_product(producer=hanoi, title=HANOI_PRODUCT_DRAFT, live=False)
    with_draft_title(tea, TEA_DRAFT)
    with_draft_title(hanoi, HANOI_DRAFT)
    campaign = make_campaign(HANOI_CAMPAIGN_DRAFT, owner=province("ha-noi"))
    campaign.unpublish()
    grant_all()
    member = make_user(django_user_model, "htx-mat-ong")
    ProducerMember.objects.create(user=member, producer=honey)
    officer = make_user(django_user_model, "canbo-hp")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    outsider = make_user(django_user_model, "canbo-hn")
    ProvinceOfficer.objects.create(user=outsider, province=province("ha-noi"))
    national = make_user(django_user_model, "quoc-gia")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    return {"honey": honey, "honey_product": honey_product, "tea": tea, "hanoi": hanoi,
            "draft_product": draft_product, "campaign": campaign, "member": member, "officer": officer,
            "outsider": outsider, "national": national}


def body(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.content.decode() if response.status_code == 200 else ""


def chooser_texts(client, world) -> str:
    """Everything the page chooser answers: its root, a few pages' listings and searches."""
    texts = [body(client, reverse("wagtailadmin_choose_page"))]
    for key in ("tea", "hanoi", "draft_product", "campaign", "honey"):
        texts.append(body(client, reverse("wagtailadmin_choose_page_child", args=[world[key].pk])))
    for parent in (world["tea"].get_parent(), world["campaign"].get_parent()):
        texts.append(body(client, reverse("wagtailadmin_choose_page_child", args=[parent.pk])))
    texts.append(body(client, reverse("wagtailadmin_choose_page"), page_type="catalog.productpage"))
    for q in ("HTX", "Sản phẩm", "Khuyến mãi", "Mật ong", "Chè", "Nước mắm"):
        texts.append(body(client, reverse("wagtailadmin_choose_page_search"), q=q))
    return "\n".join(texts)


def admin_search_texts(client) -> str:
    return "\n".join(body(client, reverse("wagtailadmin_pages:search"), q=q)
                     for q in ("HTX", "Sản phẩm", "Khuyến mãi", "Mật ong"))


def test_a_producer_sees_only_its_own_drafts_in_the_chooser(client, world):
    client.force_login(world["member"])
    texts = chooser_texts(client, world)
    for draft in (TEA_DRAFT, HANOI_DRAFT, HANOI_PRODUCT_DRAFT, HANOI_CAMPAIGN_DRAFT):
        assert draft not in texts
    assert "Mật ong hoa nhãn" in texts and "HTX Mật ong Hải Phòng" in texts  # its own pages
    # Another producer's live pages with no unpublished change can be linked; a page with an unpublished
    # title is not listed at all, nor are its children (Wagtail would show that title, or as their parent).
    assert "Nước mắm cốt" in texts and "HTX Nước mắm Cát Hải" in texts
    assert "HTX Chè Hải Phòng" not in texts and "Chè búp Hải Phòng" not in texts


def test_a_page_outside_the_scope_is_not_browsable_in_the_chooser(client, world):
    client.force_login(world["member"])
    for key in ("tea", "draft_product"):
        response = client.get(reverse("wagtailadmin_choose_page_child", args=[world[key].pk]))
        assert response.status_code == 404


def test_a_producer_does_not_find_other_drafts_in_the_page_search(client, world):
    client.force_login(world["member"])
    texts = admin_search_texts(client) + body(client, reverse("wagtailadmin_choose_page_search"), q="HTX")
    for draft in (TEA_DRAFT, HANOI_DRAFT, HANOI_PRODUCT_DRAFT, HANOI_CAMPAIGN_DRAFT):
        assert draft not in texts
    assert "Mật ong hoa nhãn" in texts


def test_officers_see_their_provinces_drafts_only(client, world):
    client.force_login(world["officer"])
    texts = chooser_texts(client, world) + admin_search_texts(client)
    assert TEA_DRAFT in texts  # its province's producer
    for draft in (HANOI_DRAFT, HANOI_PRODUCT_DRAFT, HANOI_CAMPAIGN_DRAFT):
        assert draft not in texts
    client.force_login(world["outsider"])
    texts = chooser_texts(client, world) + admin_search_texts(client)
    assert TEA_DRAFT not in texts
    for draft in (HANOI_DRAFT, HANOI_PRODUCT_DRAFT, HANOI_CAMPAIGN_DRAFT):
        assert draft in texts


def test_the_national_admin_sees_every_draft(client, world):
    client.force_login(world["national"])
    texts = chooser_texts(client, world) + admin_search_texts(client)
    for draft in (TEA_DRAFT, HANOI_DRAFT, HANOI_PRODUCT_DRAFT, HANOI_CAMPAIGN_DRAFT):
        assert draft in texts


def summary_pages(client) -> int | None:
    """The page count of the dashboard's site summary (None when the item is not shown)."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    summary = re.search(r'<section class="w-summary".*?</section>', html, re.S)
    if summary is None:
        return None
    match = re.search(r"([\d.,]+)\s+(?:pages?|trang)\b", re.sub(r"<[^>]+>", " ", summary.group(0)), re.I)
    return int(re.sub(r"\D", "", match.group(1))) if match else None


def test_the_site_summary_counts_what_the_user_looks_after(client, world, django_user_model):
    client.force_login(world["member"])
    assert summary_pages(client) == 2  # its producer page and its product
    second = make_user(django_user_model, "htx-hai-noi")
    ProducerMember.objects.create(user=second, producer=world["honey"])
    ProducerMember.objects.create(user=second, producer=world["hanoi"])
    client.force_login(second)
    assert summary_pages(client) == 4  # both producers and their products
    client.force_login(world["officer"])
    assert summary_pages(client) == 6  # Hải Phòng's three producers and their products
    client.force_login(world["national"])
    assert summary_pages(client) > 8
