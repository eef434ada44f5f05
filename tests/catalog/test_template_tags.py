"""Formatting rules the pages rely on: whole-đồng prices, seasons, safe JSON-LD."""

import json

import pytest

from catalog.templatetags.catalog_tags import json_ld_script, month_ranges, vnd


@pytest.mark.parametrize("value, shown", [
    (0, "0 ₫"), (65000, "65.000 ₫"), (1_250_000, "1.250.000 ₫"), (12_500_000_000, "12.500.000.000 ₫"),
    ("85000", "85.000 ₫"), (None, ""), ("abc", ""), (12.5, ""),
])
def test_vnd_shows_whole_dong_with_dots(value, shown):
    assert vnd(value) == shown


@pytest.mark.parametrize("months, runs", [
    ([5, 6, 7], [(5, 7)]), ([12, 1, 2], [(12, 2)]), ([3, 9, 10], [(3, 3), (9, 10)]), (list(range(1, 13)), []), ([], []),
])
def test_month_ranges_wrap_round_the_new_year(months, runs):
    assert [tuple(r) for r in month_ranges(months)] == runs


def test_json_ld_cannot_close_its_script_element():
    html = str(json_ld_script({"name": "</script><script>alert(1)</script> & co"}))
    body = html.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "</script" not in body and "<" not in body
    assert json.loads(body)["name"] == "</script><script>alert(1)</script> & co"
