"""English interface: the catalogue is complete, compiled, and used by the /en/ pages."""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from tests.factories import make_product

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s")


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.content.decode()


def read_po(path):
    """Entries of a .po file as dicts: msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return [e for e in entries if "msgid" in e]


CATALOGUE = [e for e in read_po(PO_FILE) if e["msgid"]]


def test_catalogue_has_every_entry_translated_and_nothing_fuzzy():
    assert len(CATALOGUE) > 250
    for entry in CATALOGUE:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        if "msgid_plural" in entry:
            assert entry["msgstr[0]"] and entry["msgstr[1]"], entry["msgid"]
        else:
            assert entry["msgstr"], entry["msgid"]


def test_translations_keep_every_placeholder():
    for entry in CATALOGUE:
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for key in ("msgstr", "msgstr[0]", "msgstr[1]"):
            if key in entry:
                assert sorted(PLACEHOLDER.findall(entry[key])) == expected, (entry["msgid"], entry[key])


def test_compiled_catalogue_matches_the_po_file():
    """Django serves every msgstr of the .po, so the .mo was compiled from this version."""
    with translation.override("en"):
        for entry in CATALOGUE:
            if "msgid_plural" in entry:
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
            elif "msgctxt" in entry:
                assert translation.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], entry["msgid"]
            else:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_key_terms_in_english():
    with translation.override("en"):
        assert translation.gettext("4 sao") == "4 stars"
        assert translation.gettext("Hợp tác xã") == "Cooperative"
        assert translation.gettext("tỉnh cũ (trước 7/2025)") == "former province (before 7/2025)"
        assert translation.gettext("giá (đồng)") == "price (VND)"
        assert translation.gettext("Thêm vào giỏ") == "Add to cart"
        assert translation.gettext("Sắp hết hạn (còn %(days)s ngày)") % {"days": 30} == "Expiring soon (30 days left)"
        assert translation.ngettext("%(counter)s sản phẩm", "%(counter)s sản phẩm", 1) % {"counter": 1} == "1 product"
        assert translation.ngettext("%(counter)s sản phẩm", "%(counter)s sản phẩm", 5) % {"counter": 5} == "5 products"
    with translation.override("vi"):
        assert translation.gettext("4 sao") == "4 sao"


@pytest.mark.django_db
def test_product_list_interface_in_vietnamese_and_english(client):
    make_product(title="Vải thiều Thanh Hà", stars=4)

    vietnamese = get(client, "/san-pham/")
    assert '<html lang="vi"' in vietnamese
    assert "Bỏ qua, đến nội dung chính" in vietnamese
    assert "Lọc theo hạng sao" in vietnamese
    assert "Skip to main content" not in vietnamese

    english = get(client, "/en/san-pham/")
    assert '<html lang="en"' in english
    assert "Skip to main content" in english
    assert "Filter by star rating" in english
    assert "All OCOP products" in english
    assert "1 product" in english
    assert "Bỏ qua, đến nội dung chính" not in english
    assert "Vải thiều Thanh Hà" in english  # product names stay in Vietnamese


@pytest.mark.django_db
def test_product_page_in_english(client):
    product = make_product(title="Vải thiều Thanh Hà", stars=4)
    with translation.override("vi"):  # the URL of the default language has no prefix
        path = product.url
    assert not path.startswith("/en/")

    html = get(client, "/en" + path)
    assert '<html lang="en"' in html
    assert "Star rating" in html
    assert "4 stars" in html
    assert "4-star OCOP" in html
    assert "Add to cart" in html
    assert "Hạng sao" not in html and "Thêm vào giỏ" not in html

    vietnamese = get(client, path)
    assert "Hạng sao" in vietnamese and "Thêm vào giỏ" in vietnamese
    assert "Add to cart" not in vietnamese
