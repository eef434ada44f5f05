"""The stock screen: members set their own producers' stock, whole submissions or nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from catalog.models import ProducerMember, ProductVariant
from search.models import SearchRecord
from tests.factories import make_producer, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, django_user_model):
    user = django_user_model.objects.create_user("htx", "htx@example.com", "pw-htx-12345")
    editors = Group.objects.create(name="Chủ thể thử")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(editors)
    producer = make_producer(title="HTX Mật ong")
    ProducerMember.objects.create(user=user, producer=producer)
    client.login(username="htx", password="pw-htx-12345")
    return producer


def variant(product):
    return ProductVariant.objects.get(product=product)


def test_a_member_sets_the_stock_of_its_own_packs_and_search_follows(client, member,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        honey = make_product(producer=member, title="Mật ong bạc hà", stock=0)
    other = make_product(title="Chè của HTX khác")
    page = client.get(reverse("catalog_stock"))
    assert [row[0].pk for row in page.context["rows"]] == [variant(honey).pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog_stock"), {f"stock-{variant(honey).pk}": "25"})
    assert response.status_code == 302 and variant(honey).stock == 25
    assert SearchRecord.objects.get(product=honey).in_stock
    refused = client.post(reverse("catalog_stock"), {f"stock-{variant(other).pk}": "1"})
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")  # Wagtail's "no permission"
    assert variant(other).stock == 10


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "2000000"])
def test_bad_values_save_nothing(client, member, value):
    first = make_product(producer=member, stock=3)
    second = make_product(producer=member, stock=4)
    response = client.post(reverse("catalog_stock"), {f"stock-{variant(first).pk}": "9",
                                                      f"stock-{variant(second).pk}": value})
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
    assert (variant(first).stock, variant(second).stock) == (3, 4)


def test_people_without_a_producer_cannot_open_it(client, django_user_model):
    user = django_user_model.objects.create_user("khach", "k@example.com", "pw-khach-12345")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.login(username="khach", password="pw-khach-12345")
    refused = client.get(reverse("catalog_stock"))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")  # Wagtail's "no permission"
