"""The public figures page counts what the catalogue says today, in a fixed number of queries."""

import collections
import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProducerPage, ProductPage
from catalog.models.certificates import add_months
from storefront import figures
from storefront.models import ProvinceTarget
from tests.factories import make_certificate, make_producer, make_product, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Hải Phòng: a cooperative with four live products (one expiring, one expired) and a draft;
    Hà Nội: an enterprise with two products certified this year."""
    today = timezone.localdate()
    this_year = datetime.date(today.year, 1, 1)
    last_year = datetime.date(today.year - 1, 6, 1)
    two_years_ago = datetime.date(today.year - 2, 6, 1)
    expiring_decision = add_months(today, -35)  # expires in about a month
    expired_decision = add_months(today, -40)

    hp = make_producer(title="HTX Hải Phòng")
    hn = make_producer(title="Công ty Hà Nội", province_slug="ha-noi", commune_name="Phường Ba Đình",
                       legacy_province_slug=None)
    ProducerPage.objects.filter(pk=hn.pk).update(legal_form=ProducerPage.LegalForm.ENTERPRISE)

    p1 = make_product(hp, stars=4, decision_date=this_year)
    make_certificate(p1, stars=3, decision_date=two_years_ago)  # an earlier, lower rating
    p2 = make_product(hp, stars=5, decision_date=last_year, group_slug="do-uong")
    p3 = make_product(hp, stars=3, decision_date=expiring_decision)
    p4 = make_product(hp, stars=4, decision_date=expired_decision)
    draft = make_product(hp, stars=5, decision_date=this_year)
    ProductPage.objects.filter(pk=draft.pk).update(live=False)
    p5 = make_product(hn, stars=3, decision_date=this_year, group_slug="do-uong")
    p6 = make_product(hn, stars=4, decision_date=this_year)

    decisions = [(p1, this_year), (p1, two_years_ago), (p2, last_year), (p3, expiring_decision),
                 (p4, expired_decision), (p5, this_year), (p6, this_year)]
    return {"today": today, "decisions": decisions}


def test_products_by_province_stars_and_group_count_live_products_with_a_valid_certificate(catalogue):
    assert figures.products_by_province() == [("Hải Phòng", 3), ("Hà Nội", 2)]
    assert figures.products_by_stars() == [(5, 1), (4, 2), (3, 2)]
    assert figures.products_by_group() == [("Thực phẩm", 3), ("Đồ uống", 2)]


def test_producers_by_legal_form_lists_every_form(catalogue):
    assert figures.producers_by_legal_form() == [
        ("Hợp tác xã", 1), ("Doanh nghiệp", 1), ("Hộ kinh doanh", 0), ("Tổ hợp tác", 0),
    ]


def test_expiring_and_expired_certificates(catalogue):
    assert figures.certificate_expiry() == {"expiring": 1, "expired": 1}
    # A renewal takes the expired product out of the count.
    p4 = next(p for p, day in catalogue["decisions"] if day == add_months(catalogue["today"], -40))
    make_certificate(p4, stars=4, decision_date=catalogue["today"])
    assert figures.certificate_expiry() == {"expiring": 1, "expired": 0}


def test_trend_counts_products_per_decision_year_with_gaps_filled(catalogue):
    per_year = collections.Counter(day.year for _product, day in set(catalogue["decisions"]))
    years = range(min(per_year), max(per_year) + 1)
    assert figures.certified_per_year() == [(year, per_year.get(year, 0)) for year in years]


def test_targets_show_progress_for_this_year(catalogue):
    year = catalogue["today"].year
    ProvinceTarget.objects.create(province=province("hai-phong"), year=year, min_stars=3, new_products=4)
    ProvinceTarget.objects.create(province=province("hai-phong"), year=year, min_stars=5, new_products=1)
    ProvinceTarget.objects.create(province=province("ha-noi"), year=year, min_stars=3, new_products=2, note="Kế hoạch")
    ProvinceTarget.objects.create(province=province("ha-noi"), year=year - 1, min_stars=3, new_products=9)

    progress = figures.target_progress()
    assert [(t["province"], t["min_stars"], t["target"], t["achieved"], t["percent"]) for t in progress] == [
        ("Hà Nội", 3, 2, 2, 100),
        ("Hải Phòng", 3, 4, 1, 25),  # the draft's 5★ certificate does not count
        ("Hải Phòng", 5, 1, 0, 0),
    ]
    assert progress[0]["note"] == "Kế hoạch"
    last_year = figures.with_progress(ProvinceTarget.objects.filter(year=year - 1)).get()
    assert last_year.achieved == 0


def test_figures_take_a_fixed_number_of_queries_and_are_cached(catalogue, django_assert_num_queries):
    with django_assert_num_queries(7):
        first = figures.all_figures()
    with django_assert_num_queries(0):
        assert figures.all_figures() == first
    assert first["total"] == 5
    assert first["by_stars"] == [("5 sao", 1), ("4 sao", 2), ("3 sao", 2)]


def test_page_renders_charts_with_tables(client, catalogue):
    ProvinceTarget.objects.create(province=province("hai-phong"), year=catalogue["today"].year,
                                  min_stars=3, new_products=1234)
    url = reverse("figures")
    assert url == "/thong-ke/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Số liệu OCOP</h1>" in html
    assert '<meta name="description" content="Số liệu sản phẩm OCOP' in html
    assert 'class="breadcrumbs"' in html
    assert html.count('role="img"') == 6
    assert html.count("<svg class=\"chart-svg\"") == 6
    assert html.count("<table") == 6
    assert html.count("Xem bảng số liệu") == 6
    # Each chart is directly followed by its table.
    assert len(re.findall(r"</svg>\s*<details class=\"chart-data\">", html)) == 6
    assert "Hải Phòng" in html and "Hợp tác xã" in html
    assert "1/1.234" in html  # Vietnamese thousands separator
    assert f'href="{url}"' in html  # linked from the footer
    # Coordinates are never localised (no "12,5" or "1.234" inside SVG attributes).
    assert not re.search(r'(?:x|y|width|height)="[0-9]+[,.][0-9]{3}"', html)


def test_page_query_count_does_not_grow_with_the_catalogue(client, catalogue, django_assert_max_num_queries):
    def page_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/thong-ke/").status_code == 200
        return len(queries)

    page_queries()  # the first request also loads per-process state (sites, settings)
    before = page_queries()
    producer = make_producer()
    for stars in (3, 4, 5, 3):
        make_product(producer, stars=stars, decision_date=datetime.date(catalogue["today"].year, 1, 1))
    assert page_queries() == before
    cache.clear()
    with django_assert_max_num_queries(15):
        client.get("/thong-ke/")


def test_empty_catalogue_page_says_there_are_no_figures(client):
    html = client.get("/thong-ke/").content.decode()
    assert "Chưa có chỉ tiêu cho năm nay." in html
    assert "Chưa có số liệu." in html


def test_english_page_uses_english_group_names(client, catalogue):
    html = client.get("/en/thong-ke/").content.decode()
    assert "Food" in html and "Drinks" in html


@pytest.mark.parametrize("fields", [{"min_stars": 6}, {"min_stars": 2}, {"new_products": 0}])
def test_target_refuses_stars_outside_3_to_5_and_an_empty_target(fields):
    values = {"province": province("hai-phong"), "year": 2026, "min_stars": 3, "new_products": 10, **fields}
    with pytest.raises(ValidationError) as error:
        ProvinceTarget(**values).full_clean()
    assert set(error.value.message_dict) & {"min_stars", "new_products", "__all__"}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceTarget.objects.create(**values)


def test_target_is_unique_per_province_year_and_stars():
    ProvinceTarget.objects.create(province=province("hai-phong"), year=2026, min_stars=3, new_products=10)
    with pytest.raises(ValidationError):
        ProvinceTarget(province=province("hai-phong"), year=2026, min_stars=3, new_products=5).full_clean()


def test_officers_can_add_targets_in_the_admin(admin_client):
    assert admin_client.get(reverse("wagtailsnippets_storefront_provincetarget:list")).status_code == 200
    response = admin_client.post(reverse("wagtailsnippets_storefront_provincetarget:add"), {
        "province": province("hai-phong").pk, "year": 2026, "min_stars": 6, "new_products": 0, "note": "",
    })
    assert response.status_code == 200  # the form is shown again with errors
    assert not ProvinceTarget.objects.exists()
    response = admin_client.post(reverse("wagtailsnippets_storefront_provincetarget:add"), {
        "province": province("hai-phong").pk, "year": 2026, "min_stars": 4, "new_products": 50, "note": "",
    })
    assert response.status_code == 302
    assert ProvinceTarget.objects.get().new_products == 50


def test_the_yearly_trend_reaches_this_year_with_no_decision_yet():
    """Beside this year's (empty) target block, the chart ends on this year at zero, not last year."""
    today = timezone.localdate()
    make_product(stars=4, decision_date=datetime.date(today.year - 2, 3, 1))
    assert figures.certified_per_year(today) == [(today.year - 2, 1), (today.year - 1, 0), (today.year, 0)]
