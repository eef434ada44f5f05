"""The Content-Security-Policy in Chromium: the key public pages, at phone width, and Wagtail's admin
load and work (the cart, checkout's commune list, the editor) with no violation reported.

Violations are caught twice: the `securitypolicyviolation` events the page fires (listened to by an
init script, which Playwright injects outside the page's policy) and Chromium's console errors."""

import re

import pytest
from django.urls import reverse

from tests.e2e.conftest import expect
from tests.factories import make_producer, make_product
from tests.shop.test_campaigns import make_campaign

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTEN = """document.addEventListener("securitypolicyviolation", (event) => {
  (window.__violations = window.__violations || []).push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`);
});"""


@pytest.fixture
def watched(browser, _seed_snapshot, live_server):
    """A phone-sized page whose CSP violations (events and console) are collected in `.violations`."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780})
    context.set_default_timeout(60_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.violations = []
    page.on("console", lambda message: page.violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    def visit(url):
        page.goto(url)
        page.wait_for_load_state("load")
        page.violations.extend(page.evaluate("window.__violations || []"))

    page.visit = visit
    yield page
    context.close()


def test_the_shop_runs_under_its_policy(watched, live_server):
    producer = make_producer(title="HTX Mật ong Đại Hợp")
    product = make_product(producer=producer, title="Mật ong Đại Hợp", stock=5)
    campaign = make_campaign("Tuần lễ mật ong", products=[product])
    base = live_server.url
    for url in ("/", "/san-pham/", producer.url, "/tinh/hai-phong/", "/tim-kiem/?q=mat+ong", "/thong-ke/",
                campaign.get_parent().url, campaign.url, reverse("shop:login"), "/dang-ky-chu-the/"):
        watched.visit(base + url)
    watched.visit(base + product.url)
    watched.get_by_role("button", name="Thêm vào giỏ").click()
    expect(watched.locator(".cart-count")).to_have_text("1")
    watched.visit(base + reverse("shop:cart"))
    watched.visit(base + reverse("shop:checkout"))
    watched.get_by_label("Tỉnh/Thành phố").select_option(label="Hà Nội")
    expect(watched.locator("select[name=commune] option", has_text="Ba Đình (Phường)")).to_have_count(1)  # checkout.js
    watched.violations.extend(watched.evaluate("window.__violations || []"))
    assert watched.violations == []


def test_the_admin_runs_under_its_policy(watched, live_server, django_user_model):
    django_user_model.objects.create_superuser("quan-tri", "qt@example.com", "pw-csp-12345")
    product = make_product(title="Mật ong Đại Hợp")
    watched.set_viewport_size({"width": 1280, "height": 900})
    watched.visit(live_server.url + reverse("wagtailadmin_login"))
    watched.locator('input[name="username"]').fill("quan-tri")
    watched.locator('input[name="password"]').fill("pw-csp-12345")
    watched.locator('form button[type="submit"]').click()
    expect(watched).to_have_url(re.compile(r"/admin/$"))
    for url in (reverse("wagtailadmin_pages:edit", args=[product.pk]), reverse("wagtailadmin_explore_root"),
                reverse("storefront_failed_logins")):
        watched.visit(live_server.url + url)
    expect(watched.locator("#id_title")).to_have_count(0)  # the last page is the report, not the editor
    assert watched.violations == []
