"""Campaigns in sight: the home page and the menu lead to them, cards and product pages show the
campaign price or the code while a campaign runs (in a fixed number of queries for a grid), the
cart suggests a running code that covers its lines, and cached pages follow campaigns."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_product
from tests.shop.test_campaigns import add, apply_code, make_campaign

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def listing(client):
    return client.get(reverse("catalog:product_list")).content.decode()


def test_a_card_shows_the_campaign_price_only_while_the_campaign_runs(client):
    honey = make_product(title="Mật ong Đại Hợp", price=200_000)
    campaign = make_campaign("Tuần lễ mật ong", products=[honey], value=10)
    html = listing(client)
    assert '<s class="campaign-old-price">200.000 ₫</s>' in html
    assert '<strong class="campaign-price">180.000 ₫</strong>' in html and "−10%" in html

    now = timezone.now()
    for starts, ends in ((now + DAY, now + 2 * DAY), (now - 3 * DAY, now - DAY)):  # not yet; over
        campaign.starts_at, campaign.ends_at = starts, ends
        campaign.save_revision().publish()
        assert "campaign-price" not in listing(client)


def test_a_voucher_campaign_shows_its_code_on_the_card_and_the_product_page(client):
    lychee = make_product(title="Vải thiều Thanh Hà", price=100_000)
    make_campaign("Mùa vải", products=[lychee], value=10, code="VAITHIEU10")
    assert "−10% với mã VAITHIEU10" in listing(client)
    page = client.get(lychee.url).content.decode()
    assert "−10% với mã VAITHIEU10" in page and "Chương trình “Mùa vải”" in page
    assert "campaign-price" not in page  # the price only drops once the code is entered


def test_the_product_page_shows_the_campaign_price_and_its_campaign(client):
    tea = make_product(title="Chè Cẩm Mỹ", price=120_000)
    other = make_product(title="Gạo ruộng rươi", price=50_000)
    make_campaign("Chè xuân", products=[tea], kind="so-tien", value=20_000)
    page = client.get(tea.url).content.decode()
    assert '<strong class="campaign-price">100.000 ₫</strong>' in page and "−20.000 ₫" in page
    assert "Chương trình “Chè xuân”" in page
    assert "campaign-offer" not in client.get(other.url).content.decode()


def test_rules_count_too_and_the_best_automatic_offer_wins(client):
    honey = make_product(title="Mật ong", price=100_000, stars=5)
    make_campaign("Năm sao", min_stars=5, value=15)
    make_campaign("Chọn tay", products=[honey], value=5)
    html = listing(client)
    assert '<strong class="campaign-price">85.000 ₫</strong>' in html and "−15%" in html


def test_a_grid_of_cards_costs_the_same_queries_for_any_number_of_products(client):
    products = [make_product(price=100_000 + n) for n in range(3)]
    make_campaign(products=products[:1], value=10)
    make_campaign(groups=["thuc-pham"], value=5, code="THUCPHAM5")
    listing(client)  # warm the caches (navigation, stats)
    with CaptureQueriesContext(connection) as few:
        listing(client)
    products += [make_product(price=200_000 + n) for n in range(9)]
    listing(client)
    with CaptureQueriesContext(connection) as many:
        html = listing(client)
    assert html.count("campaign-offer") >= 12
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_home_page_shows_running_campaigns_and_the_menu_links_them(client):
    assert "home-campaigns" not in client.get("/").content.decode()  # nothing runs: no strip
    make_campaign("Tết OCOP", value=10, code="TET2027")
    make_campaign("Sắp tới", starts=timezone.now() + DAY, ends=timezone.now() + 5 * DAY)
    html = client.get("/").content.decode()
    assert 'id="home-campaigns"' in html and "Tết OCOP" in html and "mã TET2027" in html
    assert "Sắp tới" not in html
    assert '<a href="/khuyen-mai/">Khuyến mãi</a>' in html  # the main menu
    assert '<a href="/khuyen-mai/">Khuyến mãi</a>' in client.get(reverse("catalog:product_list")).content.decode()


def test_the_cart_suggests_a_running_code_that_covers_its_lines(client):
    lychee = make_product(title="Vải thiều", price=180_000)
    make_campaign("Mùa vải", products=[lychee], value=10, code="VAITHIEU10")
    make_campaign("Hết rồi", products=[lychee], value=50, code="CU50",
                  starts=timezone.now() - 5 * DAY, ends=timezone.now() - DAY)
    add(client, lychee, 2)
    html = client.get(reverse("shop:cart")).content.decode()
    assert "Nhập mã <strong>VAITHIEU10</strong> để được giảm 36.000 ₫." in html and "CU50" not in html
    apply_code(client, "VAITHIEU10")
    assert "voucher-suggestion" not in client.get(reverse("shop:cart")).content.decode()  # entered


def test_no_suggestion_when_no_code_covers_the_cart_or_an_offer_is_already_better(client):
    honey, tea = make_product(price=100_000), make_product(price=100_000)
    make_campaign(products=[honey], value=10, code="CHIMATONG")
    make_campaign(products=[tea], value=20)  # automatic, better than any code for tea
    make_campaign(products=[tea], value=10, code="CHE10")
    add(client, tea)
    assert "voucher-suggestion" not in client.get(reverse("shop:cart")).content.decode()


def test_a_used_up_code_is_not_suggested(client):
    honey = make_product(price=100_000)
    make_campaign(products=[honey], value=10, code="HETLUOT", max_total=0)
    add(client, honey)
    assert "HETLUOT" not in client.get(reverse("shop:cart")).content.decode()


def test_a_cached_product_page_shows_a_campaign_as_soon_as_it_is_published(settings,
                                                                           django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0
    honey = make_product(price=100_000)
    visitor = Client()
    first = visitor.get(honey.url)
    assert first["X-Page-Cache"] == "miss" and visitor.get(honey.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(products=[honey], value=10).save_revision().publish()  # as an editor publishes it
    again = visitor.get(honey.url)
    assert again["X-Page-Cache"] == "miss" and '<strong class="campaign-price">90.000 ₫</strong>' in again.content.decode()


def test_search_result_cards_show_offers_too_in_a_fixed_number_of_queries(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        honey = make_product(title="Mật ong Đại Hợp", price=200_000)
        make_product(title="Mật ong hoa nhãn", price=150_000, group_slug="do-uong")
    make_campaign("Thực phẩm", groups=["thuc-pham"], value=10)  # a rule: the hit's group is looked up
    url = reverse("search:results")
    html = client.get(url, {"q": "mật ong"}).content.decode()
    assert html.count('class="campaign-price"') == 1 and "180.000 ₫" in html
    with CaptureQueriesContext(connection) as two:
        client.get(url, {"q": "mật ong"})
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            make_product(title=f"Mật ong rừng {n}", price=100_000 + n, producer=honey.producer)
    with CaptureQueriesContext(connection) as six:
        html = client.get(url, {"q": "mật ong"}).content.decode()
    assert html.count('class="campaign-price"') == 5
    assert len(six) == len(two)
