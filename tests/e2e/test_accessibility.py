"""Accessibility in Chromium: axe-core (npm, installed by .ci/run into .ci/node) on the home page,
the listing, a product, the cart, the checkout and search results, at phone (390 px) and desktop
(1366 px) widths: no "serious" or "critical" violation.

axe is loaded by an init script (Playwright injects those through the DevTools protocol, outside
the page's Content-Security-Policy), so the pages keep their enforcing policy during the check.
Without axe-core the test skips, and fails when REQUIRE_SERVICES=1."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import require_service
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_phone_layout import build_shop, fill_cart

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[2] / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
  }));
}"""


@pytest.fixture
def audited(browser, _seed_snapshot, live_server):
    require_service(AXE.exists(), f"{AXE} is missing (npm install --prefix .ci/node axe-core, see .ci/run)")
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    yield page
    context.close()


def test_no_serious_or_critical_violations(audited, live_server):
    product, urls = build_shop()
    base = live_server.url
    fill_cart(audited, base, product)
    pages = {"home": "/", "listing": urls["listing"], "product": urls["product"], "cart": reverse("shop:cart"),
             "checkout": reverse("shop:checkout"), "search": urls["search"]}
    found = []
    for width, height in ((390, 844), (1366, 900)):
        audited.set_viewport_size({"width": width, "height": height})
        for name, url in pages.items():
            audited.goto(base + url)
            audited.wait_for_load_state("load")
            assert audited.evaluate("typeof axe") == "object", "axe-core was not injected"
            found += [f"{name} at {width}px: {v['id']} ({v['impact']}): {v['help']} — {v['targets']}"
                      for v in audited.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
    assert found == []
