"""Ranking as a shopper expects, one table run on both backends (issue 13, item 7).

A word typed with diacritics matches that word only ("chè" is tea, never "chế biến" nor "Ba Chẽ");
typed without them it matches every word that folds to it. Matches in the product's name rank above
matches in its producer's name, which rank above the description; a name that starts with the query
ranks first; more query words in the name beat fewer. Elasticsearch is real: without
ELASTICSEARCH_URL its half of the table skips, and with REQUIRE_SERVICES=1 it fails instead.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from catalog.models import ProductPage
from search.backends import database
from search.index import rebuild
from search.models import SearchRecord, SearchWord
from search.query import parse
from search.service import highlight
from search.terms import terms_of
from tests.conftest import require_service
from tests.factories import make_producer, make_product
from tests.search.test_parity import elasticsearch_up

INDEX = "ocop-products-test-ranking"  # its own index: other runs of the suite use ocop-products-test
ALL = 1000

# (title, producer, description, stars, group)
CATALOGUE = [
    ("Chè Shan tuyết Suối Giàng", "Hợp tác xã Chè Suối Giàng", "Búp chè shan tuyết cổ thụ, sao tay.", 5, "do-uong"),
    ("Chè búp Thái Nguyên", "Hợp tác xã Chè Tân Cương", "Chè búp sao sấy thủ công.", 4, "do-uong"),
    ("Trà chè dây Cao Bằng", "Hợp tác xã Dược liệu Nguyên Bình", "Lá chè dây phơi khô.", 3, "duoc-lieu"),
    ("Trà hoa vàng", "Hợp tác xã Chè Phú Hộ", "Hoa trà vàng sấy lạnh.", 5, "do-uong"),
    ("Trà xanh túi lọc", "Công ty TNHH Trà Việt", "Làm từ chè búp Tân Cương, Thái Nguyên.", 5, "do-uong"),
    ("Nước mắm Cát Hải", "Hợp tác xã Nước mắm Cát Hải",
     "Chế biến theo phương pháp truyền thống từ cá cơm.", 5, "thuc-pham"),
    ("Chiếu cói Kim Sơn", "Hợp tác xã Cói Kim Sơn", "Cói được chế biến, nhuộm và dệt tay.", 4, "thu-cong-my-nghe"),
    ("Cá kho làng Vũ Đại", "Hộ kinh doanh Cá kho Vũ Đại", "Cá trắm chế biến, kho niêu đất.", 4, "thuc-pham"),
    ("Ba kích tím", "Hợp tác xã Dược liệu Ba Chẽ", "Rễ ba kích ngâm rượu.", 4, "duoc-lieu"),
    ("Mật ong Đại Hợp", "Tổ hợp tác nuôi ong Đại Hợp", "Mật ong hoa vải và hoa nhãn.", 3, "thuc-pham"),
    ("Mật ong hoa nhãn Hưng Yên", "Hợp tác xã Ong mật Hưng Yên", "Mật ong nguyên chất.", 5, "thuc-pham"),
    ("Kẹo gừng mật ong", "Công ty TNHH Bánh kẹo Hải Hà", "Gừng sên với mật ong.", 5, "thuc-pham"),
    ("Vải thiều Thanh Hà", "Hợp tác xã Vải thiều Thanh Hà", "Vải chín đỏ, cùi dày.", 4, "thuc-pham"),
    ("Bánh đậu xanh Rồng Vàng", "Công ty TNHH Rồng Vàng", "Đậu xanh chế biến cùng đường và mỡ.", 4, "thuc-pham"),
    ("Cà phê rang mộc Ea Tu", "Hợp tác xã Cà phê Ea Tu", "Cà phê Robusta rang mộc.", 4, "do-uong"),
    ("Homestay bản Lác", "Tổ hợp tác Du lịch cộng đồng bản Lác",
     "Nhà sàn, món ăn chế biến từ sản vật của bản.", 3, "du-lich"),
    ("Rau má thuỷ canh", "Hợp tác xã Rau sạch Đông Anh", "Rau má trồng trong nước.", 3, "thuc-pham"),
]
TEAS = ("Chè Shan tuyết Suối Giàng", "Chè búp Thái Nguyên")
PROCESSED = ("Nước mắm Cát Hải", "Chiếu cói Kim Sơn", "Cá kho làng Vũ Đại", "Homestay bản Lác", "Bánh đậu xanh Rồng Vàng")

# query → the first results (a set: those first, in any order) and titles that must not match at all
CASES = [
    ("chè", [set(TEAS), "Trà chè dây Cao Bằng", "Trà hoa vàng", "Trà xanh túi lọc"], (*PROCESSED, "Ba kích tím")),
    ("Chè", [set(TEAS), "Trà chè dây Cao Bằng"], PROCESSED),
    ("CHÈ BÚP", ["Chè búp Thái Nguyên", "Chè Shan tuyết Suối Giàng", "Trà xanh túi lọc"], PROCESSED),
    ("che", [set(TEAS), "Trà chè dây Cao Bằng"], ()),
    ("chế biến", [], (*TEAS, "Trà chè dây Cao Bằng", "Trà hoa vàng", "Trà xanh túi lọc")),
    ("chè shan tuyết", ["Chè Shan tuyết Suối Giàng"], PROCESSED),
    ("mật ong", ["Mật ong Đại Hợp", "Mật ong hoa nhãn Hưng Yên", "Kẹo gừng mật ong"], ("Chiếu cói Kim Sơn",)),
    ("mat ong", ["Mật ong Đại Hợp", "Mật ong hoa nhãn Hưng Yên", "Kẹo gừng mật ong"], ()),
    ("Mật ong Đại Hợp", ["Mật ong Đại Hợp"], ("Mật ong hoa nhãn Hưng Yên", "Cá kho làng Vũ Đại")),
    ("mật ong hoa nhãn", ["Mật ong hoa nhãn Hưng Yên", "Mật ong Đại Hợp"], ("Kẹo gừng mật ong",)),
    ("nước mắm", ["Nước mắm Cát Hải"], TEAS),
    ("nuoc mam cat hai", ["Nước mắm Cát Hải"], TEAS),
    ("chiếu cói", ["Chiếu cói Kim Sơn"], ()),
    ("cá", ["Cá kho làng Vũ Đại", "Nước mắm Cát Hải"], ("Cà phê rang mộc Ea Tu",)),
    ("cà phê", ["Cà phê rang mộc Ea Tu"], ("Cá kho làng Vũ Đại",)),
    ("ca phe", ["Cà phê rang mộc Ea Tu"], ()),
    ("ca", [{"Cá kho làng Vũ Đại", "Cà phê rang mộc Ea Tu"}], ()),
    ("vải thiều", ["Vải thiều Thanh Hà"], ()),
    ("vai thieu", ["Vải thiều Thanh Hà"], ()),
    ("bánh đậu xanh", ["Bánh đậu xanh Rồng Vàng"], ()),
    ("homestay", ["Homestay bản Lác"], ()),
    ("du lịch cộng đồng", ["Homestay bản Lác"], ()),
    ("tân cương", ["Chè búp Thái Nguyên", "Trà xanh túi lọc"], ()),  # producer's name above the description
    ("thủy canh", ["Rau má thuỷ canh"], ()),  # old and new tone placement alike
    ("ong", [{"Mật ong Đại Hợp", "Kẹo gừng mật ong"}, "Mật ong hoa nhãn Hưng Yên"], ()),
    ("đại", ["Mật ong Đại Hợp", "Cá kho làng Vũ Đại"], ()),  # both names: the shorter first, above more stars
]


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(ELASTICSEARCH_INDEX=INDEX):
        producers = {}
        for title, producer, description, stars, group in CATALOGUE:
            if producer not in producers:
                producers[producer] = make_producer(title=producer)
            make_product(producers[producer], title=title, intro=description, stars=stars, group_slug=group)
        rebuild()
        yield
        for producer in producers.values():
            producer.delete()
        SearchWord.objects.all().delete()
        SearchRecord.objects.all().delete()
        if elasticsearch_up():
            from search.backends.elastic import client

            client().indices.delete(index=f"{INDEX}-*", ignore_unavailable=True)


def ranked(query, backend):
    """Titles of every match, in order, from one backend."""
    params = parse(QueryDict(f"q={query}"))
    month = timezone.localdate().month
    if backend == "elasticsearch":
        require_service(elasticsearch_up(), "ELASTICSEARCH_URL is not set or Elasticsearch is not answering")
        from search.backends import elastic

        with override_settings(ELASTICSEARCH_INDEX=INDEX):
            raw = elastic.search(params, month=month, page_size=ALL)
    else:
        raw = database.search(params, month=month, page_size=ALL)
    return [hit["title"] for hit in raw.hits]


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["database", pytest.param("elasticsearch", marks=pytest.mark.services)])
@pytest.mark.parametrize(("query", "first", "never"), CASES, ids=[case[0] for case in CASES])
def test_ranking_table(catalogue, backend, query, first, never):
    titles = ranked(query, backend)
    assert titles, f"{query!r} found nothing"
    position = 0
    for expected in first:
        group = expected if isinstance(expected, set) else {expected}
        assert set(titles[position:position + len(group)]) == group, f"{query!r}: {titles}"
        position += len(group)
    assert not set(never) & set(titles), f"{query!r} should not match: {set(never) & set(titles)}"


@pytest.mark.django_db
def test_a_word_typed_with_diacritics_finds_only_that_word(catalogue):
    assert set(ranked("chế biến", "database")) == set(PROCESSED)
    assert set(ranked("che bien", "database")) == set(PROCESSED)
    assert "Ba kích tím" in ranked("che", "database")  # Ba Chẽ folds to "che"
    assert set(ranked("chẽ", "database")) == {"Ba kích tím"}
    assert ranked("mật ong", "database") == ranked("mat ong", "database")


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize("query", [case[0] for case in CASES] + ["chè thái nguyên", "chẽ", "xyzzy chè"])
def test_both_backends_rank_every_match_alike(catalogue, query):
    assert ranked(query, "database") == ranked(query, "elasticsearch")


def test_exact_keys_accept_both_tone_placements_and_any_case():
    assert terms_of("Hòa THỦY khỏe") == terms_of("hoà thuỷ khoẻ") == [
        ("hoa", "hoà"), ("thuy", "thuỷ"), ("khoe", "khoẻ")]
    assert terms_of("Chè chế che") == [("che", "chè"), ("che", "chế"), ("che", "che")]
    assert terms_of("Cà-phê 40 độ") == [("ca", "cà"), ("phe", "phê"), ("40", "40"), ("do", "độ")]


def test_highlight_marks_what_the_query_matched():
    assert highlight("Chè, chế biến", ["chè"]) == "<mark>Chè</mark>, chế biến"
    assert highlight("Chè, chế biến", ["che"]) == "<mark>Chè</mark>, <mark>chế</mark> biến"


@pytest.mark.django_db
def test_the_search_page_ranks_and_marks_by_what_was_typed(client, catalogue, settings):
    settings.ELASTICSEARCH_URL = ""  # the database backend, whatever the environment says
    page = client.get("/tim-kiem/", {"q": "chè"}).content.decode()
    assert page.index("<mark>Chè</mark> búp Thái Nguyên") < page.index("Trà <mark>chè</mark> dây Cao Bằng")
    assert "Nước mắm Cát Hải" not in page


@pytest.mark.django_db
def test_the_migration_fills_ranking_fields_from_the_records_already_indexed(catalogue):
    """Migration 0006 gives records indexed before it their names' keys and exact rows, so ranking and
    accented queries work before the next `search_reindex` (which adds descriptions' exact keys)."""
    expected = ranked("chè", "database")
    SearchRecord.objects.update(name_terms=" ", name_start=" ", name_length=0, producer_terms=" ")
    SearchWord.objects.filter(field="exact").delete()
    assert ranked("chè", "database") == []
    from django.apps import apps

    migration = importlib.import_module("search.migrations.0006_ranking_terms")
    migration.fill(apps, SimpleNamespace(connection=connection))
    # The names' keys are back; "Trà xanh túi lọc" has "chè" in its description only, until a reindex.
    assert ranked("chè", "database") == [title for title in expected if title != "Trà xanh túi lọc"]
    rebuild()
    assert ranked("chè", "database") == expected
    assert ProductPage.objects.filter(title__in=TEAS).count() == 2
