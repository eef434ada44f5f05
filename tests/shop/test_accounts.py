"""Buyer accounts through the real views: sign up, in and out, password reset by e-mail, order
history, saved addresses, claiming guest orders by a confirmed e-mail, and the guest cart on sign-in."""

import re
import time
import uuid
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from catalog.models import ProductVariant
from shop.accounts import claim_token
from shop.models import Cart, CartLine, Order, SavedAddress
from tests.factories import commune, make_product, province

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Lúa-chín-vàng-2025"


def make_user(email="lan@example.com", name="Nguyễn Thị Lan", password=PASSWORD):
    return User.objects.create_user(username=email.lower(), email=email.lower(), password=password, first_name=name)


def add_to_cart(client, product, quantity=1):
    variant = ProductVariant.objects.get(product=product)
    return client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": quantity})


def place_order(client, email="lan@example.com", price=100_000):
    """An order placed through the cart and checkout views, as whoever the client is."""
    add_to_cart(client, make_product(price=price))
    response = client.post(reverse("shop:checkout"), {
        "name": "Nguyễn Thị Lan", "phone": "0912 345 678", "email": email,
        "province": province("ha-noi").pk, "commune": commune("Phường Ba Đình", "ha-noi").pk,
        "street": "12 Phan Đình Phùng", "delivery_method": "tieu-chuan", "payment_method": "cod",
        "idempotency_key": str(uuid.uuid4()),
    })
    assert response.status_code == 302, response.content.decode()[:500]
    return Order.objects.order_by("-pk").first()


def link_in(message) -> str:
    """The path of the only link in a plain-text e-mail."""
    urls = re.findall(r"https?://\S+", message.body)
    assert len(urls) == 1, message.body
    return urlsplit(urls[0]).path


def page_text(response) -> str:
    return response.content.decode()


# Sign up, in and out ----------------------------------------------------------------------------

def test_sign_up_creates_an_account_by_e_mail_and_signs_in(client):
    response = client.post(reverse("shop:signup"), {
        "email": " Lan@Example.com ", "full_name": "Nguyễn Thị Lan", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302 and response["Location"] == reverse("shop:account")
    user = User.objects.get()
    assert (user.username, user.email, user.get_full_name()) == ("lan@example.com", "lan@example.com", "Nguyễn Thị Lan")
    page = client.get(reverse("shop:account"))
    assert page.status_code == 200 and page.context["user"] == user
    assert "Tài khoản của bạn đã được tạo" in page_text(page)


def test_sign_up_refuses_an_e_mail_that_already_has_an_account_in_any_case(client):
    make_user("lan@example.com")
    response = client.post(reverse("shop:signup"), {
        "email": "LAN@example.COM", "full_name": "Lan khác", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 200
    assert "Email này đã có tài khoản" in page_text(response)
    assert User.objects.count() == 1 and not response.context["user"].is_authenticated


@pytest.mark.parametrize("password1, password2, message", [
    ("abc12", "abc12", "Mật khẩu quá ngắn"),
    ("12345678901", "12345678901", "hoàn toàn là số"),
    ("password123", "password123", "quá phổ biến"),
    ("hoa@example.com", "hoa@example.com", "quá giống"),  # like the e-mail
    (PASSWORD, PASSWORD + "x", "Hai mật khẩu không giống nhau"),
])
def test_sign_up_refuses_weak_or_mismatched_passwords(client, password1, password2, message):
    response = client.post(reverse("shop:signup"), {
        "email": "hoa@example.com", "full_name": "Trần Văn Hoà", "password1": password1, "password2": password2,
    })
    assert response.status_code == 200 and message in page_text(response)
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["matkhau1", "matkhau123", " " * 10, "MậtKhẩu@2026", "0912 345 678",
                                      "+84912345678", "123456a@", "a12345678", "anhyeuem99", "OCOP-viet-2026"])
def test_sign_up_refuses_passwords_that_are_weak_in_vietnam(client, password):
    response = client.post(reverse("shop:signup"), {
        "email": "hoa@example.com", "full_name": "Trần Văn Hoà", "password1": password, "password2": password,
    })
    assert response.status_code == 200 and "Mật khẩu này quá dễ đoán" in page_text(response)
    assert not User.objects.exists()


def test_a_long_vietnamese_phrase_is_a_good_password(client):
    phrase = "vải thiều chín đỏ cây"
    response = client.post(reverse("shop:signup"), {
        "email": "hoa@example.com", "full_name": "Trần Văn Hoà", "password1": phrase, "password2": phrase,
    })
    assert response.status_code == 302 and User.objects.get().check_password(phrase)


def test_sign_in_by_e_mail_in_any_case_then_sign_out(client):
    make_user("lan@example.com")
    wrong = client.post(reverse("shop:login"), {"username": "lan@example.com", "password": "sai-mat-khau"})
    assert wrong.status_code == 200 and "Email hoặc mật khẩu không đúng" in page_text(wrong)

    response = client.post(reverse("shop:login"), {"username": " LAN@Example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("shop:account")
    page = client.get(reverse("shop:account"))
    assert page.status_code == 200 and "lan@example.com" in page_text(page)
    assert 'href="%s"' % reverse("shop:account") in page_text(page)  # the header's "Tài khoản" link

    assert client.get(reverse("shop:logout")).status_code == 405  # signing out is a POST
    response = client.post(reverse("shop:logout"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("shop:account"))["Location"].startswith(reverse("shop:login"))


def test_sign_in_returns_to_a_safe_next_address_only(client):
    make_user()
    cart = reverse("shop:cart")
    response = client.post(reverse("shop:login"), {"username": "lan@example.com", "password": PASSWORD, "next": cart})
    assert response["Location"] == cart
    client.post(reverse("shop:logout"))
    response = client.post(reverse("shop:login"), {"username": "lan@example.com", "password": PASSWORD,
                                                   "next": "https://evil.example/"})
    assert response["Location"] == reverse("shop:account")


def test_account_pages_need_sign_in_and_the_header_offers_it(client):
    response = client.get(reverse("shop:account"))
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:login") + "?next=" + reverse("shop:account")
    page = client.get(reverse("shop:cart"))
    assert 'href="%s"' % reverse("shop:login") in page_text(page) and "Đăng nhập" in page_text(page)
    assert client.post(reverse("shop:claim_orders_send")).status_code == 302
    assert not mail.outbox


# Password reset ---------------------------------------------------------------------------------

def test_password_reset_by_e_mail_sets_a_new_password_through_the_link(client):
    make_user("lan@example.com")
    response = client.post(reverse("shop:password_reset"), {"email": "Lan@Example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("shop:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@example.com"] and "Đặt lại mật khẩu" in message.subject
    assert "Chào Nguyễn Thị Lan" in message.body
    path = link_in(message)
    assert path.startswith("/tai-khoan/mat-khau/")

    form_page = client.get(path, follow=True)  # Django swaps the token for "set-password" in the address
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_password = form_page.redirect_chain[-1][0]
    weak = client.post(set_password, {"new_password1": "ab1", "new_password2": "ab1"})
    assert weak.status_code == 200 and "Mật khẩu quá ngắn" in page_text(weak)
    new_password = "Mía-ngọt-Hòa-Bình-7"
    response = client.post(set_password, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302 and response["Location"] == reverse("shop:password_reset_complete")

    assert not client.login(username="lan@example.com", password=PASSWORD)
    assert client.login(username="lan@example.com", password=new_password)
    client.logout()
    assert client.get(path, follow=True).context["validlink"] is False  # used once


def test_password_reset_for_an_unknown_e_mail_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("shop:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("shop:password_reset_done")
    assert not mail.outbox


# Order history ----------------------------------------------------------------------------------

def test_account_page_lists_only_the_buyers_own_orders_with_their_status(client):
    lan, hoa = make_user("lan@example.com"), make_user("hoa@example.com", name="Trần Thị Hoa")
    client.force_login(lan)
    first = place_order(client, price=180_000)
    second = place_order(client, price=90_000)
    client.post(reverse("shop:order_cancel", args=[second.number]))
    client.force_login(hoa)
    theirs = place_order(client, email="hoa@example.com")
    client.logout()
    guest = place_order(client, email="lan@example.com")
    assert (first.user, second.user, theirs.user, guest.user) == (lan, lan, hoa, None)

    client.force_login(lan)
    page = client.get(reverse("shop:account"))
    assert [o.number for o in page.context["orders"]] == [second.number, first.number]
    text = page_text(page)
    assert theirs.number not in text and guest.number not in text
    assert 'href="%s"' % reverse("shop:order", args=[first.number]) in text
    assert "Đã đặt (COD)" in text and "Đã huỷ" in text
    first.refresh_from_db()
    assert "%s ₫" % f"{first.total:,}".replace(",", ".") in text
    assert client.get(reverse("shop:order", args=[first.number])).status_code == 200  # no token needed
    assert client.get(reverse("shop:order", args=[theirs.number])).status_code == 404


# Saved addresses --------------------------------------------------------------------------------

def address_data(**overrides):
    data = {"name": "Nguyễn Thị Lan", "phone": "+84 912 345 678", "province": province("ha-noi").pk,
            "commune": commune("Phường Ba Đình", "ha-noi").pk, "street": "12 Phan Đình Phùng"}
    data.update(overrides)
    return data


def test_saving_an_address_checks_the_commune_belongs_to_the_province(client):
    user = make_user()
    client.force_login(user)
    form_page = client.get(reverse("shop:address_add"))
    assert form_page.status_code == 200 and form_page.context["form"].initial["name"] == "Nguyễn Thị Lan"

    outside = client.post(reverse("shop:address_add"),
                          address_data(commune=commune("Xã Thanh Hà", "hai-phong").pk))
    assert outside.status_code == 200 and "không thuộc tỉnh/thành phố đã chọn" in page_text(outside)
    assert not SavedAddress.objects.exists()

    refreshed = client.post(reverse("shop:address_add"), address_data(commune="", recalculate="1"))
    assert refreshed.status_code == 200 and "Ba Đình (Phường)" in page_text(refreshed)
    assert not refreshed.context["form"].errors and not SavedAddress.objects.exists()

    response = client.post(reverse("shop:address_add"), address_data())
    assert response.status_code == 302 and response["Location"] == reverse("shop:account")
    address = SavedAddress.objects.get()
    assert (address.user, address.phone, address.commune.name) == (user, "0912345678", "Phường Ba Đình")
    page = client.get(reverse("shop:account"))
    assert list(page.context["addresses"]) == [address] and "12 Phan Đình Phùng" in page_text(page)
    # …and checkout offers it.
    add_to_cart(client, make_product())
    assert client.get(reverse("shop:checkout")).context["form"].initial["street"] == "12 Phan Đình Phùng"


def test_deleting_an_address_is_for_its_owner_only_and_by_post(client):
    lan, hoa = make_user("lan@example.com"), make_user("hoa@example.com")
    fields = {"name": "X", "phone": "0912345678", "street": "1 Lê Lợi", "commune": commune("Phường Ba Đình", "ha-noi"),
              "province": province("ha-noi")}
    mine, theirs = SavedAddress.objects.create(user=lan, **fields), SavedAddress.objects.create(user=hoa, **fields)
    client.force_login(lan)
    assert client.post(reverse("shop:address_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("shop:address_delete", args=[mine.pk])).status_code == 405
    assert SavedAddress.objects.count() == 2
    response = client.post(reverse("shop:address_delete", args=[mine.pk]))
    assert response.status_code == 302
    assert list(SavedAddress.objects.all()) == [theirs]


# Claiming guest orders --------------------------------------------------------------------------

def request_claim_link(client) -> str:
    mail.outbox.clear()
    response = client.post(reverse("shop:claim_orders_send"), follow=True)
    assert "Chúng tôi đã gửi một liên kết tới" in page_text(response)
    assert len(mail.outbox) == 1
    return link_in(mail.outbox[0])


def test_claiming_guest_orders_after_confirming_the_e_mail(client):
    guest_orders = [place_order(client, email="LAN@example.com"), place_order(client, email="lan@example.com")]
    someone_elses = place_order(client, email="hoa@example.com")
    lan = make_user("lan@example.com")
    client.force_login(lan)
    assert not client.get(reverse("shop:account")).context["orders"]  # nothing attached before confirming

    path = request_claim_link(client)
    assert mail.outbox[0].to == ["lan@example.com"] and path.startswith("/tai-khoan/nhan-don/")
    page = client.get(path, follow=True)
    assert "Đã thêm 2 đơn hàng" in page_text(page)
    assert {o.number for o in page.context["orders"]} == {o.number for o in guest_orders}
    someone_elses.refresh_from_db()
    assert someone_elses.user is None

    again = client.get(path, follow=True)
    assert "Không còn đơn hàng nào" in page_text(again)


def test_opening_the_claim_link_signed_out_asks_to_sign_in_first(client):
    guest = place_order(client, email="lan@example.com")
    lan = make_user()
    path = reverse("shop:claim_orders", args=[claim_token(lan)])
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("shop:login"))
    page = client.post(response["Location"], {"username": "lan@example.com", "password": PASSWORD, "next": path},
                       follow=True)
    assert "Đã thêm 1 đơn hàng" in page_text(page)
    guest.refresh_from_db()
    assert guest.user == lan


def test_a_claim_link_sent_to_another_account_attaches_nothing(client):
    guest = place_order(client, email="lan@example.com")
    lan, mallory = make_user("lan@example.com"), make_user("mallory@example.com")
    client.force_login(mallory)
    page = client.get(reverse("shop:claim_orders", args=[claim_token(lan)]), follow=True)
    assert "được gửi cho một tài khoản hoặc email khác" in page_text(page)
    guest.refresh_from_db()
    assert guest.user is None

    # Nor does a link whose account has since changed its e-mail.
    token = claim_token(lan)
    User.objects.filter(pk=lan.pk).update(email="lan.moi@example.com")
    client.force_login(lan)
    page = client.get(reverse("shop:claim_orders", args=[token]), follow=True)
    assert "được gửi cho một tài khoản hoặc email khác" in page_text(page)
    guest.refresh_from_db()
    assert guest.user is None


def test_a_tampered_or_expired_claim_link_attaches_nothing(client):
    guest = place_order(client, email="lan@example.com")
    lan = make_user()
    client.force_login(lan)
    token = claim_token(lan)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    page = client.get(reverse("shop:claim_orders", args=[tampered]), follow=True)
    assert "Liên kết nhận đơn không hợp lệ" in page_text(page)
    forged = claim_token(lan).replace(token.split(":")[0], token.split(":")[0][::-1])
    assert "Liên kết nhận đơn không hợp lệ" in page_text(
        client.get(reverse("shop:claim_orders", args=[forged]), follow=True))

    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        old = claim_token(lan)
    page = client.get(reverse("shop:claim_orders", args=[old]), follow=True)
    assert "Liên kết nhận đơn đã hết hạn" in page_text(page)
    guest.refresh_from_db()
    assert guest.user is None


# The cart on sign-in ----------------------------------------------------------------------------

def test_the_guest_cart_joins_the_account_cart_when_signing_in_through_the_login_page(client):
    honey, tea = make_product(title="Mật ong", stock=10), make_product(title="Chè", stock=10)
    lan = make_user()
    account_cart = Cart.objects.create(user=lan)
    CartLine.objects.create(cart=account_cart, variant=ProductVariant.objects.get(product=honey), quantity=1,
                            price_seen=100_000)
    add_to_cart(client, honey, 2)
    add_to_cart(client, tea, 1)

    response = client.post(reverse("shop:login"), {"username": "lan@example.com", "password": PASSWORD})
    assert response.status_code == 302
    quantities = {line.variant.product.title: line.quantity for line in Cart.objects.get(user=lan).lines.all()}
    assert quantities == {"Mật ong": 3, "Chè": 1}
    assert not Cart.objects.filter(user__isnull=True).exists()
    assert client.get(reverse("shop:cart")).context["cart_count"] == 4
