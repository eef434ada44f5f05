"""The admin's sign-in is locked like the shop's, and national admins see every failed sign-in (both pages)
in the admin, lift lockouts there, and find them in the logs; officers and producers may not."""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from catalog import roles
from catalog.models import ProducerMember, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.factories import make_producer, province

pytestmark = pytest.mark.django_db

PASSWORD = "pw-roles-12345"
LOCKED = "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc đặt lại mật khẩu."
REPORT = "storefront_failed_logins"


@pytest.fixture
def people(django_user_model):
    """A national admin (by group, not a superuser), a province officer, a producer's member and a superuser."""
    setup_roles()
    national = django_user_model.objects.create_user("quoc-gia", "qg@example.com", PASSWORD)
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    officer = django_user_model.objects.create_user("canbo-hp", "canbo@example.com", PASSWORD)
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    member = django_user_model.objects.create_user("htx", "htx@example.com", PASSWORD)
    ProducerMember.objects.create(user=member, producer=make_producer())
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    return {"national": national, "officer": officer, "member": member, "boss": boss}


def admin_sign_in(username, password, **client_kwargs):
    """A sign-in on Wagtail's login page from a browser with no cookies (a new session each time)."""
    client = Client(**client_kwargs)
    return client, client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_login_locks_an_account_after_repeated_failures(people):
    for attempt in range(1, 31):
        _client, response = admin_sign_in("boss", f"sai-mat-khau-{attempt}")
        text = response.content.decode()
        if attempt < 5:
            assert response.status_code == 200 and LOCKED not in text
        else:
            assert response.status_code == 429 and LOCKED in text, attempt
            assert 'name="password"' in text  # Wagtail's own login page, with the message in its form
    client, response = admin_sign_in("boss", PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert SESSION_KEY not in client.session

    # Another admin, from another address, signs in as usual.
    client, response = admin_sign_in("quoc-gia", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and SESSION_KEY in client.session

    # That admin lifts the lockout in the report; then the right password works.
    national = as_user(people["national"])
    report = national.get(reverse(REPORT)).content.decode()
    assert "boss" in report and "Mở khoá" in report
    assert national.post(reverse(REPORT), {"username": "boss"}).status_code == 302
    client, response = admin_sign_in("boss", PASSWORD)
    assert response.status_code == 302 and SESSION_KEY in client.session


def test_the_report_lists_failed_logins_of_both_pages_for_national_admins(people, caplog):
    with caplog.at_level(logging.WARNING, logger="storefront.security"):
        admin_sign_in("canbo-hp", "sai-mat-khau", REMOTE_ADDR="10.20.30.40")
        Client(REMOTE_ADDR="10.20.30.41").post(reverse("shop:login"), {"username": "Khach@Example.com",
                                                                      "password": "sai"})
    logged = [r.getMessage() for r in caplog.records if r.name == "storefront.security"]
    assert any("canbo-hp" in m and "10.20.30.40" in m for m in logged), logged
    assert any("Khach@Example.com" in m and "10.20.30.41" in m for m in logged), logged
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "storefront.security")

    response = as_user(people["national"]).get(reverse(REPORT))
    assert response.status_code == 200
    text = response.content.decode()
    for seen in ("Đăng nhập thất bại", "canbo-hp", "10.20.30.40", "Khach@Example.com", "10.20.30.41",
                 "Trang quản trị", "Cửa hàng"):
        assert seen in text, seen

    # The menu offers the report to national admins only.
    assert reverse(REPORT) in as_user(people["national"]).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(REPORT) not in as_user(people["officer"]).get(reverse("wagtailadmin_home")).content.decode()


def test_the_report_shows_who_is_locked_out_now(people):
    for attempt in range(6):
        admin_sign_in("canbo-hp", f"sai-{attempt}", REMOTE_ADDR="10.20.30.40")
    text = as_user(people["boss"]).get(reverse(REPORT)).content.decode()
    assert "Đang bị khoá" in text and 'value="canbo-hp"' in text and 'value="10.20.30.40"' in text
    lifted = as_user(people["boss"]).post(reverse(REPORT), {"ip_address": "10.20.30.40"}, follow=True)
    assert 'value="10.20.30.40"' not in lifted.content.decode()
    _client, response = admin_sign_in("canbo-hp", PASSWORD, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["officer", "member"])
def test_officers_and_producers_may_not_see_or_lift(people, who):
    admin_sign_in("boss", "sai-mat-khau")
    client = as_user(people[who])
    assert client.get(reverse(REPORT)).status_code == 403
    assert client.post(reverse(REPORT), {"username": "boss"}).status_code == 403


def test_signed_out_visitors_are_sent_to_the_login():
    response = Client().get(reverse(REPORT))
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
