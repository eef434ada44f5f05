"""Verified reviews in the Wagtail admin ("Đánh giá"), through the real admin URLs: the officers of the
product's province and national admins see pending reviews and publish or reject them; an officer of
another province gets a 403 and changes nothing; the producer's members see their products'
published reviews and answer each once, in public, but never publish, reject or edit one (403)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from catalog import roles
from catalog.models import ProducerMember, ProvinceOfficer
from catalog.permissions import setup_roles
from shop.models import Review, ReviewPhoto
from tests.factories import make_producer, make_product, province
from tests.shop.test_returns import photo_file
from tests.shop.test_reviews import (  # noqa: F401
    TEXT,
    delivered,
    line_of,
    page,
    product_ld,
    public_storage,
    review_data,
    write_url,
)

pytestmark = pytest.mark.django_db
Status = Review.Status


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(django_user_model):
    """A Hải Phòng producer with a product and a member, another producer's member, officers of Hải
    Phòng and Hà Nội, and a national admin."""
    setup_roles()

    def user(name):
        return django_user_model.objects.create_user(name, f"{name}@example.com", "pw-reviews-123")

    producer, other = make_producer(title="HTX Mật ong Đại Hợp"), make_producer(title="HTX Chè Cẩm Mỹ")
    member, other_member = user("htx"), user("htx-khac")
    ProducerMember.objects.create(user=member, producer=producer)
    ProducerMember.objects.create(user=other_member, producer=other)
    officer, far_officer = user("canbo-hp"), user("canbo-hn")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    ProvinceOfficer.objects.create(user=far_officer, province=province("ha-noi"))
    national = user("quocgia")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    return {"producer": producer, "product": make_product(producer=producer, title="Mật ong Đại Hợp"),
            "member": member, "other_member": other_member, "officer": officer, "far_officer": far_officer,
            "national": national}


def pending_review(product, photos=()) -> Review:
    buyer = Client()
    order = delivered(buyer, product)
    response = buyer.post(write_url(order, line_of(order)), {**review_data(), "photos": list(photos)})
    assert response.status_code == 302
    return Review.objects.get(order=order)


def detail(review):
    return reverse("shop_reviews_detail", args=[review.pk])


def act(client, review, action, **data):
    return client.post(reverse("shop_reviews_action", args=[review.pk]), {"action": action, **data})


def last_message(response) -> str:
    return [str(message).strip() for message in get_messages(response.wsgi_request)][-1]


def test_the_products_officer_sees_pending_reviews_and_publishes_one(client, people):
    review = pending_review(people["product"])
    officer = login(people["officer"])
    listing = officer.get(reverse("shop_reviews")).content.decode()
    assert "Mật ong Đại Hợp" in listing and detail(review) in listing
    assert "Đăng đánh giá" in officer.get(detail(review)).content.decode()
    response = act(officer, review, "publish")
    assert response.status_code == 302 and last_message(response) == "Đã đăng đánh giá lên trang sản phẩm."
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED and review.moderated_by == people["officer"] and review.moderated_at
    html = page(client, people["product"])
    assert TEXT in html and product_ld(html)["aggregateRating"]["reviewCount"] == 1
    assert detail(review) not in officer.get(reverse("shop_reviews")).content.decode()  # pending ones by default
    assert detail(review) in officer.get(reverse("shop_reviews") + "?trang-thai=da-dang").content.decode()


def test_an_officer_of_another_province_gets_a_403_and_nothing_changes(people):
    review = pending_review(people["product"])
    far = login(people["far_officer"])
    assert detail(review) not in far.get(reverse("shop_reviews")).content.decode()
    assert far.get(detail(review)).status_code == 403
    for action in ("publish", "reject"):
        assert act(far, review, action).status_code == 403
    review.refresh_from_db()
    assert review.status == Status.PENDING and review.moderated_by is None


def test_a_national_admin_rejects_a_review_and_its_photos_are_deleted(
        client, people, public_storage, django_capture_on_commit_callbacks):  # noqa: F811
    review = pending_review(people["product"], photos=[photo_file()])
    name = ReviewPhoto.objects.get(review=review).image.name
    assert public_storage.exists(name)
    national = login(people["national"])
    assert detail(review) in national.get(reverse("shop_reviews")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(national, review, "reject")
    assert last_message(response) == "Đã từ chối đánh giá; đánh giá không hiển thị."
    review.refresh_from_db()
    assert review.status == Status.REJECTED and not ReviewPhoto.objects.exists()
    assert not public_storage.exists(name)  # it was at a public address: gone once the rejection commits
    assert TEXT not in page(client, people["product"])
    response = act(national, review, "publish")  # rejected is final
    review.refresh_from_db()
    assert review.status == Status.REJECTED and "đã được duyệt" in last_message(response)


def test_a_producer_cannot_publish_or_reject_but_replies_once(client, people):
    review = pending_review(people["product"])
    member = login(people["member"])
    assert detail(review) not in member.get(reverse("shop_reviews")).content.decode()  # pending: not theirs to see
    assert member.get(detail(review)).status_code == 403
    assert act(member, review, "publish").status_code == 403
    review.refresh_from_db()
    assert review.status == Status.PENDING

    act(login(people["officer"]), review, "publish")
    page_html = member.get(detail(review)).content.decode()
    assert "Trả lời công khai" in page_html and "Đăng đánh giá" not in page_html and "Gỡ đánh giá" not in page_html
    for action in ("publish", "reject"):
        assert act(member, review, action).status_code == 403
    review.refresh_from_db()
    assert review.status == Status.PUBLISHED

    response = act(member, review, "reply", reply="Cảm ơn chị Lan đã tin dùng <b>mật ong</b> Đại Hợp!")
    assert last_message(response) == "Đã đăng câu trả lời của chủ thể."
    review.refresh_from_db()
    assert review.replied_by == people["member"] and review.replied_at
    response = act(member, review, "reply", reply="Sửa lại câu trả lời")
    assert "chỉ có một câu trả lời" in last_message(response)
    review.refresh_from_db()
    assert review.reply == "Cảm ơn chị Lan đã tin dùng <b>mật ong</b> Đại Hợp!"
    assert review.text == TEXT  # nobody edits the buyer's words
    html = page(client, people["product"])
    assert "HTX Mật ong Đại Hợp trả lời" in html and "&lt;b&gt;mật ong&lt;/b&gt;" in html


def test_another_producers_member_sees_nothing_of_it(people):
    review = pending_review(people["product"])
    act(login(people["officer"]), review, "publish")
    other = login(people["other_member"])
    assert detail(review) not in other.get(reverse("shop_reviews")).content.decode()
    assert other.get(detail(review)).status_code == 403
    assert act(other, review, "reply", reply="Không phải của tôi").status_code == 403
    review.refresh_from_db()
    assert not review.reply


def test_the_menu_shows_reviews_to_officers_and_producers_only(people, django_user_model):
    def shown(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return "reviews" in {item.name for item in admin_menu.menu_items_for_request(request)}

    assert shown(people["officer"]) and shown(people["member"]) and shown(people["national"])
    assert not shown(django_user_model.objects.create_user("khach", "khach@example.com", "pw-reviews-123"))
