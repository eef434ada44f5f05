"""Card payments: Checkout Sessions and refunds against stripe-mock (Stripe's own mock server),
and the webhook with payloads signed by the stripe library's signing helper.

stripe-mock runs where STRIPE_API_BASE points (CI starts it with .ci/stripe-mock.sh); without it
the tests that talk to Stripe skip, and fail when REQUIRE_SERVICES=1.
"""

import json
import time
import uuid

import pytest
import stripe
from django.urls import reverse

from catalog.models import ProductVariant
from shop.models import Order, StripeEvent
from shop.order_rules import OrderStatus
from tests.factories import make_product
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db
from tests.shop.conftest import SECRET


def card_order(client, price=200_000, quantity=1):
    product = make_product(price=price, stock=5)
    add(client, product, quantity)
    response = client.post(reverse("shop:checkout"), checkout_data(payment_method="stripe"))
    return Order.objects.get(), response, product


def send(client, event_type, obj, *, event_id=None, secret=SECRET, timestamp=None, tamper=False):
    payload = json.dumps({
        "id": event_id or f"evt_{uuid.uuid4().hex[:16]}", "object": "event", "type": event_type,
        "created": int(time.time()), "livemode": False, "data": {"object": obj},
    })
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    if tamper:
        payload = payload.replace('"paid"', '"unpaid"')
    return client.post(reverse("stripe_webhook"), payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)


def completed(order, **overrides):
    session = {"id": "cs_test_1", "object": "checkout.session", "client_reference_id": order.number,
               "metadata": {"order": order.number}, "payment_status": "paid", "amount_total": order.total,
               "currency": "vnd", "payment_intent": "pi_test_1"}
    session.update(overrides)
    return session


def test_checkout_creates_a_session_on_stripe_and_redirects_there(client, stripe_mock):
    order, response, _product = card_order(client)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert response.status_code == 302 and response["Location"].startswith("https://checkout.stripe.com/")
    assert order.stripe_session_id.startswith("cs_")


def test_the_session_charges_the_server_computed_amount_in_whole_dong(client, stripe_settings, monkeypatch):
    """stripe-mock answers with fixtures, so the request we send is checked here."""
    sent = {}

    def capture(self, params=None, options=None):
        sent.update(params)
        return type("Session", (), {"id": "cs_capture", "url": "https://checkout.stripe.com/c/pay/cs_capture"})()

    monkeypatch.setattr(stripe.checkout.SessionService, "create", capture)
    order, _response, _product = card_order(client, price=150_000, quantity=2)
    items = sent["line_items"]
    assert items[0]["price_data"] == {"currency": "vnd", "unit_amount": 150_000,
                                      "product_data": {"name": items[0]["price_data"]["product_data"]["name"]}}
    assert items[0]["quantity"] == 2
    assert sum(i["price_data"]["unit_amount"] * i["quantity"] for i in items) == order.total
    assert sent["client_reference_id"] == order.number


def test_signed_completed_event_marks_the_order_paid_once(client, stripe_mock):
    order, _response, _product = card_order(client)
    first = send(client, "checkout.session.completed", completed(order), event_id="evt_same")
    again = send(client, "checkout.session.completed", completed(order), event_id="evt_same")
    order.refresh_from_db()
    assert first.status_code == 200 and first.content == b"paid"
    assert again.status_code == 200 and again.content == b"duplicate"
    assert order.status == OrderStatus.PAID and order.stripe_payment_intent == "pi_test_1"
    assert order.events.filter(to_status=OrderStatus.PAID).count() == 1
    assert StripeEvent.objects.filter(event_id="evt_same").count() == 1


@pytest.mark.parametrize("how", ["wrong secret", "tampered body", "stale timestamp", "no signature"])
def test_forged_replayed_or_stale_webhooks_are_refused_and_change_nothing(client, stripe_mock, how):
    order, _response, _product = card_order(client)
    if how == "no signature":
        response = client.post(reverse("stripe_webhook"), json.dumps({"id": "evt_x"}), content_type="application/json")
    else:
        response = send(client, "checkout.session.completed", completed(order),
                        secret="whsec_forged" if how == "wrong secret" else SECRET,
                        timestamp=int(time.time()) - 3600 if how == "stale timestamp" else None,
                        tamper=how == "tampered body")
    order.refresh_from_db()
    assert response.status_code == 400
    assert order.status == OrderStatus.AWAITING_PAYMENT and not StripeEvent.objects.exists()


def test_expired_session_cancels_the_order_and_gives_the_stock_back(client, stripe_mock):
    order, _response, product = card_order(client)
    assert ProductVariant.objects.get(product=product).stock == 4
    send(client, "checkout.session.expired", completed(order, payment_status="unpaid"))
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and ProductVariant.objects.get(product=product).stock == 5


def test_paying_a_cancelled_order_does_not_revive_it_and_is_refunded(client, stripe_mock,
                                                                      django_capture_on_commit_callbacks):
    order, _response, product = card_order(client)
    send(client, "checkout.session.expired", completed(order, payment_status="unpaid"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = send(client, "checkout.session.completed", completed(order))
    order.refresh_from_db()
    assert response.content == b"refunding late payment" and callbacks  # the refund call ran (on stripe-mock)
    assert order.status == OrderStatus.CANCELLED and ProductVariant.objects.get(product=product).stock == 5


@pytest.mark.parametrize("wrong", [{"amount_total": 1}, {"amount_total": None}, {"currency": "usd"},
                                   {"currency": None}])
def test_only_the_order_total_in_dong_pays_the_order(client, stripe_mock, wrong):
    order, _response, _product = card_order(client)
    session = completed(order, **wrong)
    if session["currency"] is None:
        del session["currency"]
    response = send(client, "checkout.session.completed", session)
    order.refresh_from_db()
    assert response.content == b"amount mismatch" and order.status == OrderStatus.AWAITING_PAYMENT
    assert not order.stripe_payment_intent


def test_a_second_completed_session_for_a_paid_order_changes_nothing_and_writes_no_history(client, stripe_mock):
    order, _response, _product = card_order(client)
    send(client, "checkout.session.completed", completed(order), event_id="evt_first")
    history = list(order.events.values_list("to_status", "note"))
    again = send(client, "checkout.session.completed", completed(order, id="cs_test_2"), event_id="evt_second")
    order.refresh_from_db()
    assert again.content == b"already paid" and order.status == OrderStatus.PAID
    assert list(order.events.values_list("to_status", "note")) == history


def test_refund_goes_through_stripe_and_the_refunded_charge_event_closes_the_order(client, stripe_mock):
    from shop.payments import refund_stripe

    order, _response, product = card_order(client)
    send(client, "checkout.session.completed", completed(order))
    order.refresh_from_db()
    refund = refund_stripe(order)
    assert refund.id.startswith("re_") and refund.payment_intent == "pi_test_1"
    send(client, "charge.refunded", {"id": "ch_1", "object": "charge", "payment_intent": "pi_test_1",
                                     "refunded": True, "amount_refunded": order.total})
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and ProductVariant.objects.get(product=product).stock == 5


def test_webhook_refuses_when_not_configured(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert client.post(reverse("stripe_webhook"), "{}", content_type="application/json").status_code == 400
    assert client.get(reverse("stripe_webhook")).status_code == 405
