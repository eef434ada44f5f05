"""The storefront pages show the truth: stars only while certified, legacy names, SEO markup."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import ProductPage
from catalog.models.certificates import add_months
from tests.factories import add_image, make_certificate, make_producer, make_product

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def json_ld(html):
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


@pytest.fixture
def lychee():
    producer = make_producer(title="HTX Vải thiều Thanh Hà", phone="0912345678")
    product = make_product(producer=producer, title="Vải thiều Thanh Hà", stars=4, price=85_000, gtin="8934563138165",
                           geographical_indication="Thanh Hà")
    product.season_months.set([5, 6, 7])
    product.save()
    add_image(product)
    return product


def test_home_page_shows_featured_products_groups_and_provinces(client, lychee):
    ProductPage.objects.filter(pk=lychee.pk).update(featured=True)
    html = get(client, "/")
    assert "Vải thiều Thanh Hà" in html
    assert "Thực phẩm" in html and "Hải Phòng" in html


def test_product_page_shows_stars_certificate_variants_and_json_ld(client, lychee):
    html = get(client, lychee.url)
    certificate = lychee.certificates.get()
    assert certificate.decision_number in html
    assert "4 sao" in html
    assert "85.000" in html
    assert "Thêm vào giỏ" in html
    product_ld = next(d for d in json_ld(html) if d.get("@type") == "Product")
    assert product_ld["name"] == "Vải thiều Thanh Hà"
    assert product_ld["brand"]["name"] == "HTX Vải thiều Thanh Hà"
    offers = product_ld["offers"]
    offers = offers if isinstance(offers, list) else offers.get("offers", [offers])
    assert {o["priceCurrency"] for o in offers} == {"VND"}
    assert [int(o["price"]) for o in offers if "price" in o] == [85_000]
    assert all(o["availability"].endswith("InStock") for o in offers)
    assert product_ld["image"]
    assert f'<link rel="canonical" href="http://testserver{lychee.url}"' in html
    assert 'property="og:title"' in html and 'property="og:image"' in html


def test_expired_product_shows_no_stars_and_says_so(client):
    product = make_product(title="Mắm tôm hết hạn", stars=4, decision_date=add_months(timezone.localdate(), -40))
    html = get(client, product.url)
    assert "Chứng nhận OCOP đã hết hạn" in html
    assert "4 sao" not in html
    listing = get(client, "/san-pham/")
    assert "Mắm tôm hết hạn" in listing and "Chứng nhận OCOP đã hết hạn" in listing


def test_producer_page_tells_the_story_with_legacy_place_and_organization_json_ld(client, lychee):
    html = get(client, lychee.producer.url)
    assert "Thanh Hà, Hải Dương" in html
    assert "Vải thiều Thanh Hà" in html
    org = next(d for d in json_ld(html) if d.get("@type") == "Organization")
    assert org["name"] == "HTX Vải thiều Thanh Hà"
    assert org["address"]["addressRegion"] == "Thành phố Hải Phòng"


def test_province_page_answers_under_current_and_legacy_names(client, lychee):
    current = get(client, "/tinh/hai-phong/")
    assert "Vải thiều Thanh Hà" in current
    legacy = get(client, "/tinh/hai-duong/")
    assert "Vải thiều Thanh Hà" in legacy
    assert "Hải Dương" in legacy and "Hải Phòng" in legacy
    assert 'href="/tinh/hai-phong/"' in legacy
    get(client, "/tinh/khong-co-tinh-nay/", status=404)


def test_group_page_and_subgroup_filter(client, lychee):
    assert "Vải thiều Thanh Hà" in get(client, "/nhom/thuc-pham/")
    assert "Vải thiều Thanh Hà" not in get(client, "/nhom/do-uong/")
    get(client, "/nhom/thuc-pham/?phan-nhom=khong-co", status=404)


def test_star_filter_and_bad_page_numbers_do_not_fail(client, lychee):
    three = make_product(title="Gạo ruộng rươi", stars=3)
    html = get(client, "/san-pham/?sao=3")
    assert "Gạo ruộng rươi" in html and "Vải thiều Thanh Hà" not in html
    assert "Vải thiều Thanh Hà" in get(client, "/san-pham/?sao=9&trang=abc&sap-xep=bogus")
    assert three.title in get(client, "/san-pham/?trang=999")


def test_unpublished_products_are_not_listed(client, lychee):
    lychee.unpublish()
    assert "Vải thiều Thanh Hà" not in get(client, "/san-pham/")
    get(client, lychee.url, status=404)


def test_english_version_of_pages(client, lychee):
    html = get(client, "/en/san-pham/")
    assert '<html lang="en"' in html


def test_sitemap_lists_products_and_province_pages(client, lychee):
    xml = get(client, "/sitemap.xml")
    assert lychee.url in xml
    assert "/tinh/hai-phong/" in xml and "/tinh/hai-duong/" in xml


def count_queries(client, url):
    client.get(url)  # warm-up: renditions are created on first view
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("url_of", [
    lambda producer: "/",
    lambda producer: "/san-pham/",
    lambda producer: "/tinh/hai-phong/",
    lambda producer: "/tinh/hai-duong/",
    lambda producer: "/nhom/thuc-pham/",
    lambda producer: producer.url,
    lambda producer: producer.get_parent().url,
])
def test_listing_pages_run_a_constant_number_of_queries(client, url_of):
    producer = make_producer()

    def add_products(count):
        for _ in range(count):
            product = make_product(producer=producer, featured=True)
            add_image(product)
            make_certificate(product, stars=3, decision_date=datetime.date(2024, 5, 1))
            product.season_months.set([1, 2])
            product.save()

    add_products(2)
    url = url_of(producer)
    few = count_queries(client, url)
    add_products(10)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with 2 products, {many} with 12"
    # 25 before the footer linked the policy pages and the producer page showed its rating (1 query each).
    assert many <= 28, f"{url}: {many} queries"


def test_in_season_filter_keeps_products_of_this_month_and_all_year_ones(client, lychee):
    month = timezone.localdate().month
    all_year = make_product(title="Mật ong quanh năm")
    this_month = make_product(title="Cam đúng mùa")
    this_month.season_months.set([month])
    this_month.save()
    lychee.season_months.set([m for m in range(1, 13) if m != month][:3])
    lychee.save()
    html = get(client, "/san-pham/?mua-vu=1")
    assert all_year.title in html and this_month.title in html
    assert "Vải thiều Thanh Hà" not in html


def test_home_counts_follow_publishing(client):
    make_product(stars=5, title="Trà hoa vàng")
    assert "Trà hoa vàng" not in get(client, "/")  # not featured
    first = get(client, "/")
    product = make_product(stars=5)
    product.unpublish()
    product.save_revision().publish()
    second = get(client, "/")
    five_star = re.compile(r"(\d+)\s*</[^>]+>\s*<[^>]+>\s*sản phẩm 5 sao")
    assert [int(m) for m in five_star.findall(first)] == [1]
    assert [int(m) for m in five_star.findall(second)] == [2]


def test_robots_txt_points_at_the_sitemap(client):
    text = get(client, "/robots.txt")
    assert "Disallow: /admin/" in text and "Sitemap: http://testserver/sitemap.xml" in text
