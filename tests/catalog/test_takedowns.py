"""Takedowns: anyone reports a product or producer page (rate-limited, with a reason); the report
lands in the queue of the producer's province officers and national admins, who hide the page at
once (gone from listings, search, the sitemap and the cart; its URL answers 451 with a notice),
decide within 24 hours (an overdue report is flagged and e-mailed, once), and warn, suspend or
reinstate the producer. Every decision is logged and shown to the producer; officers of another
province and producers get a 403 and change nothing."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import roles
from catalog.models import ListingAction, ListingReport, ProducerMember, ProducerPage, ProductPage, ProvinceOfficer
from catalog.permissions import setup_roles
from catalog.tasks import flag_overdue_reports
from search.index import rebuild
from shop.models import CartLine
from tests.factories import make_producer, make_product, province

pytestmark = pytest.mark.django_db
DETAILS = "Nhãn ghi 5 sao nhưng sản phẩm chỉ được công nhận 3 sao năm 2023."


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(django_user_model):
    setup_roles()

    def user(name):
        return django_user_model.objects.create_user(name, f"{name}@example.com", "pw-takedowns-123")

    producer = make_producer(title="HTX Vải thiều Thanh Hà")
    member = user("htx")
    ProducerMember.objects.create(user=member, producer=producer)
    officer, far_officer = user("canbo-hp"), user("canbo-hn")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    ProvinceOfficer.objects.create(user=far_officer, province=province("ha-noi"))
    national = user("quocgia")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    product = make_product(producer=producer, title="Vải thiều sấy khô Thanh Hà")
    other = make_product(producer=producer, title="Mật ong hoa vải")
    return {"producer": producer, "product": product, "other": other, "member": member, "officer": officer,
            "far_officer": far_officer, "national": national, "buyer": user("nguoimua")}


def report_url(page):
    kind = "san-pham" if isinstance(page, ProductPage) else "chu-the"
    return reverse("catalog:report_listing", args=[kind, page.pk])


def send_report(client, page, **data):
    return client.post(report_url(page), {"reason": "sai-sao", "details": DETAILS, **data})


def reported(people, page=None) -> ListingReport:
    assert send_report(Client(), page or people["product"]).status_code == 302
    return ListingReport.objects.latest("pk")


def act(client, report, action, note="Đã kiểm tra hồ sơ công nhận."):
    return client.post(reverse("catalog_takedowns_action", args=[report.pk]), {"action": action, "note": note})


def fresh(page):
    return type(page).objects.get(pk=page.pk)


# --- Reporting ---------------------------------------------------------------------------------------

def test_a_visitor_reports_a_product_and_the_provinces_officers_are_emailed(
        people, mailoutbox, django_capture_on_commit_callbacks):
    visitor = Client()
    assert reverse("catalog:report_listing", args=["san-pham", people["product"].pk]) in visitor.get(
        fresh(people["product"]).url).content.decode()
    form = visitor.get(report_url(people["product"]))
    assert form.status_code == 200 and "Hàng giả, hàng nhái" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = send_report(visitor, people["product"], email="khach@example.com")
    assert response.status_code == 302 and response.url == fresh(people["product"]).url
    found = ListingReport.objects.get()
    assert found.product == people["product"] and found.producer == people["producer"] and found.about_product
    assert found.reporter is None and found.reporter_email == "khach@example.com" and found.status == "cho-xu-ly"
    assert found.due_by - found.created_at == datetime.timedelta(hours=24)
    assert [m.to for m in mailoutbox] == [["canbo-hp@example.com"]]  # not Hà Nội's officer
    assert found.number in mailoutbox[0].subject and DETAILS in mailoutbox[0].body
    assert reverse("catalog_takedowns_detail", args=[found.pk]) in mailoutbox[0].body
    page = visitor.get(response.url).content.decode()
    assert f"Đã nhận báo cáo {found.number}" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": ""}, "Hãy chọn lý do báo cáo."),
    ({"reason": "khong-co"}, "Hãy chọn một lựa chọn hợp lệ."),
    ({"details": "Giả"}, "ít nhất 10 ký tự"),
    ({"details": "x" * 2001}, "2000"),
    ({"email": "khong-phai-email"}, "email"),
])
def test_a_bad_report_rerenders_with_a_message_and_stores_nothing(people, data, message):
    response = send_report(Client(), people["product"], **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ListingReport.objects.exists()


def test_a_signed_in_user_cannot_report_the_same_page_twice_while_it_is_open(people):
    buyer = login(people["buyer"])
    assert send_report(buyer, people["product"]).status_code == 302
    again = send_report(buyer, people["product"])
    assert again.status_code == 400 and "Bạn đã báo cáo trang này" in again.content.decode()
    assert ListingReport.objects.count() == 1 and ListingReport.objects.get().reporter == people["buyer"]


def test_reporting_is_rate_limited_per_client(people, settings):
    assert settings.RATE_LIMITS["listing_report"] == "5/h"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "listing_report": "2/h"}
    visitor = Client()
    assert [send_report(visitor, people["product"]).status_code for _ in range(3)] == [302, 302, 429]
    assert ListingReport.objects.count() == 2


def test_an_unknown_kind_or_page_is_a_404(people):
    assert Client().get(reverse("catalog:report_listing", args=["bai-viet", people["product"].pk])).status_code == 404
    assert Client().get(reverse("catalog:report_listing", args=["chu-the", people["product"].pk])).status_code == 404


# --- Hiding a listing ----------------------------------------------------------------------------------

def add_to_cart(client, product):
    return client.post(reverse("shop:cart_add"), {"variant": product.variants.get().pk, "quantity": 1}, follow=True)


def test_hiding_takes_the_product_off_every_public_surface_and_logs_it(
        people, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0
    product, url = people["product"], fresh(people["product"]).url
    rebuild()
    buyer, visitor = login(people["buyer"]), Client()
    add_to_cart(buyer, product)
    visitor.get(url)
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    found = reported(people)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert act(login(people["officer"]), found, "hide", note="Tạm ẩn để xác minh hạng sao.").status_code == 302
    assert fresh(product).taken_down_at is not None
    notice = visitor.get(url)
    assert notice.status_code == 451 and "Trang tạm ngừng hiển thị" in notice.content.decode()
    assert "Vải thiều sấy khô Thanh Hà" not in visitor.get(reverse("catalog:product_list")).content.decode()
    assert "Mật ong hoa vải" in visitor.get(reverse("catalog:product_list")).content.decode()  # its sibling stays
    assert "Vải thiều sấy khô" not in visitor.get(reverse("search:results"), {"q": "vải thiều sấy"}).content.decode()
    assert url not in visitor.get(reverse("sitemap")).content.decode()
    cart = buyer.get(reverse("shop:cart")).content.decode()
    assert "không còn được bán nên đã được bỏ khỏi giỏ" in cart
    assert "Sản phẩm này không còn được bán." in add_to_cart(buyer, product).content.decode()
    assert not CartLine.objects.filter(variant__product=product).exists()
    action = ListingAction.objects.get()
    assert (action.kind, action.actor, action.report, action.product) == ("an", people["officer"], found, product)
    assert [m.to for m in mailoutbox] == [["htx@example.com"]] and "Tạm ẩn để xác minh" in mailoutbox[0].body
    assert "canbo-hp" not in mailoutbox[0].body and "nguoimua" not in mailoutbox[0].body


def test_a_revision_published_by_the_producer_keeps_the_page_hidden(people):
    found = reported(people)
    act(login(people["officer"]), found, "hide")
    page = fresh(people["product"])
    page.intro = "Sửa mô tả sau khi bị ẩn"
    page.save_revision(user=people["member"]).publish()
    assert fresh(people["product"]).taken_down_at is not None
    assert Client().get(fresh(people["product"]).url).status_code == 451


def test_dismissing_shows_the_page_again_and_upholding_keeps_it_hidden(people):
    officer, first, second = login(people["officer"]), reported(people), reported(people)
    act(officer, first, "hide")
    act(officer, first, "dismiss", note="Đúng 5 sao theo quyết định 2025.")
    assert fresh(people["product"]).taken_down_at is not None  # a second report is still open
    act(officer, second, "dismiss", note="Trùng báo cáo trước.")
    assert fresh(people["product"]).taken_down_at is None
    assert Client().get(fresh(people["product"]).url).status_code == 200
    third = reported(people)
    act(officer, third, "uphold", note="Ghi sai hạng sao.")
    third.refresh_from_db()
    assert third.status == "vi-pham" and third.decided_by == people["officer"] and third.decision_note == "Ghi sai hạng sao."
    assert fresh(people["product"]).taken_down_at is not None
    kinds = list(ListingAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["an", "khong-vi-pham", "khong-vi-pham", "hien-lai", "co-vi-pham"]
    assert act(officer, third, "dismiss").status_code == 302
    third.refresh_from_db()
    assert third.status == "vi-pham"  # decided once


def test_a_decision_needs_a_reason(people):
    found = reported(people)
    act(login(people["officer"]), found, "hide", note="  ")
    assert fresh(people["product"]).taken_down_at is None and not ListingAction.objects.exists()


def test_an_officer_of_another_province_and_the_producer_get_a_403_and_change_nothing(people):
    found = reported(people)
    for who in ("far_officer", "member"):
        client = login(people[who])
        assert client.get(reverse("catalog_takedowns_detail", args=[found.pk])).status_code == 403
        assert act(client, found, "hide").status_code == 403
        assert act(client, found, "suspend").status_code == 403
    assert fresh(people["product"]).taken_down_at is None and not ListingAction.objects.exists()
    assert found.number not in login(people["far_officer"]).get(reverse("catalog_takedowns")).content.decode()
    assert login(people["member"]).get(reverse("catalog_takedowns")).status_code == 403
    assert found.number in login(people["national"]).get(reverse("catalog_takedowns")).content.decode()


# --- Producers: warnings and suspensions --------------------------------------------------------------

def test_suspending_a_producer_hides_its_page_and_every_product_until_reinstated(people):
    found, officer = reported(people, page=people["producer"]), login(people["officer"])
    assert not found.about_product and found.producer == people["producer"]
    act(officer, found, "suspend", note="Bán hàng giả nhiều lần.")
    visitor = Client()
    for page in (people["producer"], people["product"], people["other"]):
        assert visitor.get(fresh(page).url).status_code == 451
    listing = visitor.get(reverse("catalog:product_list")).content.decode()
    assert "Mật ong hoa vải" not in listing and "Vải thiều sấy khô" not in listing
    assert not ProducerPage.objects.live().filter(pk=people["producer"].pk).exists()
    assert act(officer, found, "restore").status_code == 302  # a suspension is lifted only by reinstating
    assert fresh(people["producer"]).taken_down_at is not None
    act(officer, found, "reinstate", note="Đã khắc phục.")
    assert all(visitor.get(fresh(page).url).status_code == 200 for page in (people["producer"], people["other"]))


def test_the_producer_sees_its_warnings_and_suspensions_but_not_who_reported(people):
    found = reported(people)
    found.reporter_email = "nguoi-to-cao@example.com"
    found.save()
    officer = login(people["officer"])
    act(officer, found, "warn", note="Cảnh cáo lần 1: ghi sai hạng sao.")
    act(officer, found, "suspend", note="Đình chỉ 30 ngày.")
    page = login(people["member"]).get(reverse("catalog_takedowns_mine")).content.decode()
    assert "Cảnh cáo lần 1: ghi sai hạng sao." in page and "Đình chỉ 30 ngày." in page
    assert "đang bị ẩn khỏi sàn" in page and "nguoi-to-cao@example.com" not in page
    assert login(people["buyer"]).get(reverse("catalog_takedowns_mine")).status_code == 302  # no admin access


def test_the_log_cannot_be_changed_or_deleted(people):
    found = reported(people)
    act(login(people["officer"]), found, "warn")
    action = ListingAction.objects.get()
    action.note = "Sửa lại"
    with pytest.raises(ValueError):
        action.save()
    with pytest.raises(ValueError):
        action.delete()


# --- The 24-hour deadline ------------------------------------------------------------------------------

def test_an_overdue_report_is_flagged_and_emailed_once(people, mailoutbox, django_capture_on_commit_callbacks):
    found = reported(people)
    ListingReport.objects.filter(pk=found.pk).update(due_by=timezone.now() - datetime.timedelta(minutes=1))
    on_time = reported(people)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_overdue_reports.call() == 1
    assert sorted(mailoutbox[0].to) == ["canbo-hp@example.com", "quocgia@example.com"]
    assert "Quá hạn" in mailoutbox[0].subject and found.number in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_overdue_reports.call() == 0
    assert len(mailoutbox) == 1
    queue = login(people["officer"]).get(reverse("catalog_takedowns")).content.decode()
    assert "1 báo cáo đã quá hạn 24 giờ." in queue and queue.index(found.number) < queue.index(on_time.number)
    assert "Quá hạn:" in login(people["officer"]).get(
        reverse("catalog_takedowns_detail", args=[found.pk])).content.decode()
