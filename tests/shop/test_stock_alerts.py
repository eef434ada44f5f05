"""“Tell me when”: one alert per product and e-mail; when a product comes back in stock, or its
season opens, each asker gets one e-mail (through a task) and the alert is marked sent."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import inventory
from catalog.models import ProductVariant
from shop.models import StockAlert
from shop.tasks import open_seasons
from storefront.scheduler import periodic_tasks
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def ask(client, product, email="lan@example.com"):
    return client.post(reverse("shop:stock_alert", args=[product.pk]), {"email": email})


def restock(product, units, capture):
    variant = ProductVariant.objects.get(product=product)
    with capture(execute=True):  # stock_changed is sent after the commit
        inventory.set_stock({variant.pk: units})


def test_asking_twice_keeps_one_alert(client):
    product = make_product(stock=0)
    ask(client, product, "lan@example.com")
    response = ask(client, product, " Lan@Example.com ")
    assert response.status_code == 302 and response["Location"] == product.url
    alert = StockAlert.objects.get()
    assert (alert.email, alert.kind, alert.notified_at) == ("lan@example.com", StockAlert.Kind.STOCK, None)


def test_a_bad_email_is_refused_with_a_message(client):
    product = make_product(stock=0)
    response = ask(client, product, "not-an-email")
    assert not StockAlert.objects.exists()
    assert "email hợp lệ" in client.get(response["Location"]).content.decode()


def test_product_that_can_be_bought_needs_no_alert(client):
    product = make_product(stock=3)
    ask(client, product)
    assert not StockAlert.objects.exists()


def test_signed_in_buyer_gets_the_form_prefilled_and_the_alert_on_their_account(client):
    user = get_user_model().objects.create_user("mai", "mai@example.com", "pw-mai-12345")
    client.force_login(user)
    product = make_product(stock=0)
    assert 'value="mai@example.com"' in client.get(product.url).content.decode()
    client.post(reverse("shop:stock_alert", args=[product.pk]), {})
    assert StockAlert.objects.get().user == user


def test_back_in_stock_emails_each_asker_once(client, django_capture_on_commit_callbacks):
    product = make_product(title="Mật ong Đại Hợp", stock=0)
    ask(client, product, "lan@example.com")
    ask(Client(), product, "binh@example.com")

    restock(product, 5, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["binh@example.com", "lan@example.com"]
    assert "Mật ong Đại Hợp đã có hàng lại" in mail.outbox[0].subject
    assert product.url in mail.outbox[0].body
    assert not StockAlert.objects.filter(notified_at__isnull=True).exists()

    restock(product, 0, django_capture_on_commit_callbacks)  # sold out and back again: no second e-mail
    restock(product, 2, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_season_opening_emails_once(client, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    opening = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)  # the 1st of next month
    product = make_product(title="Vải thiều Thanh Hà", stock=20, sold_in_season_only=True)
    product.season_months.set([opening.month])
    product.save()
    ask(client, product)
    assert StockAlert.objects.get().kind == StockAlert.Kind.SEASON

    assert open_seasons.call(today=today.isoformat()) == 0  # still out of season
    assert open_seasons.call(today=opening.isoformat()) == 1
    assert open_seasons.call(today=opening.isoformat()) == 0  # the daily run again: nothing more
    [email] = mail.outbox
    assert email.to == ["lan@example.com"] and "Vải thiều Thanh Hà đã vào mùa" in email.subject
    assert StockAlert.objects.get().notified_at is not None


def test_season_opening_without_stock_waits_for_the_stock(client, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    product = make_product(stock=0, sold_in_season_only=True)
    product.season_months.set([today.month % 12 + 1])
    product.save()
    ask(client, product)
    opening = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert open_seasons.call(today=opening.isoformat()) == 0
    assert not mail.outbox


def test_season_openings_run_daily_on_the_scheduler():
    task = next(t for t in periodic_tasks() if t.path == "shop.tasks.open_seasons")
    assert task.period(timezone.now()) == datetime.timedelta(days=1)


def test_alert_requests_are_rate_limited_per_client_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "stock_alert": "3/h"}
    product = make_product(stock=0)
    statuses = [ask(client, product, f"khach{n}@example.com").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert StockAlert.objects.count() == 3
