"""Suggestions while typing come from an index made for prefixes, kept with the product index."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.autocomplete import suggest
from search.backends.database import prefix_range
from search.index import _delete_words, rebuild
from search.models import SearchRecord, SearchWord
from tests.factories import make_producer, make_product

pytestmark = pytest.mark.django_db


def products(query):
    return [r["label"] for r in suggest(query) if r["type"] == "product"]


@pytest.mark.parametrize(("prefix", "bounds"), [
    ("vai", ("vai", "vaj")), ("az", ("az", "b")), ("a9", ("a9", "aa")), ("zz", ("zz", None)), ("9", ("9", "a")),
])
def test_a_beginning_is_a_range_of_words_in_the_alphabet_of_folded_words(prefix, bounds):
    assert prefix_range(prefix) == bounds


def test_typed_words_are_whole_words_of_the_product_but_the_last_a_beginning():
    make_product(title="Vải thiều sấy")
    rebuild()
    assert products("vai th") == ["Vải thiều sấy"]
    assert products("thieu va") == ["Vải thiều sấy"]  # any order; only the last is unfinished
    assert products("Vải Thiều S") == ["Vải thiều sấy"]  # folded
    assert products("va th") == []  # "va" is finished: no such word
    assert products("vai thieux") == []


def test_title_matches_come_first_then_the_most_stars():
    make_product(title="Trà hoa vàng", description="<p>Hái gần đồi vải thiều</p>", stars=5)
    make_product(title="Vải thiều loại ba", stars=3)
    make_product(title="Vải thiều loại bốn", stars=4)
    make_product(title="Vải thiều chưa xếp hạng", stars=None)
    rebuild()
    assert products("vai th") == ["Vải thiều loại bốn", "Vải thiều loại ba", "Vải thiều chưa xếp hạng", "Trà hoa vàng"]


def test_the_prefix_index_follows_publishing_and_the_rebuild(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(title="Nấm linh chi đỏ", stars=4)
    rows = set(SearchWord.objects.filter(product=product).values_list("field", "word"))
    assert {("title", "nam"), ("title", "linh"), ("words", "nam"), ("words", "thanh")} <= rows  # producer's place too
    assert products("linh c") == ["Nấm linh chi đỏ"]
    with django_capture_on_commit_callbacks(execute=True):
        product.unpublish()
    assert not SearchWord.objects.filter(product=product).exists()
    assert products("linh c") == []
    other = make_product(title="Chè búp")
    rebuild()
    assert set(SearchWord.objects.values_list("product_id", flat=True)) == {other.pk}


def test_the_migration_fills_the_prefix_index_from_the_records_already_indexed():
    make_product(title="Gạo ruộng rươi", stars=3)
    rebuild()
    before = set(SearchWord.objects.exclude(field="exact").values_list("field", "word", "rank", "product_id"))
    _delete_words()  # the exact keys (migration 0006, tests/search/test_ranking.py) too
    SearchRecord.objects.update(rank=0)
    from django.apps import apps

    migration = importlib.import_module("search.migrations.0005_suggestion_words")
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert set(SearchWord.objects.values_list("field", "word", "rank", "product_id")) == before
    assert products("gao ruong r") == ["Gạo ruộng rươi"]


def test_producers_and_places_are_suggested_by_the_beginnings_of_their_words():
    make_producer(title="HTX Mật ong Bắc Kạn")
    make_product(title="Mật ong rừng")
    rebuild()
    results = suggest("mat o")
    assert [r["label"] for r in results if r["type"] == "producer"] == ["HTX Mật ong Bắc Kạn"]
    assert [r["label"] for r in results if r["type"] == "product"] == ["Mật ong rừng"]
    assert {"type": "place", "label": "Tỉnh Bắc Kạn (cũ)"}.items() <= next(
        r for r in suggest("bac ka") if r["type"] == "place").items()


def test_a_suggestion_costs_a_few_queries_however_many_products_match(client):
    def queries(query):
        client.get("/tim-kiem/goi-y/", {"q": query})  # the producer names, once per process
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/tim-kiem/goi-y/", {"q": query}).status_code == 200
        return len(captured)

    make_product(title="Mật ong hoa nhãn")
    rebuild()
    few = {query: queries(query) for query in ("mat o", "mat ong hoa n", "ma")}
    for n in range(12):
        make_product(title=f"Mật ong loại {n}", stars=[3, 4, 5, None][n % 4])
    rebuild()
    many = {query: queries(query) for query in few}
    assert max(few.values()) <= 5  # the title's walk and the words' (each: size the terms, walk), the cards
    assert all(many[query] <= few[query] for query in few)  # fewer once enough titles match
