"""The index follows the catalogue through background tasks: publish, unpublish, move, delete, certificates, stock."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from catalog.models import ProductVariant
from catalog.models.certificates import add_months
from search.service import search_products
from search.index import rebuild, update_products
from search.models import SearchRecord
from search.query import parse
from search.tasks import refresh_certificate_stars
from tests.factories import make_certificate, make_producer, make_product

pytestmark = pytest.mark.django_db(transaction=False)


def found(query_string):
    return [p.title for p in search_products(parse(QueryDict(query_string))).products]


def test_publishing_indexes_and_unpublishing_removes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(title="Mật ong hoa cà phê")
    assert found("q=mat ong hoa ca phe") == ["Mật ong hoa cà phê"]
    with django_capture_on_commit_callbacks(execute=True):
        product.unpublish()
    assert found("q=mat ong hoa ca phe") == []
    assert not SearchRecord.objects.filter(product=product).exists()


def test_deleting_and_moving_update_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_producer(title="HTX Một")
        second = make_producer(title="HTX Hai")
        product = make_product(producer=first, title="Nấm linh chi đỏ")
    with django_capture_on_commit_callbacks(execute=True):
        product.move(second, pos="last-child")
    assert SearchRecord.objects.get(product=product).words.find(" hai ") >= 0
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert found("q=linh chi") == []


def test_certificate_and_stock_changes_reach_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(title="Chè búp Tân Cương", stars=None, stock=0)
    record = SearchRecord.objects.get(product=product)
    assert (record.stars, record.in_stock) == (None, False)
    with django_capture_on_commit_callbacks(execute=True):
        make_certificate(product, stars=4, decision_date=add_months(timezone.localdate(), -3))
        variant = ProductVariant.objects.get(product=product)
        variant.stock = 7
        variant.save(update_fields=["stock"])
    record.refresh_from_db()
    assert (record.stars, record.in_stock) == (4, True)
    assert found("sao=4&q=tan cuong") == ["Chè búp Tân Cương"]


def test_a_stay_with_places_per_date_is_available_without_stock(django_capture_on_commit_callbacks):
    """Tours and homestays are sold by date (places per date), never from stock."""
    with django_capture_on_commit_callbacks(execute=True):
        stay = make_product(title="Homestay nhà sàn bản Áng", group_slug="du-lich", stock=0)
        closed = make_product(title="Tour làng nghề", group_slug="du-lich", stock=5)
        ProductVariant.objects.filter(product=stay).update(capacity_per_date=12, weight_grams=None)
        ProductVariant.objects.filter(product=closed).update(capacity_per_date=0, weight_grams=None)
        update_products([stay.pk, closed.pk])
    assert SearchRecord.objects.get(product=stay).in_stock is True
    assert SearchRecord.objects.get(product=closed).in_stock is False  # its stock is not its places


def test_expired_stars_leave_the_index_after_the_daily_refresh():
    product = make_product(title="Cá kho niêu", stars=3, decision_date=add_months(timezone.localdate(), -20))
    rebuild()
    certificate = product.certificates.get()
    type(certificate).objects.filter(pk=certificate.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert SearchRecord.objects.get(product=product).stars == 3
    assert refresh_certificate_stars.call() == 1
    assert SearchRecord.objects.get(product=product).stars is None
    assert found("sao=3&q=ca kho nieu") == []
    [card] = search_products(parse(QueryDict("q=ca kho nieu"))).products
    assert (card.stars, card.certificate_problem) == (None, "Chứng nhận OCOP đã hết hạn")


def test_result_cards_show_what_the_product_page_shows(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(title="Nước mắm cốt", stars=4, decision_date=add_months(timezone.localdate(), -2))
    [card] = search_products(parse(QueryDict("q=nuoc mam cot"))).products
    page = type(product).objects.for_listing().get(pk=product.pk)
    assert (card.title, card.url, card.producer_name, card.place_name, card.stars, card.min_price, card.in_stock) == (
        page.title, page.url, page.producer_name, page.place_name, page.stars, page.min_price, page.in_stock)
    with django_capture_on_commit_callbacks(execute=True):
        product.certificates.update(revoked_on=timezone.localdate())
        product.save_revision().publish()  # a certificate saved in the admin re-indexes; update() does not
    [card] = search_products(parse(QueryDict("q=nuoc mam cot"))).products
    assert (card.stars, card.certificate_problem) == (None, "Chứng nhận OCOP đã bị thu hồi")


def test_only_valid_certificates_carry_stars_and_drafts_never_appear():
    make_product(title="Bánh cáy Làng Nguyễn", stars=4, decision_date=add_months(timezone.localdate(), -40))
    draft = make_product(title="Bánh cáy bản nháp")
    draft.unpublish()
    rebuild()
    assert SearchRecord.objects.get(title="Bánh cáy Làng Nguyễn").stars is None
    assert found("q=banh cay") == ["Bánh cáy Làng Nguyễn"]
    assert found("q=banh cay&sao=4") == []


def test_place_name_in_the_query_narrows_to_that_place():
    make_product(title="Vải thiều Thanh Hà")  # factory producers are in old Thanh Hà, Hải Dương
    make_product(title="Vải thiều Lục Ngạn", producer=make_producer(
        title="HTX Lục Ngạn", province_slug="bac-ninh", commune_name="Xã Lục Ngạn",
        legacy_province_slug="bac-giang", legacy_district="Lục Ngạn"))
    rebuild()
    result = search_products(parse(QueryDict("q=vai thieu thanh ha")))
    assert [p.title for p in result.products] == ["Vải thiều Thanh Hà"]
    # A product naming the place is found too, wherever it is sold from.
    make_product(title="Vải thiều Thanh Hà sấy khô", producer=make_producer(
        title="Cửa hàng Hà Nội", province_slug="bac-ninh", commune_name="Xã Lục Ngạn",
        legacy_province_slug="bac-giang", legacy_district="Lục Ngạn"))
    rebuild()
    assert sorted(found("q=vai thieu thanh ha")) == ["Vải thiều Thanh Hà", "Vải thiều Thanh Hà sấy khô"]
    assert result.params.place.label == "Huyện Thanh Hà, Hải Dương"
    assert sorted(found("q=vai thieu")) == ["Vải thiều Lục Ngạn", "Vải thiều Thanh Hà", "Vải thiều Thanh Hà sấy khô"]
    assert sorted(found("q=vai thieu&tinh=bac-giang")) == ["Vải thiều Lục Ngạn", "Vải thiều Thanh Hà sấy khô"]


@pytest.mark.parametrize("query_string, note", [
    ('q=" * ? ~', "không có chữ hay số nào"),
    ("trang=99999", "Trang 10000 không có"),
    ("trang=-3", "Số trang “-3” không hợp lệ"),
    ("sap-xep=price_asc", "Bỏ qua cách sắp xếp không hợp lệ."),
    ("sao=9", "Bỏ qua hạng sao không hợp lệ: “9”."),
])
def test_bad_input_is_answered_with_a_note(query_string, note):
    make_product(title="Chè Thái Nguyên")
    rebuild()
    result = search_products(parse(QueryDict(query_string)))
    assert any(note in n for n in result.notes), result.notes
    assert result.total == 1


def test_autocomplete_puts_products_named_like_the_query_first():
    from search.autocomplete import suggest

    make_product(title="Trà hoa vàng", description="<p>Hái từ đồi chè gần vải thiều</p>")
    make_product(title="Vải thiều sấy", stars=3)
    rebuild()
    products = [r["label"] for r in suggest("vai th") if r["type"] == "product"]
    assert products[0] == "Vải thiều sấy"
