"""Consent and notice under Law 91/2025/QH15, through the real pages: a name beside a review is a
consent of its own — an unticked box on the review form; without it the review shows "Người mua" and
no name is stored, with it only the given name. On "Dữ liệu của tôi" the buyer sees how many reviews
show their name and withdraws it from all of them at once (logged, cached pages refreshed). The
sign-up and checkout forms say what the data is for, right above their button, with a link to the
privacy policy."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from catalog.models import ProductPage
from shop import reviews
from shop.models import DataRequest, Review
from storefront import policies
from storefront.models import StandardPage
from tests.factories import make_product
from tests.shop.test_checkout import add
from tests.shop.test_reviews import (  # noqa: F401 - fixtures
    delivered,
    line_of,
    officer,
    public_storage,
    review_data,
    write_url,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
BOX = "Hiện tên gọi của tôi"


def shown_name(html) -> list[str]:
    """The names printed above the reviews of a product page."""
    section = html[html.index('id="danh-gia"'):]
    return re.findall(r'<p class="review-head">.*?<strong>(.*?)</strong>', section, re.DOTALL)


def published(client, officer, product, **data) -> Review:
    order = delivered(client, product)
    assert client.post(write_url(order, line_of(order)), review_data(**data)).status_code == 302
    review = Review.objects.get(order=order)
    reviews.publish(review.pk, actor=officer)
    return Review.objects.get(pk=review.pk)


def product_page(product) -> str:
    response = Client().get(ProductPage.objects.get(pk=product.pk).url)
    assert response.status_code == 200
    return response.content.decode()


# --- The box on the review form ---------------------------------------------------------------------

def test_the_review_form_asks_for_the_name_in_an_unticked_box_naming_the_given_name(client):
    order = delivered(client)
    html = client.get(write_url(order, line_of(order))).content.decode()
    box = re.search(r'<input[^>]*name="shows_name"[^>]*>', html).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert f"{BOX} (“Lan”) cùng đánh giá" in html and "Nguyễn Thị Lan" not in html


def test_unticked_the_review_shows_nguoi_mua_and_no_name_is_stored(client, officer):
    honey = make_product(title="Mật ong Đại Hợp")
    review = published(client, officer, honey)
    assert review.display_name == "" and review.shows_name is False
    html = product_page(honey)
    assert shown_name(html) == ["Người mua"]
    assert "Lan" not in html[html.index('id="danh-gia"'):]


def test_ticked_the_review_shows_the_given_name_only(client, officer):
    honey = make_product(title="Mật ong Đại Hợp")
    review = published(client, officer, honey, shows_name="on")
    assert review.display_name == "Lan" and review.shows_name is True
    html = product_page(honey)
    assert shown_name(html) == ["Lan"]
    assert "Nguyễn Thị Lan" not in html and "lan@example.com" not in html


def test_a_name_that_cannot_be_shown_is_not_stored_even_when_ticked(client, officer):
    honey = make_product(title="Mật ong Đại Hợp")
    order = delivered(client, honey)
    order.name = "lan@example.com"  # an address typed as a name is never shown
    order.save(update_fields=["name"])
    client.post(write_url(order, line_of(order)), review_data(shows_name="on"))
    review = Review.objects.get(order=order)
    assert (review.display_name, review.shows_name) == ("", False)


# --- Withdrawing on "Dữ liệu của tôi" ---------------------------------------------------------------

@pytest.fixture
def lan():
    user = User.objects.create_user("lan@example.com", "lan@example.com", "pw-ten-123", first_name="Nguyễn Thị Lan")
    client = Client()
    client.force_login(user)
    return user, client


def test_withdrawing_the_name_takes_it_off_every_review_logs_it_and_refreshes_cached_pages(
        lan, officer, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_CLOCK_MARGIN = 3600, 0
    user, client = lan
    honey, tea = make_product(title="Mật ong Đại Hợp"), make_product(title="Chè Cẩm Mỹ")
    first = published(client, officer, honey, shows_name="on")
    second = published(client, officer, tea, shows_name="on")
    someone = published(Client(), officer, tea, shows_name="on")  # another buyer's (a guest, also "Lan")
    assert first.user == user and second.user == user and someone.user is None
    visitor = Client()
    url = ProductPage.objects.get(pk=honey.pk).url
    assert shown_name(visitor.get(url).content.decode()) == ["Lan"]
    assert visitor.get(url)["X-Page-Cache"] == "hit"

    page = client.get(reverse("shop:my_data")).content.decode()
    assert "2 đánh giá của bạn đang hiện tên gọi của bạn" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("shop:my_data"), {"action": "withdraw_names"}, follow=True)
    assert "hiện tên “Người mua”" in response.content.decode()
    assert not Review.objects.filter(user=user).exclude(display_name="").exists()
    assert not Review.objects.filter(user=user, shows_name=True).exists()
    assert Review.objects.get(pk=someone.pk).display_name == "Lan"  # only the buyer's own
    logged = DataRequest.objects.get(user=user, kind=DataRequest.Kind.WITHDRAW_CONSENT)
    assert logged.email == "lan@example.com" and logged.done_at is not None

    fresh = visitor.get(url)
    assert fresh["X-Page-Cache"] == "miss" and shown_name(fresh.content.decode()) == ["Người mua"]
    assert sorted(shown_name(product_page(tea))) == ["Lan", "Người mua"]
    assert "Không đánh giá nào của bạn hiện tên bạn" in client.get(reverse("shop:my_data")).content.decode()
    client.post(reverse("shop:my_data"), {"action": "withdraw_names"})  # again: nothing to take off, nothing logged
    assert DataRequest.objects.filter(kind=DataRequest.Kind.WITHDRAW_CONSENT).count() == 1


def test_the_export_says_whether_each_review_shows_the_name(lan, officer):
    user, client = lan
    published(client, officer, make_product(title="Mật ong Đại Hợp"), shows_name="on")
    published(client, officer, make_product(title="Chè Cẩm Mỹ"))
    data = json.loads(client.get(reverse("shop:my_data_download", args=["json"])).content)
    assert sorted((r["product"], r["shows_name"], r["display_name"]) for r in data["reviews"]) == [
        ("Chè Cẩm Mỹ", False, ""), ("Mật ong Đại Hợp", True, "Lan")]


# --- The privacy notice at sign-up and checkout ----------------------------------------------------

def notice(html) -> str:
    return re.search(r'<p class="helptext privacy-notice">(.*?)</p>', html, re.DOTALL).group(1)


def privacy_href(html) -> str:
    return re.search(r'href="([^"]+)"', notice(html)).group(1)


def test_sign_up_says_what_the_data_is_for_above_the_button_and_links_the_privacy_policy(client):
    policies.ensure_policy_pages()
    html = client.get(reverse("shop:signup")).content.decode()
    assert notice(html).startswith("Chúng tôi dùng email và họ tên của bạn để")
    assert html.index("privacy-notice") < html.index("Tạo tài khoản</button>")
    assert html.index('name="marketing"') < html.index("privacy-notice")  # the unticked consent stays
    href = privacy_href(html)
    assert href == StandardPage.objects.get(slug="chinh-sach-bao-mat").url
    response = client.get(href)
    assert response.status_code == 200 and "Chính sách bảo mật thông tin" in response.content.decode()


def test_checkout_says_what_the_data_is_for_above_the_order_button_and_links_the_privacy_policy(client):
    policies.ensure_policy_pages()
    add(client, make_product(stock=5))
    html = client.get(reverse("shop:checkout")).content.decode()
    assert notice(html).startswith("Chúng tôi dùng họ tên, số điện thoại, email và địa chỉ của bạn để giao hàng")
    button = html.index('<button type="submit" class="button">', html.index("privacy-notice"))
    assert html.index("privacy-notice") < button and "Đặt hàng" in html[button:button + 80]
    response = client.get(privacy_href(html))
    assert response.status_code == 200 and "Luật Bảo vệ dữ liệu cá nhân" in response.content.decode()


def test_without_a_live_privacy_page_the_notice_stays_and_links_nothing(client):
    policies.ensure_policy_pages()
    StandardPage.objects.get(slug="chinh-sach-bao-mat").unpublish()
    html = client.get(reverse("shop:signup")).content.decode()
    assert "Chúng tôi dùng email" in notice(html) and "href" not in notice(html)
