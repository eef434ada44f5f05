"""The search page and its autocomplete: what a shopper sees, in both languages, whatever they type."""

import html
import re

import pytest

from search.index import rebuild
from tests.factories import make_product

pytestmark = pytest.mark.django_db

CHECKBOX = re.compile(
    r'<input type="checkbox" name="(?P<name>[\w-]+)" value="(?P<value>[^"]*)"(?P<checked> checked)?>\s*'
    r'<span class="facet-label">(?P<label>[^<]*)</span>\s*<span class="facet-count">(?P<count>\d+)</span>'
)
CARD_TITLE = re.compile(r'<h3 class="card-title"><a [^>]*>(.*?)</a></h3>', re.S)
CHIP = re.compile(r'<a class="chip chip-remove" href="(?P<href>[^"]*)">(?P<label>[^<]*)<')


def get(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200, f"{url} {data}: {response.status_code}"
    return response.content.decode()


def titles(page):
    """The product cards' titles in order, as read (highlight marks removed)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", title)) for title in CARD_TITLE.findall(page)]


def checkboxes(page):
    return {(m["name"], m["value"]): (html.unescape(m["label"]), int(m["count"]), bool(m["checked"]))
            for m in CHECKBOX.finditer(page)}


def chips(page):
    return [(html.unescape(m["label"]), html.unescape(m["href"])) for m in CHIP.finditer(page)]


@pytest.fixture
def lychee():
    product = make_product(title="Vải thiều Thanh Hà", stars=4, price=65_000)
    make_product(title="Mật ong hoa nhãn", stars=3, price=150_000, group_slug="thuc-pham")
    rebuild()
    return product


def test_an_unaccented_query_finds_the_accented_product_and_marks_the_words(client, lychee):
    page = get(client, "/tim-kiem/", {"q": "vai thieu"})
    assert "<title>Tìm kiếm “vai thieu” | OCOP Việt Nam</title>" in page
    assert "<mark>Vải</mark> <mark>thiều</mark> Thanh Hà" in page
    assert titles(page) == ["Vải thiều Thanh Hà"]
    assert re.search(r'<p class="result-count"[^>]*aria-live="polite"[^>]*>1 sản phẩm</p>', page)
    assert 'name="q" value="vai thieu"' in page  # the page's own form is prefilled
    assert '<meta name="robots" content="noindex, follow">' in page
    # which engine answered is for developers only
    assert 'data-backend="database"' in page or 'data-backend="elasticsearch"' in page
    assert "search backend:" in page


def test_facets_are_checkboxes_with_counts_in_one_form(client):
    make_product(title="Vải thiều loại 1", stars=4, price=65_000)
    make_product(title="Vải thiều sấy khô", stars=3, price=140_000)
    make_product(title="Rượu vải thiều", stars=3, price=250_000, group_slug="do-uong")
    rebuild()

    page = get(client, "/tim-kiem/", {"q": "vai thieu", "sap-xep": "gia-tang"})
    boxes = checkboxes(page)
    assert boxes[("sao", "4")] == ("4 sao", 1, False)
    assert boxes[("sao", "3")] == ("3 sao", 2, False)
    assert boxes[("nhom", "thuc-pham")][1] == 2
    assert boxes[("nhom", "do-uong")][1] == 1
    assert boxes[("gia", "duoi-100k")] == ("Dưới 100.000 ₫", 1, False)
    assert ("sao", "5") not in boxes  # nothing to find there

    form = re.search(r'<form class="facets" method="get" action="/tim-kiem/"[^>]*>(.*?)</form>', page, re.S).group(1)
    assert len(CHECKBOX.findall(form)) == len(boxes)  # all in the one form
    assert '<input type="hidden" name="q" value="vai thieu">' in form
    assert '<input type="hidden" name="sap-xep" value="gia-tang">' in form
    assert ">Áp dụng</button>" in form  # works without JavaScript
    assert "<details" in page and "<summary" in page  # folds away on small screens

    ticked = checkboxes(get(client, "/tim-kiem/", {"q": "vai thieu", "sao": ["3", "4"]}))
    assert ticked[("sao", "3")][2] and ticked[("sao", "4")][2]


def test_active_filters_show_as_chips_whose_links_remove_them(client, lychee):
    page = get(client, "/tim-kiem/?q=vai+thieu&sao=4&nhom=thuc-pham&trang=1")
    found = dict(chips(page))
    assert set(found) == {"4 sao", "Thực phẩm"}
    assert found["4 sao"] == "?q=vai+thieu&nhom=thuc-pham"
    assert found["Thực phẩm"] == "?q=vai+thieu&sao=4"

    after = get(client, "/tim-kiem/" + found["4 sao"])
    assert [label for label, _href in chips(after)] == ["Thực phẩm"]
    assert checkboxes(after)[("sao", "4")][2] is False
    assert titles(after) == ["Vải thiều Thanh Hà"]

    assert '<a class="clear-filters" href="?q=vai+thieu">Xoá tất cả bộ lọc</a>' in page


def test_a_legacy_province_filter_is_a_chip_and_survives_the_facet_form(client, lychee):
    page = get(client, "/tim-kiem/", {"q": "vai thieu", "tinh": "hai-duong"})
    assert titles(page) == ["Vải thiều Thanh Hà"]
    assert ("Tỉnh Hải Dương (cũ)", "?q=vai+thieu") in chips(page)
    assert '<input type="hidden" name="tinh" value="hai-duong">' in page


def test_a_place_in_the_query_is_announced(client, lychee):
    page = get(client, "/tim-kiem/", {"q": "vai thieu thanh ha"})
    assert "Đang lọc theo địa danh: Huyện Thanh Hà, Hải Dương" in page
    assert titles(page) == ["Vải thiều Thanh Hà"]


def test_the_empty_state_suggests_a_close_word_and_ways_out(client, lychee):
    page = get(client, "/tim-kiem/", {"q": "vai thiue", "sao": "5"})
    assert "Không tìm thấy sản phẩm phù hợp" in page
    assert re.search(r'<p class="result-count"[^>]*>0 sản phẩm</p>', page)
    did_you_mean = re.search(r'<p class="did-you-mean">(.*?)</p>', page, re.S).group(1)
    assert "Có phải bạn muốn tìm:" in did_you_mean
    assert '<a href="?q=vai+thieu&amp;sao=5">vai thieu</a>' in did_you_mean
    assert "Thử bỏ bớt bộ lọc:" in page
    assert ("5 sao", "?q=vai+thiue") in chips(page)
    assert 'href="/san-pham/"' in page  # all products

    followed = get(client, "/tim-kiem/", {"q": "vai thieu"})
    assert titles(followed) == ["Vải thiều Thanh Hà"]


def test_sort_links_keep_the_query_and_reorder(client):
    make_product(title="Vải thiều đắt", stars=5, price=300_000)
    make_product(title="Vải thiều rẻ", stars=3, price=40_000)
    rebuild()

    page = get(client, "/tim-kiem/", {"q": "vai thieu"})
    menu = re.search(r'<nav class="sort-menu[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert '<a href="?q=vai+thieu&amp;sap-xep=lien-quan" aria-current="true">Liên quan nhất</a>' in menu
    for value, label in [("nhieu-sao", "Nhiều sao nhất"), ("gia-tang", "Giá tăng dần"),
                         ("gia-giam", "Giá giảm dần"), ("moi-nhat", "Mới nhất")]:
        assert f'<a href="?q=vai+thieu&amp;sap-xep={value}">{label}</a>' in menu

    cheap_first = get(client, "/tim-kiem/", {"q": "vai thieu", "sap-xep": "gia-tang"})
    assert titles(cheap_first) == ["Vải thiều rẻ", "Vải thiều đắt"]
    assert 'sap-xep=gia-tang" aria-current="true"' in cheap_first
    dear_first = get(client, "/tim-kiem/", {"q": "vai thieu", "sap-xep": "gia-giam"})
    assert titles(dear_first) == ["Vải thiều đắt", "Vải thiều rẻ"]


def test_pagination_keeps_every_parameter_but_the_page(client):
    for n in range(25):
        make_product(title=f"Chè shan tuyết {n}", stars=4, stock=5)
    rebuild()

    page = get(client, "/tim-kiem/", {"q": "che", "sao": "4", "sap-xep": "moi-nhat"})
    assert re.search(r'<p class="result-count"[^>]*>25 sản phẩm</p>', page)
    assert 'href="?q=che&amp;sao=4&amp;sap-xep=moi-nhat&amp;trang=2" rel="next"' in page
    second = get(client, "/tim-kiem/", {"q": "che", "sao": "4", "sap-xep": "moi-nhat", "trang": "2"})
    assert 'href="?q=che&amp;sao=4&amp;sap-xep=moi-nhat" rel="prev"' in second
    assert "Trang 2 / 2" in second
    assert len(titles(second)) == 1


def test_the_search_page_in_english(client, lychee):
    page = get(client, "/en/tim-kiem/", {"q": "vai thieu", "sao": "4"})
    assert '<html lang="en"' in page
    for text in ("Results for “vai thieu”", "1 product", "Filters", "Star rating", "Apply", "Active filters",
                 "Clear all filters", "Most relevant", "Price: low to high", "Price: high to low", "4 stars"):
        assert text in page, text
    for text in ("Bộ lọc", "Liên quan nhất", "Áp dụng", "Xoá tất cả bộ lọc"):
        assert text not in page, text
    assert titles(page) == ["Vải thiều Thanh Hà"]  # product names stay in Vietnamese
    assert 'action="/en/tim-kiem/"' in page

    empty = get(client, "/en/tim-kiem/", {"q": "vai thiue", "sao": "9"})
    assert "No matching products found" in empty
    assert "Did you mean:" in empty
    assert "Ignored invalid star rating: “9”." in empty


BAD_INPUT = [
    ({"q": "vai " * 1250}, "Câu tìm kiếm quá dài nên chỉ dùng 200 ký tự đầu."),
    ({"q": '" * ? ~ : \\ / ( ) [ ]'}, None),
    ({"q": "<script>alert(1)</script>"}, None),
    ({"sao": "9"}, "Bỏ qua hạng sao không hợp lệ: “9”."),
    ({"tinh": "atlantis"}, "Bỏ qua tỉnh không hợp lệ: “atlantis”."),
    ({"nhom": "x" * 500}, "Bỏ qua nhóm không hợp lệ"),
    ({"gia": "free"}, "Bỏ qua khoảng giá không hợp lệ: “free”."),
    ({"trang": "abc"}, None),
    ({"trang": "-3"}, None),
    ({"trang": "99999"}, None),
    ({"trang": "7"}, "Trang 7 không có; đang hiện trang cuối."),
    ({"sap-xep": "bogus"}, "Bỏ qua cách sắp xếp không hợp lệ."),
    ({"mua-vu": "yes", "q": "\x00"}, None),
]


@pytest.mark.parametrize(("params", "note"), BAD_INPUT, ids=lambda value: str(value)[:30])
def test_bad_input_never_fails_and_says_what_was_ignored(client, lychee, params, note):
    page = get(client, "/tim-kiem/", params)
    assert "<script>alert(1)</script>" not in page
    if note:
        notes = re.search(r'<div class="alert alert-info search-notes"[^>]*>(.*?)</div>', page, re.S).group(1)
        assert note in html.unescape(notes)


def test_the_header_search_box_is_wired_for_autocomplete(client):
    page = get(client, "/")
    assert 'data-autocomplete-url="/tim-kiem/goi-y/"' in page
    assert re.search(r'<script src="[^"]*js/autocomplete\.js" defer></script>', page)
    for label in ('data-label-product="Sản phẩm"', 'data-label-producer="Chủ thể"', 'data-label-place="Địa danh"'):
        assert label in page
    english = get(client, "/en/")
    assert 'data-autocomplete-url="/en/tim-kiem/goi-y/"' in english
    assert 'data-label-place="Places"' in english


def test_autocomplete_suggests_products_and_places(client, lychee):
    products = client.get("/tim-kiem/goi-y/", {"q": "vai th"}).json()
    assert products["query"] == "vai th"
    assert {"type": "product", "label": "Vải thiều Thanh Hà"}.items() <= products["results"][0].items()
    assert products["results"][0]["url"] == lychee.url

    places = client.get("/tim-kiem/goi-y/", {"q": "hai duo"}).json()["results"]
    assert any(r["type"] == "place" and "Hải Dương" in r["label"] for r in places)


@pytest.mark.parametrize("query", ["", "a", " a ", "*"])
def test_autocomplete_says_nothing_for_too_short_queries(client, lychee, query):
    response = client.get("/tim-kiem/goi-y/", {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_result_page_costs_the_same_queries_for_few_or_many_products(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/tim-kiem/?q=vai+thieu&sao=4&tinh=hai-duong"

    def queries():
        get(client, url)  # once-per-process work (place names, site settings) out of the way
        cache.clear()  # publishing drops cached data: compare like with like
        with CaptureQueriesContext(connection) as captured:
            page = get(client, url)
        return len(captured), len(titles(page))

    make_product(title="Vải thiều 1")
    rebuild()
    few, shown = queries()
    assert shown == 1
    for n in range(2, 8):
        make_product(title=f"Vải thiều {n}")
    rebuild()
    assert queries() == (few, 7)


def test_pages_stop_where_the_engine_window_ends_and_say_so(client, monkeypatch):
    """Elasticsearch serves no hit past its result window (10,000), so neither backend shows pages past
    it; shrunk to scale here: 2 per page, a window of 4 results, 5 products."""
    from search import service

    monkeypatch.setattr(service, "PAGE_SIZE", 2)
    monkeypatch.setattr(service, "RESULT_WINDOW", 4)
    for n in range(5):
        make_product(title=f"Chè búp {n}", stars=4)
    rebuild()
    note = "Chỉ hiện được 4 kết quả đầu; hãy thêm bộ lọc để thu hẹp."

    def notes(page):
        found = re.search(r'<div class="alert alert-info search-notes"[^>]*>(.*?)</div>', page, re.S)
        return html.unescape(found.group(1)) if found else ""

    deep = get(client, "/tim-kiem/", {"q": "che", "trang": "3"})
    assert note in notes(deep) and "không có" not in notes(deep)
    assert "Trang 2 / 2" in deep and 'rel="next"' not in deep
    assert re.search(r'<p class="result-count"[^>]*>5 sản phẩm</p>', deep)
    assert len(titles(deep)) == 2
    past_the_end = notes(get(client, "/tim-kiem/", {"q": "che", "trang": "50"}))
    assert "Trang 50 không có; đang hiện trang cuối." in past_the_end and note in past_the_end
    assert note in notes(get(client, "/tim-kiem/", {"q": "che", "trang": "2"}))  # the last page shown
    assert not notes(get(client, "/tim-kiem/", {"q": "che"}))
