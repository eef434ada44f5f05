"""Signed-in buyers keep a wishlist (“Yêu thích”) from product pages, without JavaScript, and see it
and the products they viewed last on their account page; visitors not signed in (whose product
pages may come from the shared page cache) are asked to sign in and have nothing recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shop.interest import RECENT_KEY, RECENT_MAX
from shop.models import WishlistItem
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(client):
    user = get_user_model().objects.create_user("lan", "lan@example.com", "pw-lan-12345")
    client.force_login(user)
    return user


def toggle(client, product, **data):
    return client.post(reverse("shop:wishlist_toggle", args=[product.pk]), data)


def wishlist_section(html: str) -> str:
    start = html.index('id="yeu-thich"')
    return html[start:html.index("</section>", start)]


def test_signed_in_buyer_adds_and_removes_a_wishlist_product(client, buyer):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=0)
    page = client.get(honey.url).content.decode()
    assert reverse("shop:wishlist_toggle", args=[honey.pk]) in page and "Thêm vào Yêu thích" in page

    response = toggle(client, honey, next=honey.url)
    assert response["Location"] == honey.url and WishlistItem.objects.filter(user=buyer, product=honey).exists()
    assert "Bỏ khỏi Yêu thích" in client.get(honey.url).content.decode()
    section = wishlist_section(client.get(reverse("shop:account")).content.decode())
    assert "Mật ong Đại Hợp" in section and "180.000" in section and "Hết hàng" in section

    toggle(client, honey)
    assert not WishlistItem.objects.exists()
    assert "Mật ong Đại Hợp" not in wishlist_section(client.get(reverse("shop:account")).content.decode())


def test_visitor_not_signed_in_is_sent_to_sign_in_and_nothing_is_saved(client):
    honey = make_product()
    assert "Đăng nhập để lưu vào Yêu thích" in client.get(honey.url).content.decode()
    response = toggle(client, honey)
    assert response.status_code == 302 and response["Location"].startswith(reverse("shop:login"))
    assert not WishlistItem.objects.exists()


def test_recently_viewed_products_show_on_the_account_and_under_product_pages(client, buyer):
    first, second, third = (make_product(title=f"Sản phẩm xem {n}") for n in (1, 2, 3))
    for product in (first, second, third):
        client.get(product.url)

    page = client.get(third.url).content.decode()
    viewed = page[page.index("Sản phẩm bạn đã xem"):]
    assert viewed.index("Sản phẩm xem 2") < viewed.index("Sản phẩm xem 1") and "Sản phẩm xem 3" not in viewed

    account = client.get(reverse("shop:account")).content.decode()
    viewed = account[account.index("Sản phẩm bạn đã xem"):]
    assert viewed.index("Sản phẩm xem 3") < viewed.index("Sản phẩm xem 2") < viewed.index("Sản phẩm xem 1")


def test_recently_viewed_keeps_the_last_eight(client, buyer):
    products = [make_product() for _ in range(RECENT_MAX + 2)]
    for product in products:
        client.get(product.url)
    assert client.session[RECENT_KEY] == [p.pk for p in reversed(products)][:RECENT_MAX]


def test_pages_of_visitors_not_signed_in_record_and_show_no_views(client):
    first, second = make_product(title="Sản phẩm xem 1"), make_product()
    client.get(first.url)
    page = client.get(second.url).content.decode()
    assert "Sản phẩm bạn đã xem" not in page and RECENT_KEY not in client.session
