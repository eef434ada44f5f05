"""Pages shared by visitors who are not signed in: served from the cache, without anyone's CSRF token
or cart, and invalidated by exactly the changes they show."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import inventory
from catalog.models import ProductVariant
from shop.promotions.models import CampaignPage, campaign_index
from storefront import page_cache
from tests.factories import make_certificate, make_producer, make_product

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0  # one machine, one clock: renders follow changes by microseconds


def visit(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get("X-Page-Cache"), response.content.decode()


def pack(product):
    return ProductVariant.objects.get(product=product)


def test_a_visitor_gets_the_page_another_rendered_with_neither_its_token_nor_its_cart(client):
    honey = make_product(title="Mật ong Đại Hợp", stock=5)
    first = Client()
    first.post(reverse("shop:cart_add"), {"variant": pack(honey).pk, "quantity": 2})
    first.cookies.pop("messages", None)  # the "added" message was shown on the cart page
    state, html = visit(first, honey.url)
    assert state == "miss"
    own_token = TOKEN.search(html).group(1)
    assert own_token  # the visitor who rendered it got a working form
    state, html = visit(client, honey.url)
    assert state == "hit" and own_token not in html
    assert set(TOKEN.findall(html)) == {""}  # every form's token is filled by visitor.js
    assert 'data-visitor-url="/gio-hang/khach/"' in html and "data-cart-count" in html
    mine = client.get(reverse("shop:visitor")).json()
    assert mine["cart_count"] == 0 and mine["csrf_token"]
    assert first.get(reverse("shop:visitor")).json()["cart_count"] == 2
    strict = Client(enforce_csrf_checks=True)
    strict.get(honey.url)
    token = strict.get(reverse("shop:visitor")).json()["csrf_token"]
    added = strict.post(reverse("shop:cart_add"), {"variant": pack(honey).pk, "csrfmiddlewaretoken": token})
    assert added.status_code == 302 and strict.get(reverse("shop:visitor")).json()["cart_count"] == 1


def test_a_price_change_invalidates_the_pages_showing_that_product_and_no_other(client):
    producer = make_producer(title="HTX Vải thiều")
    lychee = make_product(producer=producer, title="Vải thiều Thanh Hà", price=100_000)
    other = make_product(title="Chè Cẩm Mỹ")
    for url in (lychee.url, other.url, producer.url, "/san-pham/"):
        assert visit(client, url)[0] == "miss" and visit(client, url)[0] == "hit"
    variant = pack(lychee)
    variant.price = 95_000
    variant.save()
    for url in (lychee.url, producer.url, "/san-pham/"):
        state, html = visit(client, url)
        assert state == "miss" and "95.000 ₫" in html, url
    assert visit(client, other.url)[0] == "hit"


def test_stock_moves_certificates_and_publishing_invalidate_what_shows_them(client, django_capture_on_commit_callbacks):
    lychee, other = make_product(title="Vải thiều", stock=3), make_product(title="Chè")
    for url in (lychee.url, other.url, "/san-pham/"):
        visit(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # stock is announced after the commit
        inventory.take([inventory.Taking(pack(lychee).pk, 3, pack(lychee).price)])
    state, html = visit(client, lychee.url)
    assert state == "miss" and "Hết hàng" in html
    assert visit(client, other.url)[0] == "hit"
    make_certificate(other, stars=5, level="trung_uong")
    assert visit(client, other.url)[0] == "miss"
    assert visit(client, "/san-pham/")[0] == "miss"
    newcomer = make_product(title="Gà đồi Yên Thế")
    newcomer.save_revision().publish()
    state, html = visit(client, "/san-pham/")
    assert state == "miss" and "Gà đồi Yên Thế" in html


def test_signed_in_people_and_visitors_with_a_waiting_message_get_fresh_pages(client, django_user_model):
    honey = make_product(stock=5)
    visit(client, honey.url)
    client.post(reverse("shop:cart_add"), {"variant": pack(honey).pk, "next": honey.url})
    state, html = visit(client, honey.url)  # the "added to cart" message is shown here
    assert state is None and "vào giỏ hàng" in html
    django_user_model.objects.create_user("lan@example.com", "lan@example.com", "pw-lan-12345")
    client.login(username="lan@example.com", password="pw-lan-12345")
    state, html = visit(client, honey.url)
    assert state is None and 'data-visitor-url' not in html and TOKEN.search(html).group(1)


def test_campaign_pages_are_never_shared_and_bound_how_long_others_are_kept(client):
    now = timezone.now()
    campaign = CampaignPage(title="Tết OCOP", slug="tet", starts_at=now - datetime.timedelta(days=1),
                            ends_at=now + datetime.timedelta(minutes=30), discount_value=10)
    campaign_index().add_child(instance=campaign)
    campaign.save_revision().publish()
    assert visit(client, campaign.url)[0] is None and visit(client, campaign.url)[0] is None
    assert 1790 <= page_cache.lifetime(now) <= 1800  # kept no later than the campaign's end
    assert page_cache.lifetime(now + datetime.timedelta(hours=1)) <= 3600
    midnight = page_cache.next_midnight(now)
    assert timezone.localtime(midnight).hour == 0 and page_cache.lifetime(midnight - datetime.timedelta(seconds=60)) <= 60


def test_a_form_sent_without_its_token_gets_a_page_in_vietnamese_not_a_technical_one():
    honey = make_product(stock=5)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("shop:cart_add"), {"variant": pack(honey).pk}, HTTP_REFERER="http://testserver" + honey.url)
    html = response.content.decode()
    assert response.status_code == 403 and "Vui lòng thử lại" in html and f'href="http://testserver{honey.url}"' in html
