"""Who sells (catalog.identity): a producer's legal details are validated, checked by an officer of
its province (or a national admin) on “Xác minh chủ thể”, and until then its products cannot be
ordered; changing a legal detail clears the check. Public pages show the details (Article 37 of the
Consumer Protection Law 2023) but never the household owner's ID number."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import identity
from catalog.models import ProducerPage, ProvinceOfficer
from catalog.templatetags.catalog_tags import vnd
from shop import shipping
from shop.models import CartLine, Order, ReturnWindow
from tests.factories import make_producer, make_product, province
from tests.shop.test_admin import member_client
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db

PENDING = "Chủ thể đang được xác minh; chưa nhận đặt hàng."


def officer_client(django_user_model, slug="hai-phong", username="canbo-hp"):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-officer-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    ProvinceOfficer.objects.create(user=user, province=province(slug))
    client = Client()
    client.force_login(user)
    return client, user


def errors_of(producer) -> dict:
    with pytest.raises(ValidationError) as caught:
        producer.full_clean()
    return caught.value.message_dict


def check_url(producer):
    return reverse("catalog_identity_check", args=[producer.pk])


def fresh(producer):
    return ProducerPage.objects.get(pk=producer.pk)


# --- Validation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["0201234567", "0201234567-001"])
def test_a_tax_code_is_ten_digits_or_ten_and_a_branch_of_three(number):
    identity.validate_tax_code(number)
    producer = make_producer(checked=False, registration_number=number)
    assert fresh(producer).registration_number == number


@pytest.mark.parametrize("number", ["020123456", "02012345678", "0201234567-01", "02012345AB"])
def test_a_malformed_tax_code_is_refused_in_vietnamese(number):
    producer = make_producer(checked=False)
    producer.registration_number = number
    assert "10 chữ số" in errors_of(producer)["registration_number"][0]


def test_a_household_gives_its_registration_number_and_a_twelve_digit_owner_id():
    household = make_producer(checked=False, legal_form=ProducerPage.LegalForm.HOUSEHOLD,
                              registration_number="02a8001234", owner_id_number="031090001234")
    assert fresh(household).registration_number == "02A8001234"
    household.owner_id_number = "03109000123"  # 11 digits
    assert errors_of(household)["owner_id_number"] == ["Số căn cước công dân (CCCD) gồm đúng 12 chữ số."]
    household.owner_id_number = "03109000123X"
    assert "12 chữ số" in errors_of(household)["owner_id_number"][0]


def test_only_a_household_gives_an_owner_id():
    cooperative = make_producer(checked=False)
    cooperative.owner_id_number = "031090001234"
    assert "hộ kinh doanh" in errors_of(cooperative)["owner_id_number"][0]


def test_the_phone_is_a_mobile_or_a_fixed_line_with_its_area_code_and_is_stored_as_digits():
    mobile = make_producer(checked=False, phone="+84 912 345 678")
    assert fresh(mobile).phone == "0912345678"
    landline = make_producer(checked=False, phone="0220 3851 234")  # Hải Dương's area code
    assert fresh(landline).phone == "02203851234"
    landline.phone = "12345"
    assert "Số điện thoại không hợp lệ" in errors_of(landline)["phone"][0]


# --- Completeness and the check -----------------------------------------------------------------

def test_missing_names_every_detail_to_fill_in():
    producer = make_producer(checked=False, legal_form=ProducerPage.LegalForm.HOUSEHOLD,
                             legal_name="", registration_number="", owner_id_number="", phone="", street_address="")
    assert identity.missing(producer) == ["Tên đăng ký", "Số đăng ký hộ kinh doanh", "Số CCCD của chủ hộ",
                                          "Số nhà, đường, thôn/xóm", "Điện thoại"]
    assert not identity.is_complete(producer) and not identity.can_sell(producer)


def test_incomplete_details_cannot_be_checked(django_user_model):
    producer = make_producer(checked=False, registration_number="")
    client, officer = officer_client(django_user_model)
    with pytest.raises(identity.IdentityIncomplete):
        identity.check(producer, officer)
    response = client.post(check_url(producer), follow=True)
    assert "Chưa thể xác nhận: còn thiếu Mã số doanh nghiệp / mã số thuế." in response.content.decode()
    assert fresh(producer).identity_checked_at is None


def test_the_province_officer_checks_complete_details_and_then_the_producer_sells(django_user_model):
    producer = make_producer(checked=False)
    assert identity.status(producer) == "complete" and not identity.can_sell(producer)
    client, officer = officer_client(django_user_model)
    listing = client.get(reverse("catalog_identity")).content.decode()
    assert producer.title in listing and "Đủ thông tin, chờ xác minh" in listing
    client.post(check_url(producer))
    checked = fresh(producer)
    assert checked.identity_checked_by == officer and checked.identity_checked_at is not None
    assert identity.can_sell(checked) and identity.status(checked) == "checked"


def test_a_national_admin_checks_producers_of_any_province(admin_client):
    producer = make_producer(checked=False, province_slug="ha-noi", commune_name="Phường Ba Đình",
                             legacy_province_slug=None)
    assert producer.title in admin_client.get(reverse("catalog_identity")).content.decode()
    admin_client.post(check_url(producer))
    assert identity.can_sell(fresh(producer))


def test_an_officer_of_another_province_is_refused_with_403(django_user_model):
    producer = make_producer(checked=False)
    client, officer = officer_client(django_user_model, slug="ha-noi", username="canbo-hn")
    assert producer.title not in client.get(reverse("catalog_identity")).content.decode()
    assert client.post(check_url(producer)).status_code == 403
    with pytest.raises(PermissionDenied):
        identity.check(producer, officer)
    assert fresh(producer).identity_checked_at is None


def test_a_producer_cannot_check_itself(django_user_model):
    producer = make_producer(checked=False)
    client, _user = member_client(django_user_model, producer)
    assert client.get(reverse("catalog_identity")).status_code == 403
    assert client.post(check_url(producer)).status_code == 403
    assert fresh(producer).identity_checked_at is None


# --- Editing after the check --------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [
    ("legal_name", "Hợp tác xã Nông nghiệp Thanh Hà"), ("registration_number", "0209999999"),
    ("phone", "0987654321"), ("email", "moi@example.com"), ("street_address", "Thôn Tây"),
])
def test_editing_a_legal_detail_after_the_check_clears_it(field, value):
    producer = make_producer()
    assert identity.can_sell(producer)
    setattr(producer, field, value)
    producer.save()
    assert fresh(producer).identity_checked_at is None and not identity.can_sell(fresh(producer))


def test_publishing_a_revision_with_a_new_tax_code_clears_the_check_and_other_edits_keep_it():
    producer = make_producer()
    producer.intro = "Giới thiệu mới"
    producer.save_revision().publish()
    assert fresh(producer).identity_checked_at is not None
    producer = fresh(producer)
    producer.registration_number = "0208888888"
    producer.save_revision().publish()
    assert fresh(producer).identity_checked_at is None


def test_a_draft_made_before_the_check_does_not_undo_it_when_published(django_user_model):
    producer = make_producer(checked=False)
    producer.intro = "Bản nháp trước khi xác minh"
    revision = producer.save_revision()
    _client, officer = officer_client(django_user_model)
    identity.check(producer, officer)
    revision.publish()
    assert fresh(producer).identity_checked_by == officer


# --- Cannot sell until checked ------------------------------------------------------------------

def test_an_unchecked_producers_product_page_says_so_instead_of_the_cart_form(client):
    product = make_product(producer=make_producer(checked=False))
    html = client.get(product.url).content.decode()
    assert PENDING in html and 'class="add-to-cart"' not in html and "Chưa xác minh" in html


def test_an_unchecked_producers_product_cannot_be_added_to_the_cart(client):
    product = make_product(producer=make_producer(checked=False))
    response = add(client, product)
    assert response.status_code == 302
    assert PENDING in client.get(response["Location"]).content.decode()
    assert not CartLine.objects.exists()


def test_a_cart_line_leaves_at_checkout_when_its_producers_check_was_cleared(client):
    producer = make_producer()
    product = make_product(producer=producer)
    add(client, product)
    assert CartLine.objects.count() == 1
    producer.phone = "0987654321"
    producer.save()  # a legal detail changed: the officer must check again
    response = client.post(reverse("shop:checkout"), checkout_data(), follow=True)
    assert not Order.objects.exists() and not CartLine.objects.exists()
    assert "chủ thể đang được xác minh nên đã được bỏ khỏi giỏ" in response.content.decode()


def test_with_the_setting_off_unchecked_producers_sell(client, settings):
    settings.OCOP_REQUIRE_SELLER_CHECK = False
    product = make_product(producer=make_producer(checked=False, registration_number=""))
    assert identity.can_sell(product.producer)
    add(client, product)
    assert CartLine.objects.count() == 1
    assert 'class="add-to-cart"' in client.get(product.url).content.decode()


def test_with_the_setting_on_the_same_producer_cannot_sell(client, settings):
    settings.OCOP_REQUIRE_SELLER_CHECK = True
    product = make_product(producer=make_producer(checked=False, registration_number=""))
    assert not identity.can_sell(product.producer)
    add(client, product)
    assert not CartLine.objects.exists()


# --- Public display -----------------------------------------------------------------------------

def test_the_producer_page_shows_the_legal_details_and_the_check_but_never_the_owners_id(client, django_user_model):
    household = make_producer(title="Hộ kinh doanh Mật ong Hoa", checked=False,
                              legal_form=ProducerPage.LegalForm.HOUSEHOLD, legal_name="Hộ kinh doanh Nguyễn Văn Hoa",
                              registration_number="02A8001234", owner_id_number="031090001234",
                              phone="0912345678", email="hoa@example.com")
    html = client.get(household.url).content.decode()
    assert "Hộ kinh doanh Nguyễn Văn Hoa" in html and "02A8001234" in html and "Chưa xác minh" in html
    assert "0912345678" in html and "hoa@example.com" in html
    _client, officer = officer_client(django_user_model)
    identity.check(household, officer)
    html = client.get(household.url).content.decode()
    date = timezone.localtime(fresh(household).identity_checked_at).strftime("%d/%m/%Y")
    assert f"Đã xác minh bởi cán bộ OCOP Thành phố Hải Phòng ngày {date}" in html
    product = make_product(producer=household)
    product_html = client.get(product.url).content.decode()
    assert "02A8001234" in product_html
    assert "031090001234" not in html and "031090001234" not in product_html


def test_the_product_page_tells_the_terms_before_the_order(client):
    product = make_product(producer=make_producer(legal_name="Hợp tác xã Vải thiều Thanh Hà"))
    ReturnWindow.objects.create(group=product.group, hours=48)
    html = client.get(product.url).content.decode()
    assert "Hợp tác xã Vải thiều Thanh Hà" in html
    assert "Phí giao hàng tính theo kiện của từng chủ thể, xem ở bước thanh toán." in html
    assert "Trong 2 ngày sau khi nhận hàng" in html and "Giá đã bao gồm thuế." in html
    lowest = min(rates[0][1] for rates in shipping.rate_table()["rates"].values())
    assert f"Từ {vnd(lowest)} một kiện." in html


def test_the_editor_has_a_legal_panel_whose_check_fields_cannot_be_edited(admin_client):
    producer = make_producer(checked=False)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[producer.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "Thông tin pháp lý" in html and 'name="registration_number"' in html
    assert 'name="identity_checked_at"' not in html and 'name="identity_checked_by"' not in html


def test_a_self_registered_producer_waits_for_its_check(client):
    from tests.catalog.test_onboarding import signup_data

    client.post(reverse("catalog:producer_signup"), signup_data())
    page = ProducerPage.objects.get(title="HTX Gốm Chu Đậu")
    assert page.identity_checked_at is None and not identity.can_sell(page)
    assert identity.missing(page) == ["Tên đăng ký", "Mã số doanh nghiệp / mã số thuế"]
