"""The staff screen of personal-data requests ("Yêu cầu dữ liệu cá nhân"), through the real admin URLs:
national admins only (officers and producers' members get a 403, buyers never reach the admin);
newest first with kind, e-mail, asked at, due by and done at; "Quá hạn" on open requests past their
72-hour target; a "chưa xong" filter; "Đánh dấu đã xử lý" needs a note and works once."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from catalog import roles
from catalog.models import ProducerMember, ProvinceOfficer
from catalog.permissions import setup_roles
from shop.models import DataRequest
from tests.factories import make_producer, province

pytestmark = pytest.mark.django_db
Kind = DataRequest.Kind
INDEX = reverse("shop_data_requests")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(item):
    return reverse("shop_data_requests_detail", args=[item.pk])


def mark(client, item, note="Đã gửi dữ liệu qua email cho người mua.", **extra):
    return client.post(reverse("shop_data_requests_action", args=[item.pk]), {"action": "done", "note": note, **extra})


def last_message(response) -> str:
    return [str(message).strip() for message in get_messages(response.wsgi_request)][-1]


@pytest.fixture
def people(django_user_model):
    setup_roles()

    def user(name):
        return django_user_model.objects.create_user(name, f"{name}@example.com", "pw-requests-123")

    officer, member, buyer, national = user("canbo-hp"), user("htx"), user("khach"), user("quocgia")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    ProducerMember.objects.create(user=member, producer=make_producer(title="HTX Mật ong Đại Hợp"))
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    return {"officer": officer, "member": member, "buyer": buyer, "national": national}


@pytest.fixture
def requests_():
    """An overdue open guest request (asked 80 hours ago), a fresh open one, and one done late."""
    now = timezone.now()
    overdue = DataRequest.objects.create(kind=Kind.DELETE, email="cu@example.com",
                                         created_at=now - datetime.timedelta(hours=80))
    fresh = DataRequest.objects.create(kind=Kind.EXPORT, email="moi@example.com", created_at=now)
    done = DataRequest.objects.create(kind=Kind.WITHDRAW_CONSENT, email="xong@example.com",
                                      created_at=now - datetime.timedelta(hours=100),
                                      done_at=now - datetime.timedelta(hours=1))
    return {"overdue": overdue, "fresh": fresh, "done": done}


def row(html, email) -> str:
    start = html.index(email)
    return html[html.rindex("<tr>", 0, start):html.index("</tr>", start)]


def test_only_national_admins_see_the_screen(people, requests_):
    for name in ("officer", "member"):
        client = login(people[name])
        assert client.get(INDEX).status_code == 403, name
        assert client.get(detail(requests_["fresh"])).status_code == 403, name
        assert mark(client, requests_["fresh"]).status_code == 403, name
    buyer = login(people["buyer"])  # no admin access at all: Wagtail sends them to the admin's sign-in
    for response in (buyer.get(INDEX), mark(buyer, requests_["fresh"])):
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    assert DataRequest.objects.get(pk=requests_["fresh"].pk).done_at is None  # nobody changed anything

    national = login(people["national"])
    assert national.get(INDEX).status_code == 200 and national.get(detail(requests_["fresh"])).status_code == 200

    def shown(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return "data-requests" in {item.name for item in admin_menu.menu_items_for_request(request)}

    assert shown(people["national"]) and not shown(people["officer"]) and not shown(people["member"])


def test_the_list_is_newest_first_with_dates_and_flags_overdue_open_requests(people, requests_):
    html = login(people["national"]).get(INDEX).content.decode()
    emails = ["moi@example.com", "cu@example.com", "xong@example.com"]
    assert [html.index(email) for email in emails] == sorted(html.index(email) for email in emails)
    overdue = row(html, "cu@example.com")
    assert "Quá hạn" in overdue and "Xoá tài khoản" in overdue and "Chưa xong" in overdue
    due = timezone.localtime(requests_["overdue"].due_by).strftime("%H:%M %d/%m/%Y")
    asked = timezone.localtime(requests_["overdue"].created_at).strftime("%H:%M %d/%m/%Y")
    assert due in overdue and asked in overdue
    assert "Quá hạn" not in row(html, "moi@example.com")  # open, not yet due
    late_but_done = row(html, "xong@example.com")
    assert "Quá hạn" not in late_but_done
    assert timezone.localtime(requests_["done"].done_at).strftime("%H:%M %d/%m/%Y") in late_but_done
    assert "1 yêu cầu quá hạn chưa xử lý." in html


def test_the_open_filter_leaves_out_what_is_done(people, requests_):
    html = login(people["national"]).get(INDEX + "?trang-thai=chua-xong").content.decode()
    assert "moi@example.com" in html and "cu@example.com" in html and "xong@example.com" not in html
    html = login(people["national"]).get(INDEX + "?trang-thai=qua-han").content.decode()
    assert "cu@example.com" in html and "moi@example.com" not in html


def test_marking_done_needs_a_note_works_once_and_is_then_refused(people, requests_):
    client, item = login(people["national"]), requests_["overdue"]
    page = client.get(detail(item)).content.decode()
    assert "Đánh dấu đã xử lý" in page and "Quá hạn" in page
    response = mark(client, item, note="   ")
    assert response.status_code == 302 and last_message(response).startswith("Hãy ghi chú đã xử lý thế nào")
    assert DataRequest.objects.get(pk=item.pk).done_at is None

    response = mark(client, item)
    assert response.status_code == 302 and last_message(response) == "Đã đánh dấu yêu cầu là đã xử lý."
    done_at = DataRequest.objects.get(pk=item.pk).done_at
    assert done_at is not None and DataRequest.objects.get(pk=item.pk).note == "Đã gửi dữ liệu qua email cho người mua."
    page = client.get(detail(item)).content.decode()
    assert 'name="note"' not in page and "Quá hạn" not in page and "Đã gửi dữ liệu qua email cho người mua." in page
    assert "Quá hạn" not in row(client.get(INDEX).content.decode(), "cu@example.com")

    response = mark(client, item, note="Lần nữa")
    assert response.status_code == 302 and last_message(response) == "Yêu cầu này đã được xử lý rồi."
    assert DataRequest.objects.get(pk=item.pk).done_at == done_at


def test_an_unknown_step_or_request_changes_nothing(people, requests_):
    client = login(people["national"])
    response = mark(client, requests_["fresh"], action="xoa")
    assert last_message(response) == "Thao tác không hợp lệ."
    assert DataRequest.objects.get(pk=requests_["fresh"].pk).done_at is None
    assert client.get(reverse("shop_data_requests_detail", args=[999999])).status_code == 404
    assert client.get(reverse("shop_data_requests_action", args=[requests_["fresh"].pk])).status_code == 405
