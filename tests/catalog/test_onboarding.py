"""Producers come in by invitation from their province's officer, or register themselves and wait
for that officer's review."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState

from catalog.models import Commune, ProducerMember, ProducerPage, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.factories import make_producer, province

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def officers(django_user_model):
    setup_roles()
    hp = django_user_model.objects.create_user("canbo-hp", "canbo.hp@example.com", "pw-roles-12345")
    ProvinceOfficer.objects.create(user=hp, province=province("hai-phong"))
    hn = django_user_model.objects.create_user("canbo-hn", "canbo.hn@example.com", "pw-roles-12345")
    ProvinceOfficer.objects.create(user=hn, province=province("ha-noi"))
    return hp, hn


def test_an_officer_invites_a_person_who_sets_a_password_and_edits_the_producer(
        client, officers, django_capture_on_commit_callbacks):
    producer = make_producer(title="HTX Vải Thanh Hà")
    client.force_login(officers[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog_invite"), {
            "email": "Chu.Nhiem@Example.com", "name": "Nguyễn Văn An", "producer": producer.pk})
    assert response.status_code == 302
    invited = User.objects.get(email="chu.nhiem@example.com")
    assert not invited.has_usable_password()
    assert ProducerMember.objects.filter(user=invited, producer=producer).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chu.nhiem@example.com"]
    link = re.search(r"https?://\S+/tai-khoan/mat-khau/\S+/", mail.outbox[0].body).group(0)

    client.logout()
    form = client.get(urlsplit(link).path, follow=True)
    assert form.status_code == 200 and form.redirect_chain
    done = client.post(form.redirect_chain[-1][0],
                       {"new_password1": "Vai-thieu-2026!", "new_password2": "Vai-thieu-2026!"})
    assert done.status_code == 302
    assert client.login(username="chu.nhiem@example.com", password="Vai-thieu-2026!")
    assert client.get(reverse("wagtailadmin_pages:edit", args=[producer.pk])).status_code == 200


def test_an_officer_cannot_invite_for_another_province(client, officers):
    hanoi = make_producer(title="HTX Hà Nội", province_slug="ha-noi", commune_name="Phường Ba Đình",
                          legacy_province_slug=None, legacy_district=None)
    client.force_login(officers[0])
    response = client.post(reverse("catalog_invite"), {"email": "x@example.com", "name": "X", "producer": hanoi.pk})
    assert response.status_code == 200 and "producer" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.com").exists() and not mail.outbox


def test_a_producer_cannot_invite(client, officers, django_user_model):
    producer = make_producer()
    user = django_user_model.objects.create_user("htx", "htx@example.com", "pw-roles-12345")
    ProducerMember.objects.create(user=user, producer=producer)
    client.force_login(user)
    response = client.get(reverse("catalog_invite"))
    assert response.status_code in (302, 403) and not response.get("Location", "").endswith(reverse("catalog_invite"))


def signup_data(**changes):
    commune = Commune.objects.get(name="Xã Thanh Hà", province__slug="hai-phong")
    data = {
        "producer_title": "HTX Gốm Chu Đậu", "legal_form": ProducerPage.LegalForm.COOPERATIVE,
        "name": "Trần Thị Bình", "phone": "0912 345 678", "email": "gom@example.com",
        "province": commune.province_id, "commune": commune.pk, "street": "Thôn Chu Đậu",
        "password1": "Gom-chu-dau-2026", "password2": "Gom-chu-dau-2026",
    }
    data.update(changes)
    return data


def test_a_producer_registers_itself_and_waits_for_its_province(client, officers,
                                                                 django_capture_on_commit_callbacks):
    assert client.get(reverse("catalog:producer_signup")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:producer_signup"), signup_data())
    assert response.status_code == 200
    page = ProducerPage.objects.get(title="HTX Gốm Chu Đậu")
    user = User.objects.get(email="gom@example.com")
    assert not page.live and page.owner == user and page.phone == "0912345678"
    assert ProducerMember.objects.filter(user=user, producer=page).exists()
    state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    assert state.workflow_state.object_id == str(page.pk)
    assert [m.to for m in mail.outbox] == [["canbo.hp@example.com"]]
    # The new producer works on its draft; only the Hải Phòng officer may review it.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert list(state.task.specific.get_task_states_user_can_moderate(officers[0])) == [state]
    assert not state.task.specific.get_task_states_user_can_moderate(officers[1]).exists()


@pytest.mark.parametrize("changes, field", [
    ({"password2": "khac-hoan-toan-1"}, "password2"),
    ({"password1": "123", "password2": "123"}, "password1"),
    ({"phone": "12345"}, "phone"),
    ({"email": "khong-phai-email"}, "email"),
    ({"producer_title": ""}, "producer_title"),
])
def test_bad_registrations_re_render_with_messages_and_save_nothing(client, officers, changes, field):
    response = client.post(reverse("catalog:producer_signup"), signup_data(**changes))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not ProducerPage.objects.filter(title="HTX Gốm Chu Đậu").exists()
    assert not User.objects.filter(email="gom@example.com").exists()


def test_a_commune_of_another_province_is_refused(client, officers):
    ba_dinh = Commune.objects.get(name="Phường Ba Đình")
    response = client.post(reverse("catalog:producer_signup"), signup_data(commune=ba_dinh.pk))
    assert "commune" in response.context["form"].errors


def test_an_email_with_an_account_is_refused(client, officers, django_user_model):
    django_user_model.objects.create_user("gom@example.com", "gom@example.com", "x-Password-1")
    response = client.post(reverse("catalog:producer_signup"), signup_data())
    assert "email" in response.context["form"].errors
    assert not ProducerPage.objects.filter(title="HTX Gốm Chu Đậu").exists()
