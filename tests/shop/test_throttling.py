"""Brute force and floods on the shop: sign-in is locked per account and per client (django-axes, kept in
the database so every web process sees it), and checkout, vouchers, producer self-registration and the
e-mails we send on request are rate-limited per client and per address or account (django-ratelimit)."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from catalog.models import ProducerPage
from catalog.permissions import setup_roles
from shop.models import Cart, Order
from tests.catalog.test_onboarding import signup_data
from tests.factories import make_product
from tests.shop.test_campaigns import make_campaign
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db
User = get_user_model()

PASSWORD = "Lúa-chín-vàng-2025"
LOCKED = "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc đặt lại mật khẩu."
TOO_MANY = "Bạn đã thao tác quá nhiều lần trong một thời gian ngắn."


def make_user(email):
    return User.objects.create_user(username=email, email=email, password=PASSWORD, first_name="Lan")


def sign_in(email, password, **client_kwargs):
    """A sign-in from a browser with no cookies (a new session each time)."""
    client = Client(**client_kwargs)
    return client, client.post(reverse("shop:login"), {"username": email, "password": password})


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


# --- Sign-in ---------------------------------------------------------------------------------------

def test_repeated_wrong_passwords_lock_the_account_even_from_fresh_sessions(settings):
    make_user("lan@example.com")
    make_user("hoa@example.com")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for attempt in range(1, 31):
        # The e-mail in another case is the same account (SignInForm maps it to the username axes counts).
        email = "LAN@Example.com" if attempt % 2 else "lan@example.com"
        _client, response = sign_in(email, f"sai-mat-khau-{attempt}")
        text = response.content.decode()
        if attempt < limit:
            assert response.status_code == 200 and "Email hoặc mật khẩu không đúng" in text and LOCKED not in text
        else:
            assert response.status_code == 429 and LOCKED in text, attempt
            assert 'name="password"' in text  # the same sign-in page, with the message in its form
    client, response = sign_in("lan@example.com", PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode() and not signed_in(client)

    # Another account, from another address, signs in as usual.
    client, response = sign_in("hoa@example.com", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and signed_in(client)


def test_guessing_across_many_accounts_locks_the_client_address():
    make_user("lan@example.com")
    for n in range(5):
        sign_in(f"khach{n}@example.com", "sai-mat-khau", REMOTE_ADDR="10.9.9.9")
    client, response = sign_in("lan@example.com", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and not signed_in(client)
    client, response = sign_in("lan@example.com", PASSWORD, REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 302 and signed_in(client)


def test_a_forwarded_for_header_is_not_trusted_unless_configured(settings):
    make_user("lan@example.com")
    for n in range(5):  # an attacker making up a new address for every guess
        sign_in(f"khach{n}@example.com", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert sign_in("lan@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")[1].status_code == 429

    settings.TRUSTED_PROXY_COUNT = 1  # behind one proxy: the address it saw is the last one it appends
    for n in range(5):
        sign_in(f"ban{n}@example.com", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 198.51.100.{n}")
    client, response = sign_in("lan@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.200")
    assert response.status_code == 302 and signed_in(client)


def test_an_admin_lifts_the_lockout_from_the_report_and_the_right_password_works(django_user_model):
    make_user("lan@example.com")
    for attempt in range(6):
        sign_in("lan@example.com", f"sai-{attempt}")
    assert sign_in("lan@example.com", PASSWORD)[1].status_code == 429

    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123"))
    report = admin.get(reverse("storefront_failed_logins"))
    assert report.status_code == 200 and "lan@example.com" in report.content.decode()
    lifted = admin.post(reverse("storefront_failed_logins"), {"username": "lan@example.com"})
    assert lifted.status_code == 302

    client, response = sign_in("lan@example.com", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


# --- Rate limits -----------------------------------------------------------------------------------

def too_many(response) -> bool:
    return response.status_code == 429 and TOO_MANY in response.content.decode()


def test_checkout_is_limited_per_client_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "checkout": "10/m"}  # read on each request
    product = make_product(stock=100)
    for _ in range(10):  # ten buyers behind one address, each with a session of its own
        buyer = Client()
        add(buyer, product)
        assert buyer.post(reverse("shop:checkout"), checkout_data()).status_code == 302
    buyer = Client()
    add(buyer, product)
    response = buyer.post(reverse("shop:checkout"), checkout_data())
    assert too_many(response) and "OCOP Việt Nam" in response.content.decode()  # a page of the site
    assert Order.objects.count() == 10

    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    add(elsewhere, product)
    assert elsewhere.post(reverse("shop:checkout"), checkout_data()).status_code == 302


def test_voucher_guessing_is_limited_per_client_address():
    product = make_product(price=200_000)
    make_campaign(products=[product], value=10, code="DUNGMA")
    for n in range(10):
        guesser = Client()
        add(guesser, product)
        assert guesser.post(reverse("shop:cart_voucher"), {"code": f"DOAN{n}"}).status_code == 302
    guesser = Client()
    add(guesser, product)
    assert too_many(guesser.post(reverse("shop:cart_voucher"), {"code": "DUNGMA"}))
    assert not Cart.objects.exclude(voucher_code="").exists()
    # Taking a code off is no guess: still allowed.
    assert guesser.post(reverse("shop:cart_voucher"), {"remove": "1"}).status_code == 302


def test_producer_self_registration_is_limited_per_client_address(django_capture_on_commit_callbacks):
    setup_roles()
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(reverse("catalog:producer_signup"), signup_data(
                email=f"htx{n}@example.com", producer_title=f"HTX Gốm {n}"))
        assert response.status_code == 200 and ProducerPage.objects.filter(title=f"HTX Gốm {n}").exists()
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("catalog:producer_signup"), signup_data(
            email="htx9@example.com", producer_title="HTX Gốm 9"))
    assert too_many(response) and 'name="producer_title"' in response.content.decode()  # the form, kept
    assert not ProducerPage.objects.filter(title="HTX Gốm 9").exists()
    assert not User.objects.filter(email="htx9@example.com").exists() and len(mail.outbox) == sent


def test_password_reset_e_mails_are_limited_per_client_address():
    make_user("lan@example.com")
    for n in range(5):
        response = Client().post(reverse("shop:password_reset"), {"email": f"khach{n}@example.com"})
        assert response.status_code == 302
    response = Client().post(reverse("shop:password_reset"), {"email": "lan@example.com"})
    assert too_many(response) and not mail.outbox


def test_password_reset_e_mails_are_limited_per_address():
    make_user("lan@example.com")
    for n in range(3):
        response = Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(reverse("shop:password_reset"),
                                                              {"email": "Lan@Example.com" if n else "lan@example.com"})
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    response = Client(REMOTE_ADDR="10.0.0.9").post(reverse("shop:password_reset"), {"email": "LAN@example.com"})
    assert too_many(response) and len(mail.outbox) == 3


def test_claim_e_mails_are_limited_per_account():
    lan, hoa = Client(), Client()
    lan.force_login(make_user("lan@example.com"))
    hoa.force_login(make_user("hoa@example.com"))
    for _ in range(3):
        assert lan.post(reverse("shop:claim_orders_send")).status_code == 302
    assert len(mail.outbox) == 3
    assert too_many(lan.post(reverse("shop:claim_orders_send")))
    assert len(mail.outbox) == 3
    assert hoa.post(reverse("shop:claim_orders_send")).status_code == 302 and len(mail.outbox) == 4

