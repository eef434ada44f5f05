"""Pre-orders for the next season: a fresh product out of season whose producer takes pre-orders is
ordered at today's price with no stock taken and nothing to pay; when its season opens the waiting
pre-orders take their stock oldest first and start their payment, each buyer e-mailed once; those
the season never covered are cancelled once it has passed."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from catalog import inventory
from catalog.models import ProductPage, ProductVariant
from shop import preorders
from shop.models import CartLine, Order
from shop.order_rules import OrderStatus
from shop.payments import session_expiry
from shop.tasks import open_seasons
from tests.factories import make_product
from tests.shop.test_checkout import add, checkout_data, variant_of

pytestmark = pytest.mark.django_db


def next_month() -> int:
    return timezone.localdate().month % 12 + 1


def lychee(stock=0, preorder_allowed=True, months=None, **fields):
    product = make_product(title="Vải thiều Thanh Hà", price=120_000, stock=stock, sold_in_season_only=True,
                           preorder_allowed=preorder_allowed, **fields)
    product.season_months.set(months or [next_month()])
    product.save()
    return ProductPage.objects.get(pk=product.pk)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def preorder(client, product, quantity=1, **checkout):
    add(client, product, quantity)
    response = client.post(reverse("shop:checkout"), checkout_data(**checkout))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.latest("pk")


def set_stock(product, units, capture):
    with capture(execute=True):  # stock_changed, and the task it enqueues, run after the commit
        inventory.set_stock({variant_of(product).pk: units})


def test_out_of_season_product_taking_preorders_goes_in_the_cart_with_no_stock(client):
    product = lychee(stock=0)
    response = add(client, product, 3)
    assert CartLine.objects.get().quantity == 3  # not capped by the empty shelf
    start = product.next_season_start()
    [message] = texts(response)
    assert "đặt trước" in message and f"giao từ tháng {start:%m/%Y}" in message


def test_without_the_producers_consent_out_of_season_is_still_refused(client):
    product = lychee(stock=5, preorder_allowed=False)
    add(client, product)
    assert not CartLine.objects.exists()


def test_product_page_and_card_offer_the_preorder_with_its_month(client):
    product = lychee()
    start = f"{product.next_season_start():%m/%Y}"
    page = client.get(product.url).content.decode()
    assert f"Nhận đặt trước – giao từ tháng {start}" in page
    assert reverse("shop:cart_add") in page and ">Đặt trước</button>" in page
    assert "Báo cho tôi khi vào mùa" in page  # "tell me" stays for those who would rather wait
    listing = client.get("/san-pham/").content.decode()
    assert f"Nhận đặt trước – giao từ {start}" in listing


def test_checkout_places_a_preorder_that_takes_no_stock_and_asks_no_payment(client, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"  # a card pre-order must not be sent to Stripe yet
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    product = lychee(stock=4)
    add(client, product, 2)
    checkout = client.get(reverse("shop:checkout")).content.decode()
    assert "Đơn đặt trước" in checkout and ">Đặt trước</button>" in checkout
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("shop:checkout"), checkout_data(payment_method="stripe"))
    order = Order.objects.get()
    assert response["Location"] == order.get_absolute_url()  # its page, not Stripe's
    assert (order.status, order.stock_reserved, order.pay_by) == (OrderStatus.PREORDERED, False, None)
    assert order.preorder_for == product.next_season_start() and order.total == 2 * 120_000 + order.shipping_fee
    assert ProductVariant.objects.get(product=product).stock == 4
    assert not CartLine.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Đặt trước – chờ vào mùa" in page and f"giao từ tháng {order.preorder_for:%m/%Y}" in page
    assert "Thanh toán bằng thẻ" not in page
    [email] = mail.outbox
    assert "Cảm ơn bạn đã đặt trước" in email.body and "chưa cần thanh toán" in email.body


def test_a_mixed_cart_orders_what_ships_now_and_keeps_the_preorder_for_its_own_order(client):
    honey = make_product(title="Mật ong Đại Hợp", price=180_000, stock=5)
    product = lychee()
    add(client, honey)
    add(client, product, 2)
    cart = client.get(reverse("shop:cart")).content.decode()
    assert "Đặt trước cho mùa tới" in cart
    checkout = client.get(reverse("shop:checkout")).content.decode()
    assert "1 sản phẩm đặt trước vẫn ở trong giỏ hàng" in checkout

    response = client.post(reverse("shop:checkout"), checkout_data())
    first = Order.objects.get()
    assert first.status == OrderStatus.PLACED and first.preorder_for is None
    assert [line.product_title for s in first.suborders.all() for line in s.lines.all()] == ["Mật ong Đại Hợp"]
    assert any("Hàng đặt trước vẫn ở trong giỏ hàng" in m for m in texts(response))
    assert CartLine.objects.get().variant.product_id == product.pk

    client.post(reverse("shop:checkout"), checkout_data())  # the pre-order, already in the cart
    second = Order.objects.latest("pk")
    assert second.status == OrderStatus.PREORDERED and second.pk != first.pk
    assert not CartLine.objects.exists()


def test_the_season_opening_confirms_preorders_oldest_first_as_far_as_the_stock_goes(
        client, django_capture_on_commit_callbacks):
    product = lychee()
    first = preorder(client, product, 3)
    second = preorder(client, product, 2, payment_method="vietqr", email="hoa@example.com")
    in_season = first.preorder_for + datetime.timedelta(days=1)
    assert preorders.confirm_waiting(today=in_season - datetime.timedelta(days=2)) == 0  # not yet the season
    set_stock(product, 4, django_capture_on_commit_callbacks)  # stocked before it opens: nothing taken yet
    assert Order.objects.get(pk=first.pk).status == OrderStatus.PREORDERED
    assert ProductVariant.objects.get(product=product).stock == 4
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        open_seasons.call(today=in_season.isoformat())
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.stock_reserved, first.pay_by) == (OrderStatus.PLACED, True, None)
    assert second.status == OrderStatus.PREORDERED  # 1 left on the shelf, 2 wanted: it waits
    assert ProductVariant.objects.get(product=product).stock == 1
    assert [email.to for email in mail.outbox] == [["lan@example.com"]]
    assert "Đã vào mùa" in mail.outbox[0].body

    set_stock(product, 5, django_capture_on_commit_callbacks)  # more picked: the next run confirms the other
    with django_capture_on_commit_callbacks(execute=True):
        open_seasons.call(today=in_season.isoformat())
    second.refresh_from_db()
    assert second.status == OrderStatus.AWAITING_PAYMENT
    window = second.pay_by - timezone.now()
    assert datetime.timedelta(hours=47) < window <= datetime.timedelta(hours=48)
    assert ProductVariant.objects.get(product=product).stock == 3
    assert [email.to for email in mail.outbox] == [["lan@example.com"], ["hoa@example.com"]]

    with django_capture_on_commit_callbacks(execute=True):  # the next day's run: nothing again
        open_seasons.call(today=(in_season + datetime.timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 2 and ProductVariant.objects.get(product=product).stock == 3
    events = [(e.from_status, e.to_status) for e in second.events.all()]
    assert events == [("", OrderStatus.PREORDERED), (OrderStatus.PREORDERED, OrderStatus.AWAITING_PAYMENT)]


def test_stock_arriving_in_season_confirms_waiting_preorders_through_the_task(client, django_capture_on_commit_callbacks):
    product = lychee()
    order = preorder(client, product, 2)
    product.season_months.set([timezone.localdate().month])  # the season opened (its producer says so)
    product.save()
    set_stock(product, 10, django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and ProductVariant.objects.get(product=product).stock == 8


def test_a_preorder_the_season_never_covered_is_cancelled_once_it_has_passed(client, django_capture_on_commit_callbacks):
    product = lychee()
    order = preorder(client, product)
    during = order.preorder_for + datetime.timedelta(days=3)
    after = order.preorder_for + datetime.timedelta(days=40)  # the month after the one-month season
    assert preorders.confirm_waiting(today=during) == 0  # in season, nothing on the shelf: it waits
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PREORDERED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        preorders.confirm_waiting(today=after)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.events.last().note.startswith("Mùa vụ đã qua")
    assert len(mail.outbox) == 1


def test_a_preorder_of_a_taken_down_product_waits_for_the_decision(client, django_capture_on_commit_callbacks):
    product = lychee(stock=10)
    order = preorder(client, product, 2)
    ProductPage.objects.filter(pk=product.pk).update(taken_down_at=timezone.now())  # a moderator hid it
    in_season = order.preorder_for + datetime.timedelta(days=1)
    assert preorders.confirm_waiting(today=in_season) == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PREORDERED
    ProductPage.objects.filter(pk=product.pk).update(taken_down_at=None)  # the report was dismissed
    assert preorders.confirm_waiting(today=in_season) == 1


def test_the_buyer_cancels_a_waiting_preorder_and_no_stock_moves(client):
    product = lychee(stock=6)
    order = preorder(client, product, 2)
    response = client.post(reverse("shop:order_cancel", args=[order.number]) + f"?t={order.access_token}")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert ProductVariant.objects.get(product=product).stock == 6
    assert preorders.confirm_waiting(today=order.preorder_for + datetime.timedelta(days=1)) == 0


def test_season_passed_counts_months_across_the_new_year():
    product = lychee(months=[12, 1])
    since = datetime.date(2026, 12, 1)
    assert not preorders.season_passed(product, since, datetime.date(2026, 12, 20))  # in season
    assert not preorders.season_passed(product, since, datetime.date(2026, 11, 20))  # before it
    assert preorders.season_passed(product, since, datetime.date(2027, 2, 3))
    assert not preorders.season_passed(product, datetime.date(2027, 12, 1), datetime.date(2027, 2, 3))


def test_next_season_start_is_this_year_or_the_next():
    product = lychee(months=[5, 6])
    assert product.next_season_start(datetime.date(2026, 12, 2)) == datetime.date(2027, 5, 1)
    assert product.next_season_start(datetime.date(2027, 2, 10)) == datetime.date(2027, 5, 1)
    assert product.next_season_start(datetime.date(2027, 5, 10)) == datetime.date(2027, 6, 1)


def test_a_stripe_session_ends_within_what_stripe_accepts():
    now = timezone.now()
    assert session_expiry(now + datetime.timedelta(hours=2), now) == now + datetime.timedelta(hours=2)
    assert session_expiry(now + datetime.timedelta(minutes=5), now) == now + datetime.timedelta(minutes=31)
    assert session_expiry(now + datetime.timedelta(hours=47), now) == now + datetime.timedelta(hours=23, minutes=59)
