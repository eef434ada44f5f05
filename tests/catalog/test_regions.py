"""Regions come from the official lists, load idempotently and keep the legacy map."""

import pytest

from catalog.models import Commune, LegacyDistrict, LegacyProvince, Province
from catalog.reference_data import load_regions, short_name
from catalog.text import fold, vietnamese_slug

pytestmark = pytest.mark.django_db


def test_loader_creates_todays_and_legacy_units():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696


def test_loading_twice_changes_nothing():
    before = list(Commune.objects.order_by("code").values_list("pk", "code", "name", "province_id"))
    counts = load_regions()
    assert counts == {"provinces": 34, "communes": 3321, "legacy_provinces": 63, "legacy_districts": 696}
    assert list(Commune.objects.order_by("code").values_list("pk", "code", "name", "province_id")) == before


def test_hai_duong_is_now_part_of_hai_phong():
    hai_duong = LegacyProvince.objects.get(slug="hai-duong")
    assert hai_duong.current_province.slug == "hai-phong"
    thanh_ha = LegacyDistrict.objects.get(short_name="Thanh Hà", legacy_province=hai_duong)
    assert thanh_ha.name == "Huyện Thanh Hà"


def test_merged_province_lists_its_legacy_provinces():
    phu_tho = Province.objects.get(slug="phu-tho")
    assert set(phu_tho.legacy_provinces.values_list("slug", flat=True)) == {"phu-tho", "vinh-phuc", "hoa-binh"}


def test_todays_commune_xa_thanh_ha_is_in_hai_phong():
    assert Commune.objects.filter(name="Xã Thanh Hà", province__slug="hai-phong").exists()


@pytest.mark.parametrize(
    "name, expected",
    [("Thành phố Hải Phòng", "Hải Phòng"), ("Tỉnh Đắk Lắk", "Đắk Lắk"), ("Huyện Thanh Hà", "Thanh Hà"),
     ("Quận 1", "Quận 1"), ("Thị xã Sơn Tây", "Sơn Tây")],
)
def test_short_name_drops_the_unit_type(name, expected):
    assert short_name(name) == expected


def test_folding_removes_marks_and_maps_d_with_stroke():
    assert fold("Vải Thiều ĐẠI HỢP đặc sản") == "vai thieu dai hop dac san"
    assert vietnamese_slug("Đắk Lắk") == "dak-lak"
