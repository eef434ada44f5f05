"""A page shared from the cache works in a real browser: visitor.js fills this visitor's cart count
and CSRF token, so adding to the cart from a cached product page works and the badge is right."""

import re

import pytest

from tests.e2e.conftest import expect
from tests.factories import make_product

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0


def test_a_cached_product_page_still_adds_to_this_visitors_cart(page, browser, live_server, page_cache_on):
    honey = make_product(title="Mật ong Đại Hợp", stock=5)
    url = live_server.url + honey.url
    other = browser.new_context(locale="vi-VN")  # someone else renders the page first
    first = other.new_page().goto(url)
    assert first.headers.get("x-page-cache") == "miss"
    other.close()
    answer = page.goto(url)
    assert answer.headers.get("x-page-cache") == "hit"
    badge = page.locator(".cart-count")
    expect(badge).to_have_text("0")  # filled in by visitor.js
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page).to_have_url(re.compile(r"/gio-hang/$|" + re.escape(honey.url)))
    expect(page.locator(".cart-count")).to_have_text("1")
    page.goto(url)
    expect(page.locator(".cart-count")).to_have_text("1")  # a shared page again, this visitor's count
