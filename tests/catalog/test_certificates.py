"""Certificates: 36 months of validity, the latest valid one counts, bad decisions are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import Certificate
from catalog.models.certificates import add_months, stars_for_score
from tests.factories import make_certificate, make_product

pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2023, 5, 31), 36) == datetime.date(2026, 5, 31)
    assert add_months(datetime.date(2024, 2, 29), 36) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2022, 11, 30), 3) == datetime.date(2023, 2, 28)


@pytest.mark.parametrize("score, stars", [(29, 1), (30, 2), (49, 2), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)])
def test_stars_follow_decision_148_score_bands(score, stars):
    assert stars_for_score(score) == stars


def test_expiry_defaults_to_36_months_after_the_decision():
    certificate = make_certificate(make_product(stars=None), decision_date=datetime.date(2024, 3, 15))
    assert certificate.expires_on == datetime.date(2027, 3, 15)


def test_current_rating_is_the_latest_valid_certificate():
    today = timezone.localdate()
    product = make_product(stars=None)
    make_certificate(product, stars=3, decision_date=add_months(today, -40))  # expired
    make_certificate(product, stars=4, decision_date=add_months(today, -2))
    make_certificate(product, stars=5, decision_date=add_months(today, -1), revoked_on=today)
    product.refresh_from_db()
    assert product.stars == 4
    assert product.current_certificate.stars == 4
    assert product.certificate_problem == ""


def test_expired_certificate_shows_no_stars_and_says_so():
    product = make_product(stars=4, decision_date=add_months(timezone.localdate(), -37))
    assert product.stars is None
    assert product.current_certificate is None
    assert product.certificate_problem == "Chứng nhận OCOP đã hết hạn"


def test_revoked_certificate_shows_no_stars():
    today = timezone.localdate()
    product = make_product(stars=None)
    make_certificate(product, stars=4, decision_date=add_months(today, -6), revoked_on=today)
    assert product.stars is None
    assert product.certificate_problem == "Chứng nhận OCOP đã bị thu hồi"


def test_certificate_expiring_within_90_days_is_flagged():
    today = timezone.localdate()
    soon = make_certificate(make_product(stars=None), stars=3,
                            decision_date=add_months(today, -36) + datetime.timedelta(days=30))
    later = make_certificate(make_product(stars=None), stars=3, decision_date=add_months(today, -12))
    assert soon.status == "expiring"
    assert later.status == "valid"
    assert list(Certificate.objects.expiring_within(90)) == [soon]
    assert "Sắp hết hạn" in str(soon.get_status_display())


def full_clean_errors(certificate):
    with pytest.raises(ValidationError) as info:
        certificate.full_clean()
    return info.value.message_dict


def test_stars_outside_3_to_5_are_refused_with_a_vietnamese_message():
    product = make_product(stars=None)
    errors = full_clean_errors(Certificate(product=product, stars=2, decision_number="1/QĐ", decision_date=datetime.date(2025, 1, 2),
                                           issuing_body="UBND tỉnh", level="tinh"))
    assert "stars" in errors


def test_score_must_match_the_stars():
    product = make_product(stars=None)
    errors = full_clean_errors(Certificate(product=product, stars=4, score=65, decision_number="1/QĐ",
                                           decision_date=datetime.date(2025, 1, 2), issuing_body="UBND tỉnh", level="tinh"))
    assert errors["score"] == ["Điểm 65 tương ứng 3 sao, không phải 4 sao (cần 70–89)."]


def test_expiry_before_decision_is_refused():
    product = make_product(stars=None)
    errors = full_clean_errors(Certificate(product=product, stars=3, decision_number="1/QĐ", decision_date=datetime.date(2025, 1, 2),
                                           expires_on=datetime.date(2024, 1, 1), issuing_body="UBND tỉnh", level="tinh"))
    assert errors["expires_on"] == ["Ngày hết hạn phải sau ngày quyết định."]


def test_no_district_level_after_july_2025_and_five_stars_are_central():
    product = make_product(stars=None)
    errors = full_clean_errors(Certificate(product=product, stars=3, decision_number="1/QĐ", decision_date=datetime.date(2025, 8, 1),
                                           issuing_body="UBND huyện", level="huyen"))
    assert "Từ tháng 7/2025 không còn cấp huyện" in errors["level"][0]
    old_district = Certificate(product=product, stars=3, decision_number="2/QĐ", decision_date=datetime.date(2024, 8, 1),
                               issuing_body="UBND huyện Thanh Hà", level="huyen")
    old_district.full_clean()  # recorded as it was: still valid
    errors = full_clean_errors(Certificate(product=product, stars=5, decision_number="3/QĐ", decision_date=datetime.date(2025, 8, 1),
                                           issuing_body="UBND tỉnh", level="tinh"))
    assert errors["level"] == ["Sản phẩm 5 sao do cấp trung ương công nhận."]


@pytest.mark.parametrize("fields", [
    {"stars": 6},
    {"stars": 2},
    {"stars": 4, "score": 95},
    {"stars": 3, "expires_on": datetime.date(2020, 1, 1)},
])
def test_database_refuses_impossible_certificates(fields):
    product = make_product(stars=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(product=product, decision_number="9/QĐ", decision_date=datetime.date(2024, 1, 1),
                                   issuing_body="UBND tỉnh", level="tinh", **fields)


def test_the_same_decision_cannot_be_recorded_twice_for_a_product():
    product = make_product(stars=None)
    make_certificate(product, decision_number="77/QĐ-UBND")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_certificate(product, decision_number="77/QĐ-UBND")
