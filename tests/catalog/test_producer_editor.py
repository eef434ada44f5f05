"""The producer's page editor in the Wagtail admin: a bounded number of queries whatever the catalogue,
with every commune and legacy district to choose from."""

import html
import re

import pytest

from catalog.models import Commune, LegacyDistrict
from tests.factories import make_producer, make_product

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d+)"([^>]*)>([^<]*)</option>')


def options(page, name):
    """(value, attributes, label) of the options of the form's select `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return [(int(value), attrs, html.unescape(label)) for value, attrs, label in OPTION.findall(select.group(1))]


def test_the_producer_editor_lists_every_place_in_a_bounded_number_of_queries(
        admin_client, django_assert_max_num_queries):
    producer = make_producer(title="HTX Vải thiều Thanh Hà")
    for n in range(3):
        make_product(producer=producer, title=f"Vải thiều loại {n}")

    with django_assert_max_num_queries(100):  # the 696 legacy districts once cost a query each, twice
        response = admin_client.get(f"/admin/pages/{producer.pk}/edit/")
    assert response.status_code == 200
    page = response.content.decode()

    communes = options(page, "commune")
    province_of = dict(Commune.objects.values_list("pk", "province_id"))
    assert [value for value, _attrs, _label in communes] == list(Commune.objects.values_list("pk", flat=True))
    assert all(f'data-province="{province_of[value]}"' in attrs for value, attrs, _label in communes)
    assert [label for value, attrs, label in communes if " selected" in attrs] == ["Xã Thanh Hà"]
    assert "catalog/js/commune-filter.js" in page

    districts = options(page, "legacy_district")
    assert len(districts) == LegacyDistrict.objects.count()
    assert [label for value, attrs, label in districts if " selected" in attrs] == ["Huyện Thanh Hà, Hải Dương"]
