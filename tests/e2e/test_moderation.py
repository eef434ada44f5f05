"""A producer's edit goes through its province's officer, in a real browser (Wagtail's admin).

The producer signs in, changes its introduction and submits it for review; the page stays as it
was. An officer of another province sees nothing to review; the officer of the producer's province
finds it on the dashboard, approves it in the editor, and the public page shows the new text."""

import re

import pytest

from catalog.models import ProducerMember, ProducerPage, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.e2e.conftest import expect, screenshot
from tests.factories import make_producer, province

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-roles-12345"
NEW_INTRO = "Mật ong hoa nhãn thu hoạch tháng 3, đóng chai tại Hải Phòng."


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_a_producer_edit_is_reviewed_by_its_province_officer(page, live_server, django_user_model):
    setup_roles()
    producer = make_producer(title="HTX Mật ong Hải Phòng", intro="Giới thiệu cũ")
    for username, link in (
        ("htx", lambda user: ProducerMember.objects.create(user=user, producer=producer)),
        ("canbo-hp", lambda user: ProvinceOfficer.objects.create(user=user, province=province("hai-phong"))),
        ("canbo-hn", lambda user: ProvinceOfficer.objects.create(user=user, province=province("ha-noi"))),
    ):
        link(django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD))

    # The producer edits and submits; it has no publish button.
    sign_in(page, live_server, "htx")
    page.goto(f"{live_server.url}/admin/pages/{producer.pk}/edit/")
    page.locator("#id_intro").fill(NEW_INTRO)
    assert page.locator('button[name="action-publish"]').count() == 0
    page.locator('button[name="action-submit"]').evaluate("button => button.click()")
    expect(page).to_have_url(re.compile(r"/admin/"))
    page.wait_for_load_state()
    assert ProducerPage.objects.get(pk=producer.pk).intro == "Giới thiệu cũ"
    assert ProducerPage.objects.get(pk=producer.pk).workflow_in_progress

    # Another province's officer: nothing to review, and the editor is closed to it.
    sign_in(page, live_server, "canbo-hn")
    expect(page.locator("body")).not_to_contain_text("HTX Mật ong Hải Phòng")
    page.goto(f"{live_server.url}/admin/pages/{producer.pk}/edit/")
    expect(page).not_to_have_url(re.compile(rf"/admin/pages/{producer.pk}/edit/$"))

    # The province's officer finds it on the dashboard and approves it in the editor.
    sign_in(page, live_server, "canbo-hp")
    expect(page.locator("body")).to_contain_text("HTX Mật ong Hải Phòng")
    screenshot(page, "moderation-dashboard")
    page.goto(f"{live_server.url}/admin/pages/{producer.pk}/edit/")
    expect(page.locator("#id_intro")).to_have_value(NEW_INTRO)
    page.locator('button[data-workflow-action-name="approve"]').first.evaluate("button => button.click()")
    page.wait_for_load_state()
    expect(page.locator("body")).not_to_contain_text("Internal Server Error")
    for _attempt in range(50):
        if ProducerPage.objects.get(pk=producer.pk).intro == NEW_INTRO:
            break
        page.wait_for_timeout(100)
    live = ProducerPage.objects.get(pk=producer.pk)
    assert live.intro == NEW_INTRO and not live.workflow_in_progress

    page.goto(live_server.url + live.url)
    expect(page.locator("body")).to_contain_text(NEW_INTRO)
    screenshot(page, "moderation-published")
