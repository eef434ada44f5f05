"""Verified reviews, the buyer's and the visitor's side, through the real pages: only a buyer whose
parcel was delivered reviews what was in it (by the order's link or as its signed-in owner), once per
product per order, with 1–5 stars, plain text and up to three photos re-encoded without EXIF. Nothing
shows until the product's province officer publishes it; then the product page, its card, the
producer page and the product's JSON-LD all count it. Reports are rate-limited."""

import io
import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from catalog import roles
from catalog.models import ProductPage, ProvinceOfficer
from catalog.permissions import setup_roles
from shop import reviews
from shop.models import Review, ReviewPhoto, ReviewReport
from tests.factories import make_producer, make_product, province
from tests.shop.test_ledger import deliver_cash_order, place
from tests.shop.test_returns import photo_file

pytestmark = pytest.mark.django_db
TEXT = "Mật ong thơm, sánh, đóng gói cẩn thận. Sẽ mua lại."


@pytest.fixture(autouse=True)
def public_storage(settings, tmp_path):
    """Review photos go to a throwaway public directory."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/media/"}}}
    return default_storage


@pytest.fixture
def officer(django_user_model):
    """An officer of Hải Phòng, where `make_producer` puts producers."""
    setup_roles()
    user = django_user_model.objects.create_user("canbo-hp", "canbo@example.com", "pw-reviews-123")
    ProvinceOfficer.objects.create(user=user, province=province("hai-phong"))
    return user


# --- Building delivered orders and reviews ----------------------------------------------------------

def delivered(client, *products):
    """An order of `products` placed by `client` (a guest, Nguyễn Thị Lan) and delivered."""
    return deliver_cash_order(place(client, *(products or [make_product(title="Mật ong Đại Hợp")])))


def line_of(order, product=None):
    lines = [line for suborder in order.suborders.all() for line in suborder.lines.select_related("variant")]
    return next(line for line in lines if product is None or line.variant.product_id == product.pk)


def write_url(order, line, token=True):
    url = reverse("shop:review_write", args=[order.number, line.pk])
    return f"{url}?t={order.access_token}" if token else url


def review_data(**overrides):
    data = {"rating": "5", "text": TEXT}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def write(client, order, product=None, **overrides):
    return client.post(write_url(order, line_of(order, product)), review_data(**overrides))


def reviewed(client, product=None, rating="5", text=TEXT):
    """A delivered order with a pending review of its (first) product; the review."""
    order = delivered(client, *([product] if product else []))
    assert write(client, order, product, rating=rating, text=text).status_code == 302
    return Review.objects.get(order=order)


def page(client, product) -> str:
    response = client.get(ProductPage.objects.get(pk=product.pk).url)
    assert response.status_code == 200
    return response.content.decode()


def product_ld(html) -> dict:
    blocks = [json.loads(text) for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]
    return next(block for block in blocks if block.get("@type") == "Product")


def bought_month(order) -> str:
    return timezone.localtime(order.created_at).strftime("%-m/%Y")


# --- Who may write ---------------------------------------------------------------------------------

def test_only_a_buyer_whose_parcel_was_delivered_can_review(client):
    honey = make_product(title="Mật ong Đại Hợp")
    order = place(client, honey)  # placed, not delivered
    response = client.post(write_url(order, line_of(order)), review_data())
    assert response.status_code == 400 and "sau khi đã nhận hàng" in response.content.decode()
    assert "Viết đánh giá" not in client.get(order.get_absolute_url()).content.decode()
    assert not Review.objects.exists()

    order = deliver_cash_order(order)
    order_page = client.get(order.get_absolute_url()).content.decode()
    assert "Viết đánh giá" in order_page and write_url(order, line_of(order)).replace("&", "&amp;") in order_page
    response = client.post(write_url(order, line_of(order)), review_data(shows_name="on"))  # the name: ticked
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    review = Review.objects.get()
    assert (review.product_id, review.order_line, review.status) == (honey.pk, line_of(order), Review.Status.PENDING)
    assert review.display_name == "Lan"  # the given name only: never "Nguyễn Thị Lan" or the e-mail
    assert review.bought_at == order.created_at and review.user is None
    order_page = client.get(order.get_absolute_url()).content.decode()
    assert "Đã đánh giá" in order_page and "Viết đánh giá" not in order_page


def test_someone_elses_order_by_url_is_a_404(client, django_user_model):
    owner = django_user_model.objects.create_user("lan", "lan@example.com", "pw-reviews-123")
    client.force_login(owner)
    order = delivered(client)
    line = line_of(order)
    assert order.user == owner
    assert client.get(write_url(order, line, token=False)).status_code == 200  # the signed-in owner

    stranger = Client()
    assert stranger.get(write_url(order, line, token=False)).status_code == 404
    assert stranger.post(write_url(order, line, token=False), review_data()).status_code == 404
    wrong = reverse("shop:review_write", args=[order.number, line.pk]) + "?t=not-the-token"
    assert stranger.post(wrong, review_data()).status_code == 404
    someone = django_user_model.objects.create_user("khac", "khac@example.com", "pw-reviews-123")
    stranger.force_login(someone)
    assert stranger.post(write_url(order, line, token=False), review_data()).status_code == 404
    other_order = delivered(Client())  # a line of another order, under this order's number
    assert client.get(write_url(order, line_of(other_order), token=False)).status_code == 404
    staff = Client()  # staff read any order, but never write a review in the buyer's name
    staff.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-reviews-123"))
    order_page = staff.get(reverse("shop:order", args=[order.number]))
    assert order_page.status_code == 200 and "Viết đánh giá" not in order_page.content.decode()
    assert staff.post(write_url(order, line, token=False), review_data()).status_code == 404
    assert not Review.objects.exists()


def test_a_second_review_for_the_same_product_in_the_same_order_is_refused(client):
    review = reviewed(client)
    response = write(client, review.order, text="Lần hai")
    assert response.status_code == 400 and "đã đánh giá sản phẩm này" in response.content.decode()
    assert Review.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says so too
        Review.objects.create(product=review.product, order=review.order, order_line=review.order_line,
                              rating=4, text="x", bought_at=review.bought_at)


@pytest.mark.parametrize("rating", ["0", "6", "-1", "4.5", "năm", ""])
def test_stars_outside_1_to_5_are_refused(client, rating):
    order = delivered(client)
    response = write(client, order, rating=rating)
    assert response.status_code == 400 and "Hãy chọn từ 1 đến 5 sao." in response.content.decode()
    assert not Review.objects.exists()


def test_the_database_refuses_stars_outside_1_to_5(client):
    review = reviewed(client)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(rating=6)


# --- Text and photos --------------------------------------------------------------------------------

def test_script_and_links_in_the_text_are_shown_as_text(client, officer):
    honey = make_product(title="Mật ong Đại Hợp")
    text = ('Ngon! <script>alert("x")</script> <a href="https://spam.example/mua">rẻ hơn</a> '
            "xem https://spam.example/khuyen-mai")
    review = reviewed(client, honey, text=text)
    reviews.publish(review.pk, actor=officer)
    html = page(client, honey)
    section = html[html.index('id="danh-gia"'):]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in section
    assert "<script>alert" not in html and 'href="https://spam.example' not in html
    assert "https://spam.example/khuyen-mai" in section  # the link's text, not a link
    assert product_ld(html)["review"][0]["reviewBody"] == text  # the data as written, escaped for the page


def test_a_non_image_photo_is_refused_with_a_message(client, public_storage):
    order = delivered(client)
    fake = SimpleUploadedFile("anh.jpg", b"<html><body>not a photo</body></html>", content_type="image/jpeg")
    response = client.post(write_url(order, line_of(order)), {**review_data(), "photos": [fake]})
    assert response.status_code == 400
    assert "Không đọc được ảnh “anh.jpg”: hãy gửi một ảnh JPEG, PNG hay WebP." in response.content.decode()
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
    assert not public_storage.exists("danh-gia")


def test_photos_are_reencoded_without_their_exif_under_a_random_public_name(client, public_storage):
    order = delivered(client)
    photos = [photo_file(), photo_file("b.png", size=(40, 30), fmt="PNG", gps=False)]
    assert client.post(write_url(order, line_of(order)), {**review_data(), "photos": photos}).status_code == 302
    stored = list(ReviewPhoto.objects.all())
    assert len(stored) == 2
    for photo in stored:
        name = photo.image.name
        assert name.startswith("danh-gia/") and name.endswith(".jpg") and "IMG_2026" not in name
        with public_storage.open(name) as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert b"PhoneMaker" not in data and b"GPS" not in data
    four = [photo_file(f"{n}.png", size=(20, 20), fmt="PNG", gps=False) for n in range(4)]
    other = delivered(client)
    response = client.post(write_url(other, line_of(other)), {**review_data(), "photos": four})
    assert response.status_code == 400 and "tối đa 3 ảnh" in response.content.decode()


# --- What shows --------------------------------------------------------------------------------------

def test_a_pending_review_shows_nowhere_and_is_not_in_the_json_ld(client):
    honey = make_product(title="Mật ong Đại Hợp")
    reviewed(client, honey)
    html = page(client, honey)
    assert TEXT not in html and "Chưa có đánh giá nào." in html
    ld = product_ld(html)
    assert "aggregateRating" not in ld and "review" not in ld
    listing = client.get(reverse("catalog:product_list")).content.decode()
    assert "Mật ong Đại Hợp" in listing and "card-rating" not in listing


def test_a_published_review_shows_on_the_product_page_its_card_the_producer_and_the_json_ld(client, officer):
    producer = make_producer(title="HTX Mật ong Đại Hợp")
    honey = make_product(producer=producer, title="Mật ong Đại Hợp")
    first = reviewed(client, honey, rating="5")
    second = reviewed(Client(), honey, rating="4", text="Hơi ngọt nhưng thơm.")
    reviewed(Client(), honey, rating="1", text="Chưa duyệt: không được tính.")
    for review in (first, second):
        reviews.publish(review.pk, actor=officer)

    html = page(client, honey)
    assert TEXT in html and "Hơi ngọt nhưng thơm." in html and "Chưa duyệt" not in html
    assert f"Đã mua hàng · tháng {bought_month(first.order)}" in html
    assert "4,5/5" in html and "2 đánh giá" in html and "★★★★★" in html and "★★★★☆" in html
    assert html.index("Hơi ngọt nhưng thơm.") < html.index(TEXT)  # newest first
    assert "Nguyễn Thị Lan" not in html and "lan@example.com" not in html
    ld = product_ld(html)
    assert ld["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": 4.5, "reviewCount": 2,
                                     "bestRating": 5, "worstRating": 1}
    assert [item["reviewRating"]["ratingValue"] for item in ld["review"]] == [4, 5]
    assert ld["review"][0]["author"] == {"@type": "Person", "name": "Người mua"}  # no name without consent

    listing = client.get(reverse("catalog:product_list")).content.decode()
    assert "4,5/5 · 2 đánh giá" in listing
    producer_page = client.get(producer.url).content.decode()
    assert "4,5/5 từ 2 đánh giá của người đã mua" in producer_page


def test_a_grid_of_3_cards_costs_the_same_queries_as_a_grid_of_12(client, officer, settings,
                                                                  django_assert_num_queries):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "review": "100/h"}  # twelve buyers, one test address
    producer = make_producer()
    products = [make_product(producer=producer) for _ in range(12)]
    for product in products:
        reviews.publish(reviewed(Client(), product, rating="4").pk, actor=officer)
    def grid(count):
        request = RequestFactory().get("/san-pham/")  # a new page: ratings are kept per request
        request.user = AnonymousUser()
        listed = list(ProductPage.objects.live().filter(pk__in=[p.pk for p in products[:count]]).for_listing())
        return render_to_string("includes/product_grid.html", {"products": listed, "request": request})

    grid(3)  # warm-up: per-process state (sites, settings)
    with CaptureQueriesContext(connection) as three:
        html = grid(3)
    assert html.count("4,0/5 · 1 đánh giá") == 3
    assert sum("shop_review" in query["sql"] for query in three.captured_queries) == 0  # kept on the product
    with django_assert_num_queries(len(three)):
        html = grid(12)
    assert html.count("4,0/5 · 1 đánh giá") == 12


# --- Reports -----------------------------------------------------------------------------------------

def test_reporting_a_review_is_counted_once_per_client_and_rate_limited(client, officer, settings):
    review = reviewed(client)
    pending = reviewed(Client())
    probe = Client(REMOTE_ADDR="203.0.113.7")  # another address: its POSTs count against its own limit
    assert probe.post(reverse("shop:review_report", args=[pending.pk]), {"reason": "khac"}).status_code == 404
    reporter = Client()
    reviews.publish(review.pk, actor=officer)
    url = reverse("shop:review_report", args=[review.pk])
    assert settings.RATE_LIMITS["review_report"] == "5/h"
    assert reporter.get(url).status_code == 405
    responses = [reporter.post(url, {"reason": "quang-cao"}) for _ in range(5)]
    assert all(response.status_code == 302 for response in responses)
    assert responses[0].url.endswith(f"#danh-gia-{review.pk}")
    assert ReviewReport.objects.filter(review=review).count() == 1  # the same client, once
    report = ReviewReport.objects.get()
    assert report.reason == "quang-cao" and report.client_hash and "127.0.0.1" not in report.client_hash
    assert reporter.post(url, {"reason": "quang-cao"}).status_code == 429
    assert ReviewReport.objects.count() == 1


def test_the_review_form_is_rate_limited_per_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "review": "2/h"}
    order = delivered(client)
    for _ in range(2):
        write(client, order, rating="9")  # refused, but counted
    assert write(client, order).status_code == 429 and not Review.objects.exists()


def test_only_national_admins_and_the_products_officers_may_moderate(client, officer, django_user_model):
    review = reviewed(client)
    far = django_user_model.objects.create_user("canbo-hn", "hn@example.com", "pw-reviews-123")
    ProvinceOfficer.objects.create(user=far, province=province("ha-noi"))
    national = django_user_model.objects.create_user("quocgia", "qg@example.com", "pw-reviews-123")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    assert reviews.may_moderate(officer, review) and reviews.may_moderate(national, review)
    assert not reviews.may_moderate(far, review)


def test_publishing_a_review_refreshes_the_cached_product_page_and_listing(client, officer, settings,
                                                                            django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0  # one machine, one clock
    honey = make_product(title="Mật ong Đại Hợp")
    review = reviewed(client, honey)
    visitor = Client()
    url, listing = ProductPage.objects.get(pk=honey.pk).url, reverse("catalog:product_list")
    for address in (url, listing):
        visitor.get(address)
        assert visitor.get(address)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        reviews.publish(review.pk, actor=officer)
    fresh = visitor.get(url)
    assert fresh["X-Page-Cache"] == "miss" and TEXT in fresh.content.decode()
    assert "5,0/5 · 1 đánh giá" in visitor.get(listing).content.decode()
