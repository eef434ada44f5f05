"""Buyers' ratings in search, on both backends: publishing (or rejecting) a review moves its product
under the "Đánh giá cao" sort (`sap-xep=danh-gia`) and in or out of the rating filter (`danh-gia=N`,
average at least N), which is not the OCOP stars filter (`sao`). A bad value is a note, never a 500."""

import html
import re

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from catalog import ratings
from catalog.models import ProvinceOfficer
from catalog.permissions import setup_roles
from search.index import rebuild
from search.models import SearchRecord
from search.query import parse
from search.service import search_products
from shop import reviews
from tests.conftest import require_service
from tests.factories import make_product, province
from tests.search.test_parity import elasticsearch_up
from tests.search.test_search_page import checkboxes, chips, get, titles
from tests.shop.test_reviews import reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request):
    if request.param == "elasticsearch":
        require_service(elasticsearch_up(), "ELASTICSEARCH_URL is not set or Elasticsearch is not answering")
    return request.param


@pytest.fixture
def officer(django_user_model, settings):
    """An officer of Hải Phòng (where `make_producer` puts producers); reviews from many test buyers."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "review": "100/h"}
    setup_roles()
    user = django_user_model.objects.create_user("canbo-hp", "canbo@example.com", "pw-ratings-123")
    ProvinceOfficer.objects.create(user=user, province=province("hai-phong"))
    return user


@pytest.fixture
def honeys():
    """Three honeys, rebuilt into a fresh index (nothing else in it): A has the most OCOP stars."""
    products = {name: make_product(title=f"Mật ong rừng {name}", stars=stars)
                for name, stars in (("A", 5), ("B", 4), ("C", 3))}
    rebuild()
    return products


def found(query_string, backend):
    result = search_products(parse(QueryDict(query_string)), backend=backend)
    assert result.backend == backend
    return [product.title for product in result.products]


def publish(officer, product, rating, capture):
    with capture(execute=True):  # after commit: the figures are announced, the index follows
        review = reviewed(Client(), product, rating=str(rating))
        reviews.publish(review.pk, actor=officer)
    return review


def test_publishing_and_rejecting_reviews_move_products_in_the_rating_sort_and_filter(
        backend, honeys, officer, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    by_rating, at_least_4 = "q=mat ong rung&sap-xep=danh-gia", "q=mat ong rung&danh-gia=4"
    assert found(by_rating, backend) == ["Mật ong rừng A", "Mật ong rừng B", "Mật ong rừng C"]  # stars decide
    assert found(at_least_4, backend) == []

    publish(officer, honeys["C"], 4, capture)
    assert found(by_rating, backend) == ["Mật ong rừng C", "Mật ong rừng A", "Mật ong rừng B"]
    assert found(at_least_4, backend) == ["Mật ong rừng C"]

    publish(officer, honeys["B"], 5, capture)
    first_of_a = publish(officer, honeys["A"], 3, capture)
    assert found(by_rating, backend) == ["Mật ong rừng B", "Mật ong rừng C", "Mật ong rừng A"]
    assert found(at_least_4, backend) == ["Mật ong rừng B", "Mật ong rừng C"]
    assert found("q=mat ong rung&danh-gia=5", backend) == ["Mật ong rừng B"]
    assert found("q=mat ong rung&sao=5", backend) == ["Mật ong rừng A"]  # the OCOP stars are another thing

    publish(officer, honeys["A"], 5, capture)  # A: 3★ and 5★, exactly 4: kept by "at least 4"
    publish(officer, honeys["C"], 4, capture)  # C: 4★ twice, also 4 on average but from 2, like A
    assert found(by_rating, backend) == ["Mật ong rừng B", "Mật ong rừng A", "Mật ong rừng C"]  # then stars
    assert found(at_least_4, backend) == ["Mật ong rừng A", "Mật ong rừng B", "Mật ong rừng C"]  # by relevance

    with capture(execute=True):  # a published review taken down after reports: A averages 5 now
        reviews.reject(first_of_a.pk, actor=officer)
    assert found(by_rating, backend) == ["Mật ong rừng A", "Mật ong rừng B", "Mật ong rừng C"]  # 5 from 1 each


def test_result_cards_show_the_indexed_rating_without_reading_reviews(
        client, honeys, officer, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish(officer, honeys["B"], 5, django_capture_on_commit_callbacks)
    publish(officer, honeys["B"], 4, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as captured:
        page = get(client, "/tim-kiem/", {"q": "mat ong rung", "sap-xep": "danh-gia"})
    assert titles(page)[0] == "Mật ong rừng B"
    assert page.count("4,5/5 · 2 đánh giá") == 1 and page.count('class="card-rating"') == 1
    assert not [query for query in captured.captured_queries if "shop_review" in query["sql"]]


def test_the_search_page_offers_the_rating_sort_and_filter_apart_from_the_ocop_stars(
        client, honeys, officer, django_capture_on_commit_callbacks):
    publish(officer, honeys["B"], 5, django_capture_on_commit_callbacks)
    publish(officer, honeys["C"], 3, django_capture_on_commit_callbacks)
    page = get(client, "/tim-kiem/", {"q": "mat ong rung"})
    menu = re.search(r'<nav class="sort-menu[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert '<a href="?q=mat+ong+rung&amp;sap-xep=danh-gia">Đánh giá cao</a>' in menu
    legends = [html.unescape(text) for text in re.findall(r"<legend>(.*?)</legend>", page)]
    assert "Hạng sao OCOP" in legends and "Đánh giá của người mua" in legends
    boxes = checkboxes(page)
    assert boxes[("danh-gia", "5")] == ("Chỉ 5★", 1, False)
    assert boxes[("danh-gia", "4")] == ("Từ 4★ trở lên", 1, False)
    assert boxes[("danh-gia", "3")] == ("Từ 3★ trở lên", 2, False)
    assert boxes[("sao", "4")] == ("4 sao", 1, False)

    ticked = get(client, "/tim-kiem/", {"q": "mat ong rung", "danh-gia": "4", "sao": "4", "sap-xep": "danh-gia"})
    assert titles(ticked) == ["Mật ong rừng B"]
    assert checkboxes(ticked)[("danh-gia", "4")][2] is True
    assert dict(chips(ticked)) == {"Người mua chấm từ 4★": "?q=mat+ong+rung&sao=4&sap-xep=danh-gia",
                                   "4 sao": "?q=mat+ong+rung&danh-gia=4&sap-xep=danh-gia"}
    assert 'sap-xep=danh-gia" aria-current="true">Đánh giá cao</a>' in ticked
    assert '<input type="hidden" name="sap-xep" value="danh-gia">' in ticked  # the facet form keeps the sort


@pytest.mark.parametrize("value", ["9", "1", "4.5", "bốn", "", "<script>alert(1)</script>", "x" * 500])
def test_a_bad_rating_value_is_a_note_never_a_failure(client, honeys, value):
    page = get(client, "/tim-kiem/", {"q": "mat ong rung", "danh-gia": value})
    notes = html.unescape(re.search(r'<div class="alert alert-info search-notes"[^>]*>(.*?)</div>', page, re.S).group(1))
    assert f"Bỏ qua mức đánh giá không hợp lệ: “{value[:40]}”." in notes
    assert "<script>alert(1)</script>" not in page
    assert len(titles(page)) == 3  # the bad value filters nothing


def test_a_change_of_figures_reaches_the_index_and_the_listing_sort(client, honeys, django_capture_on_commit_callbacks):
    """`ratings_changed` re-indexes the product (search.signals); product listings sort by the stored figures."""
    with django_capture_on_commit_callbacks(execute=True):
        ratings.store(honeys["C"].pk, 2, 9)
    assert found("q=mat ong rung&danh-gia=4", "database") == ["Mật ong rừng C"]
    if settings.ELASTICSEARCH_URL:
        assert found("q=mat ong rung&danh-gia=4", "elasticsearch") == ["Mật ong rừng C"]
    assert SearchRecord.objects.filter(product=honeys["C"]).exists()
    listing = get(client, reverse("catalog:product_list"), {"sap-xep": "danh-gia"})
    assert titles(listing)[:3] == ["Mật ong rừng C", "Mật ong rừng A", "Mật ong rừng B"]
    assert 'sap-xep=danh-gia" aria-current="true">Đánh giá cao</a>' in listing
