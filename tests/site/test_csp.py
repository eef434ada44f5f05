"""The Content-Security-Policy: enforced on every public response with no inline code allowed, the
admin's looser policy only under /admin/, and nothing inline in what our pages send (the browser
test tests/e2e/test_csp.py loads them in Chromium and watches for violations)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_producer, make_product
from tests.shop.test_campaigns import make_campaign

pytestmark = pytest.mark.django_db

MISSING = "/khong-co-trang-nay/"
ROOT = Path(__file__).resolve().parents[2]
# An inline <script> (one with no src; JSON-LD is data, which CSP does not run), a <style> element,
# a style="" attribute or an on…="" handler: each is refused by a policy without 'unsafe-inline'.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=", re.I)


def directives(response, header="Content-Security-Policy") -> dict[str, set[str]]:
    policy = response.headers.get(header)
    assert policy, f"no {header} on {response.request['PATH_INFO']}"
    return {name: set(values) for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def public_urls(client):
    """One URL of each kind of public page, with a product in `client`'s cart so checkout opens."""
    producer = make_producer(title="HTX Mật ong Đại Hợp")
    product = make_product(producer=producer, title="Mật ong Đại Hợp")
    campaign = make_campaign("Tuần lễ mật ong", products=[product])
    client.post(reverse("shop:cart_add"), {"variant": product.variants.get().pk, "quantity": 1})
    return [
        "/", "/san-pham/", product.url, producer.url, "/tinh/hai-phong/", "/tim-kiem/?q=mat+ong",
        campaign.get_parent().url, campaign.url, "/gio-hang/", "/thanh-toan/", "/thong-ke/", reverse("shop:login"), reverse("shop:signup"), "/dang-ky-chu-the/", MISSING,
    ]


def test_every_public_response_carries_an_enforcing_policy_without_inline_code(client):
    for url in public_urls(client):
        response = client.get(url)
        assert response.status_code == (404 if url == MISSING else 200), (url, response.status_code)
        policy = directives(response)
        assert "Content-Security-Policy-Report-Only" not in response.headers
        assert policy["script-src"] == {"'self'"}, url
        assert policy["style-src"] == {"'self'"}, url
        assert policy["object-src"] == {"'none'"} and policy["frame-ancestors"] == {"'none'"}, url
        assert policy["base-uri"] == {"'self'"} and policy["default-src"] == {"'self'"}, url


def test_public_pages_send_nothing_inline(client):
    for url in public_urls(client):
        response = client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        found = INLINE.findall(html)
        assert not found, (url, found[:3])


def test_our_templates_have_nothing_inline():
    """Every template of ours that a public page or e-mail-free view renders (admin templates run under
    the admin policy and may keep Wagtail's patterns)."""
    offenders = []
    for template in ROOT.glob("*/**/templates/**/*.html"):
        if ".venv" in template.parts or "admin" in template.parts or "wagtailadmin" in template.parts:
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{template.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_the_admin_has_its_own_policy(client, django_user_model):
    admin = django_user_model.objects.create_superuser("quan-tri", "qt@example.com", "pw-csp-12345")
    client.force_login(admin)
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:search")):
        policy = directives(client.get(url))
        assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-inline'" in policy["style-src"], url
        assert policy["frame-ancestors"] == {"'self'"}, url  # the editor's preview frames our own pages
        assert policy["object-src"] == {"'none'"}, url
    client.logout()
    policy = directives(client.get(reverse("wagtailadmin_login")))
    assert "'unsafe-inline'" in policy["script-src"]
