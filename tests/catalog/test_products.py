"""Products, variants and producers refuse bad data, in forms and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import Commune, LegacyDistrict, LegacyProvince, ProductSubgroup, ProductVariant
from catalog.validators import gtin_check_digit, validate_gtin
from tests.factories import make_producer, make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("gtin", ["8934563138165", "4006381333931", "96385074", "036000291452", "10012345678902"])
def test_valid_gtins_pass(gtin):
    validate_gtin(gtin)


@pytest.mark.parametrize("gtin, message", [
    ("8934563138166", "sai số kiểm tra (chữ số cuối phải là 5)"),
    ("893456313816", "sai số kiểm tra"),
    ("12345", "phải gồm 8, 12, 13 hoặc 14 chữ số"),
    ("89345631381A5", "phải gồm 8, 12, 13 hoặc 14 chữ số"),
])
def test_bad_gtins_are_refused_with_a_reason(gtin, message):
    with pytest.raises(ValidationError) as info:
        validate_gtin(gtin)
    assert message in info.value.messages[0]


def test_check_digit_of_a_known_ean13():
    assert gtin_check_digit("893456313816") == 5


def test_negative_price_or_stock_is_refused_by_the_database():
    product = make_product()
    for fields in ({"price": -1, "stock": 1}, {"price": 1000, "stock": -5}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProductVariant.objects.create(product=product, sku=f"NEG-{fields['price']}", name="x", weight_grams=100, **fields)


def test_prices_are_whole_dong_up_to_billions():
    product = make_product(price=12_500_000_000)
    assert product.variants.get().price == 12_500_000_000
    assert isinstance(product.min_price, int)


def test_commune_must_be_in_the_chosen_province():
    producer = make_producer()
    producer.commune = Commune.objects.filter(province__slug="ha-noi").first()
    with pytest.raises(ValidationError) as info:
        producer.full_clean()
    assert "không thuộc Thành phố Hải Phòng" in info.value.message_dict["commune"][0]


def test_legacy_province_must_have_become_the_current_province():
    producer = make_producer()
    producer.legacy_province = LegacyProvince.objects.get(slug="thanh-hoa")
    producer.legacy_district = None
    with pytest.raises(ValidationError) as info:
        producer.full_clean()
    assert info.value.message_dict["legacy_province"] == [
        "Tỉnh Thanh Hóa cũ nay thuộc Tỉnh Thanh Hóa, không phải Thành phố Hải Phòng."
    ]


def test_legacy_district_must_be_in_the_legacy_province():
    producer = make_producer()
    producer.legacy_district = LegacyDistrict.objects.filter(legacy_province__slug="ha-noi").first()
    with pytest.raises(ValidationError) as info:
        producer.full_clean()
    assert "legacy_district" in info.value.message_dict


def test_producer_keeps_its_legacy_place_name():
    producer = make_producer()
    assert producer.legacy_place == "Thanh Hà, Hải Dương"
    assert producer.full_address == "Thôn Đông, Xã Thanh Hà, Thành phố Hải Phòng"


def test_subgroup_must_belong_to_the_group():
    product = make_product(group_slug="thuc-pham")
    product.subgroup = ProductSubgroup.objects.get(group__slug="do-uong", slug="do-uong-co-con")
    with pytest.raises(ValidationError) as info:
        product.full_clean()
    assert "không thuộc nhóm" in info.value.message_dict["subgroup"][0]


def test_product_knows_its_producer_and_follows_a_move():
    first, second = make_producer(), make_producer()
    product = make_product(producer=first)
    assert product.producer_id == first.pk
    product.move(second, pos="last-child")
    product.refresh_from_db()
    assert product.producer_id == second.pk


def test_price_range_stock_and_season():
    product = make_product(price=50_000, stock=0)
    ProductVariant.objects.create(product=product, sku="BIG", name="Thùng", weight_grams=5000, price=240_000, stock=0)
    product = type(product).objects.get(pk=product.pk)
    assert (product.min_price, product.max_price, product.in_stock) == (50_000, 240_000, False)
    assert product.in_season(7)  # no season months: all year
    product.season_months.set([5, 6, 7])
    product.save()
    product = type(product).objects.get(pk=product.pk)
    assert product.in_season(6) and not product.in_season(12)
