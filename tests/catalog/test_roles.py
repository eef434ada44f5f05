"""Roles: a producer, an officer of its province, an officer of another province and a national
admin each see and change only what they should, through Wagtail's own views and ours."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, TaskState, Workflow

from catalog import roles
from catalog.models import Certificate, Commune, ProducerMember, ProducerPage, ProvinceOfficer
from catalog.permissions import producer_collection, setup_roles
from tests.factories import make_image, make_producer, make_product, province

pytestmark = pytest.mark.django_db

PASSWORD = "pw-roles-12345"


def make_user(django_user_model, username, **fields):
    return django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD, **fields)


@pytest.fixture
def world(django_user_model):
    """Two Hải Phòng producers, one Hà Nội producer, and a user for each role."""
    setup_roles()
    honey = make_producer(title="HTX Mật ong Hải Phòng")
    tea = make_producer(title="HTX Chè Hải Phòng")
    hanoi = make_producer(title="HTX Hà Nội", province_slug="ha-noi", commune_name="Phường Ba Đình",
                          legacy_province_slug=None, legacy_district=None)
    honey_product = make_product(producer=honey, title="Mật ong hoa nhãn")
    tea_product = make_product(producer=tea, title="Chè xanh")
    member = make_user(django_user_model, "htx-mat-ong")
    ProducerMember.objects.create(user=member, producer=honey)
    officer = make_user(django_user_model, "canbo-hp")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    outsider = make_user(django_user_model, "canbo-hn")
    ProvinceOfficer.objects.create(user=outsider, province=province("ha-noi"))
    national = make_user(django_user_model, "quoc-gia")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    return {
        "honey": honey, "tea": tea, "hanoi": hanoi, "honey_product": honey_product, "tea_product": tea_product,
        "member": member, "officer": officer, "outsider": outsider, "national": national,
    }


def signed_in(client, user):
    client.force_login(user)
    return client


def can_open(client, url) -> bool:
    """Wagtail answers a refused admin page with a redirect to the dashboard (or a 403/404)."""
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404), response.status_code
    return response.status_code == 200


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def producer_form(page, **changes):
    data = {
        "title": page.title, "slug": page.slug, "legal_form": page.legal_form, "representative": "",
        "intro": page.intro, "logo": "", "street_address": page.street_address,
        "province": page.province_id, "commune": page.commune_id, "legacy_province": "", "legacy_district": "",
        "phone": "", "email": "", "website": "", "story-count": "0",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_setup_roles_is_idempotent(world):
    before = GroupPagePermission.objects.count(), Group.objects.count()
    setup_roles()
    assert (GroupPagePermission.objects.count(), Group.objects.count()) == before


def test_a_producer_edits_only_its_own_pages(client, world):
    signed_in(client, world["member"])
    assert can_open(client, edit_url(world["honey"]))
    assert can_open(client, edit_url(world["honey_product"]))
    for page in (world["tea"], world["tea_product"], world["hanoi"]):
        assert not can_open(client, edit_url(page))
        assert not can_open(client, reverse("wagtailadmin_pages:delete", args=[page.pk]))
        assert not can_open(client, reverse("wagtailadmin_pages:history", args=[page.pk]))
    response = client.post(edit_url(world["tea"]), producer_form(world["tea"], title="Chiếm quyền"))
    assert ProducerPage.objects.get(pk=world["tea"].pk).title == "HTX Chè Hải Phòng"
    assert response.status_code in (302, 403)
    explorer = client.get(reverse("wagtailadmin_explore", args=[world["honey"].pk]))
    assert explorer.status_code == 200 and "Mật ong hoa nhãn" in explorer.content.decode()
    assert not can_open(client, reverse("wagtailadmin_explore", args=[world["tea"].pk]))


def test_a_producer_cannot_publish_its_edit_goes_to_its_province_officer(client, world):
    honey = world["honey"]
    signed_in(client, world["member"])
    response = client.post(edit_url(honey), producer_form(honey, title="HTX Mật ong Hải Phòng mới", **{"action-publish": "1"}))
    assert ProducerPage.objects.get(pk=honey.pk).title == "HTX Mật ong Hải Phòng"  # publishing is not theirs
    response = client.post(edit_url(honey), producer_form(honey, title="HTX Mật ong Hải Phòng mới", **{"action-submit": "1"}))
    assert response.status_code == 302
    page = ProducerPage.objects.get(pk=honey.pk)
    assert page.title == "HTX Mật ong Hải Phòng" and page.workflow_in_progress
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)

    # The officer of another province neither sees nor acts on it.
    signed_in(client, world["outsider"])
    assert not state.task.specific.get_task_states_user_can_moderate(world["outsider"]).exists()
    action = reverse("wagtailadmin_pages:workflow_action", args=[honey.pk, "approve", state.pk])
    refused = client.post(action, {"comment": ""})
    assert refused.status_code in (302, 403)
    assert ProducerPage.objects.get(pk=honey.pk).title == "HTX Mật ong Hải Phòng"

    # The province's officer approves: published.
    signed_in(client, world["officer"])
    assert list(state.task.specific.get_task_states_user_can_moderate(world["officer"])) == [state]
    client.post(action, {"comment": ""})
    page = ProducerPage.objects.get(pk=honey.pk)
    assert page.title == "HTX Mật ong Hải Phòng mới" and page.live and not page.workflow_in_progress


def test_an_officer_sends_an_edit_back_with_a_comment(client, world):
    honey = world["honey"]
    signed_in(client, world["member"])
    client.post(edit_url(honey), producer_form(honey, intro="Giới thiệu sai", **{"action-submit": "1"}))
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    signed_in(client, world["officer"])
    action = reverse("wagtailadmin_pages:workflow_action", args=[honey.pk, "reject", state.pk])
    client.post(action, {"comment": "Ảnh chưa rõ, hãy bổ sung."})
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED and state.comment == "Ảnh chưa rõ, hãy bổ sung."
    assert ProducerPage.objects.get(pk=honey.pk).intro != "Giới thiệu sai"


def test_officers_publish_in_their_province_only(client, world):
    signed_in(client, world["officer"])
    assert can_open(client, edit_url(world["honey"])) and can_open(client, edit_url(world["tea_product"]))
    assert not can_open(client, edit_url(world["hanoi"]))
    tea = world["tea"]
    client.post(edit_url(tea), producer_form(tea, title="HTX Chè Hải Phòng (sửa)", **{"action-publish": "1"}))
    assert ProducerPage.objects.get(pk=tea.pk).title == "HTX Chè Hải Phòng (sửa)"
    hanoi = world["hanoi"]
    client.post(edit_url(hanoi), producer_form(hanoi, title="Chiếm quyền", **{"action-publish": "1"}))
    assert ProducerPage.objects.get(pk=hanoi.pk).title == "HTX Hà Nội"


def test_an_officer_cannot_move_a_producer_to_another_province(client, world):
    tea = world["tea"]
    signed_in(client, world["officer"])
    ba_dinh = Commune.objects.get(name="Phường Ba Đình")
    response = client.post(edit_url(tea), producer_form(
        tea, province=ba_dinh.province_id, commune=ba_dinh.pk, **{"action-publish": "1"}))
    assert response.status_code == 200  # the form comes back with the error
    assert ProducerPage.objects.get(pk=tea.pk).province_id == province("hai-phong").pk


def test_the_national_admin_reaches_everything(client, world):
    signed_in(client, world["national"])
    for page in (world["honey"], world["tea_product"], world["hanoi"]):
        assert can_open(client, edit_url(page))


def test_images_stay_in_the_producers_collection(client, world):
    image = make_image("Logo HTX Chè")
    image.collection = producer_collection(world["tea"])
    image.save()
    signed_in(client, world["member"])
    assert not can_open(client, reverse("wagtailimages:edit", args=[image.pk]))
    listing = client.get(reverse("wagtailimages:index"))
    assert "Logo HTX Chè" not in listing.content.decode()
    signed_in(client, world["officer"])
    assert can_open(client, reverse("wagtailimages:edit", args=[image.pk]))
    signed_in(client, world["outsider"])
    assert not can_open(client, reverse("wagtailimages:edit", args=[image.pk]))


def test_certificates_are_kept_by_the_products_province(client, world):
    certificate = Certificate.objects.get(product=world["tea_product"])
    edit = reverse("wagtailsnippets_catalog_certificate:edit", args=[certificate.pk])
    listing = reverse("wagtailsnippets_catalog_certificate:list")
    signed_in(client, world["officer"])
    assert can_open(client, edit)
    signed_in(client, world["outsider"])
    assert not can_open(client, edit)
    assert "Chè xanh" not in client.get(listing).content.decode()
    signed_in(client, world["member"])
    assert not can_open(client, edit)


def test_links_drive_group_membership(world):
    member = world["member"]
    assert member.groups.filter(name__startswith=f"Chủ thể #{world['honey'].pk} ").exists()
    ProducerMember.objects.filter(user=member).delete()
    assert not member.groups.filter(name__startswith="Chủ thể").exists()


def test_the_review_workflow_covers_producer_pages():
    setup_roles()
    producer = make_producer()
    assert producer.get_workflow() == Workflow.objects.get(name="Duyệt tin của chủ thể")


def test_the_dashboard_shows_each_officer_its_provinces_certificates(client, world):
    import datetime

    from django.utils import timezone

    from catalog.models.certificates import add_months
    from tests.factories import make_certificate

    today = timezone.localdate()
    soon = make_product(producer=world["tea"], title="Chè sắp hết hạn", stars=None)
    make_certificate(soon, stars=3, decision_date=add_months(today, -36) + datetime.timedelta(days=20))
    lapsed = make_product(producer=world["honey"], title="Mật ong đã hết hạn", stars=None)
    make_certificate(lapsed, stars=4, decision_date=add_months(today, -37))
    far = make_product(producer=world["hanoi"], title="Bánh Hà Nội hết hạn", stars=None)
    make_certificate(far, stars=3, decision_date=add_months(today, -40), issuing_body="UBND TP Hà Nội")

    signed_in(client, world["officer"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Chè sắp hết hạn" in page and "Mật ong đã hết hạn" in page and "Bánh Hà Nội hết hạn" not in page
    signed_in(client, world["outsider"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Bánh Hà Nội hết hạn" in page and "Chè sắp hết hạn" not in page
    signed_in(client, world["national"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert all(title in page for title in ("Chè sắp hết hạn", "Mật ong đã hết hạn", "Bánh Hà Nội hết hạn"))


def test_officers_run_their_provinces_campaigns_only(client, world):
    from tests.shop.test_campaigns import make_campaign

    from shop.promotions.models import campaign_index

    setup_roles()  # grants "add" on the campaigns index
    ours = make_campaign("Mùa vải Hải Phòng", owner=province("hai-phong"))
    theirs = make_campaign("Tết Hà Nội", owner=province("ha-noi"))
    national = make_campaign("Tuần lễ OCOP quốc gia")
    signed_in(client, world["officer"])
    assert can_open(client, edit_url(ours))
    assert not can_open(client, edit_url(theirs)) and not can_open(client, edit_url(national))
    assert not can_open(client, reverse("wagtailadmin_pages:unpublish", args=[theirs.pk]))
    assert can_open(client, reverse("wagtailadmin_pages:add", args=["shop", "campaignpage", campaign_index().pk]))
    signed_in(client, world["member"])
    assert not can_open(client, edit_url(ours))
    assert not can_open(client, reverse("wagtailadmin_pages:add", args=["shop", "campaignpage", campaign_index().pk]))
    signed_in(client, world["national"])
    assert can_open(client, edit_url(theirs)) and can_open(client, edit_url(national))


def test_the_sales_panel_counts_only_what_each_role_looks_after(client, world):
    from shop.models import Order, OrderLine, SubOrder
    from shop.order_rules import OrderStatus
    from tests.factories import commune

    def sell(producer, product, amount):
        order = Order.objects.create(
            number=f"DH{product.pk}", name="Lan", phone="0912345678", email="lan@example.com", street="1 Lê Lợi",
            commune=commune(), province=province(), delivery_method="tieu-chuan", payment_method="cod",
            status=OrderStatus.PLACED, subtotal=amount, shipping_fee=0, total=amount)
        suborder = SubOrder.objects.create(order=order, producer=producer, subtotal=amount, shipping_fee=0,
                                           weight_grams=1000)
        OrderLine.objects.create(suborder=suborder, product_title=product.title, variant_name="Hộp", sku="X",
                                 unit_price=amount, quantity=1, weight_grams=1000)

    sell(world["honey"], world["honey_product"], 123_000)
    sell(world["tea"], world["tea_product"], 456_000)
    signed_in(client, world["member"])
    panel = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "123.000" in panel and "456.000" not in panel
    signed_in(client, world["officer"])
    panel = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "579.000" in panel
    signed_in(client, world["outsider"])
    panel = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "123.000" not in panel and "579.000" not in panel


def test_the_explorer_lists_only_the_officers_campaigns(client, world):
    from tests.shop.test_campaigns import make_campaign

    from shop.promotions.models import campaign_index

    make_campaign("Mùa vải Hải Phòng", owner=province("hai-phong"))
    make_campaign("Tết Hà Nội", owner=province("ha-noi"))
    signed_in(client, world["officer"])
    listing = client.get(reverse("wagtailadmin_explore", args=[campaign_index().pk])).content.decode()
    assert "Mùa vải Hải Phòng" in listing and "Tết Hà Nội" not in listing


def test_an_officer_records_certificates_for_its_province_only(client, world):
    from tests.catalog.test_admin import certificate_form

    add = reverse("wagtailsnippets_catalog_certificate:add")
    hanoi_product = make_product(producer=world["hanoi"], title="Bánh cốm Hà Nội", stars=None)
    hp_product = make_product(producer=world["tea"], title="Chè mới", stars=None)
    signed_in(client, world["officer"])
    refused = client.post(add, certificate_form(hanoi_product, decision_number="9/QĐ-UBND"))
    assert refused.status_code == 200 and "ngoài phạm vi" in refused.content.decode()
    assert not Certificate.objects.filter(product=hanoi_product).exists()
    saved = client.post(add, certificate_form(hp_product, decision_number="10/QĐ-UBND"))
    assert saved.status_code == 302 and Certificate.objects.filter(product=hp_product).exists()


def test_an_officer_sets_targets_for_its_province_only(client, world):
    from storefront.models import ProvinceTarget

    add = reverse("wagtailsnippets_storefront_provincetarget:add")
    target = {"year": "2026", "min_stars": "3", "new_products": "50", "note": ""}
    signed_in(client, world["officer"])
    page = client.get(add).content.decode()
    assert "Thành phố Hải Phòng" in page and "Thành phố Hà Nội" not in page
    refused = client.post(add, {**target, "province": province("ha-noi").pk})
    assert refused.status_code == 200 and not ProvinceTarget.objects.exists()
    assert client.post(add, {**target, "province": province("hai-phong").pk}).status_code == 302
    ProvinceTarget.objects.create(province=province("ha-noi"), year=2026, new_products=9)
    client.get(reverse("wagtailadmin_home"))  # shows (and so clears) the "created" message
    signed_in(client, world["outsider"])
    listing = client.get(reverse("wagtailsnippets_storefront_provincetarget:list"))
    assert [target.province.slug for target in listing.context["object_list"]] == ["ha-noi"]
