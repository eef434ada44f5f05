"""“Dữ liệu của tôi” (Law 91/2025/QH15), through the real pages: a signed-in buyer downloads what
the shop holds about them — theirs only, never a password hash or an order's access token — and may
delete their account: orders, refunds and ledger entries stay (anonymised, detached), what was only
theirs goes, and every request is logged with its 72-hour target."""

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from catalog.models import ProducerMember
from shop.data_rights import DELETED_NAME, DELETED_PHONE
from shop.models import (
    Cart,
    DataRequest,
    LedgerEntry,
    Order,
    Refund,
    Review,
    SavedAddress,
    StockAlert,
    WishlistItem,
)
from tests.factories import commune, make_producer, make_product, province
from tests.shop.test_ledger import deliver_cash_order, place

pytestmark = pytest.mark.django_db
PASSWORD = "pw-du-lieu-123"
User = get_user_model()


def signed_in(email, name):
    user = User.objects.create_user(email, email, PASSWORD, first_name=name)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def lan():
    """Nguyễn Thị Lan, signed in, with a delivered order (so ledger entries), an address, a wishlist
    product, a stock alert, a review and a product in her cart."""
    user, client = signed_in("lan@example.com", "Nguyễn Thị Lan")
    honey = make_product(title="Mật ong Đại Hợp")
    order = deliver_cash_order(place(client, honey))
    line = order.suborders.get().lines.get()
    Review.objects.create(product=honey, order=order, order_line=line, user=user, display_name="Lan HP",
                          rating=5, text="Thơm, sánh.", bought_at=order.created_at)
    SavedAddress.objects.create(user=user, name="Nguyễn Thị Lan", phone="0912345678", street="12 Phan Đình Phùng",
                                commune=commune("Phường Ba Đình", "ha-noi"), province=province("ha-noi"))
    tea = make_product(title="Chè Cẩm Mỹ")
    WishlistItem.objects.create(user=user, product=tea)
    StockAlert.objects.create(user=user, email=user.email, product=tea)
    client.post(reverse("shop:cart_add"), {"variant": tea.variants.get().pk, "quantity": 1})
    return user, client, order


@pytest.fixture
def binh():
    """Another buyer, Trần Văn Bình, with an order of his own."""
    user, client = signed_in("binh@example.com", "Trần Văn Bình")
    order = place(client, make_product(title="Nước mắm Cát Hải"), name="Trần Văn Bình", email="binh@example.com",
                  street="5 Lạch Tray")
    return user, client, order


def download(client, fmt):
    return client.get(reverse("shop:my_data_download", args=[fmt]))


def test_the_json_export_holds_the_buyers_own_data_and_nothing_else(lan, binh):
    user, client, order = lan
    response = download(client, "json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "lan@example.com"
    assert [o["number"] for o in data["orders"]] == [order.number]
    assert data["orders"][0]["street"] == "12 Phan Đình Phùng"
    assert [line["product_title"] for line in data["order_lines"]] == ["Mật ong Đại Hợp"]
    assert {event["order"] for event in data["order_events"]} == {order.number}
    assert [a["street"] for a in data["addresses"]] == ["12 Phan Đình Phùng"]
    assert [w["product"] for w in data["wishlist"]] == ["Chè Cẩm Mỹ"]
    assert [a["product"] for a in data["stock_alerts"]] == ["Chè Cẩm Mỹ"]
    assert [r["text"] for r in data["reviews"]] == ["Thơm, sánh."]

    raw = response.content.decode("utf-8")
    other = binh[2]
    for secret in (other.number, "Bình", "binh@example.com", "Lạch Tray", "Cát Hải"):
        assert secret not in raw
    for secret in (order.access_token, user.password, "pbkdf2", "access_token", "password"):
        assert secret not in raw


def test_the_csv_download_is_a_zip_of_one_csv_per_kind_without_tokens(lan, binh):
    user, client, order = lan
    response = download(client, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"tai-khoan.csv", "don-hang.csv", "dong-don-hang.csv", "dia-chi.csv", "yeu-thich.csv",
            "danh-gia.csv", "doi-tra.csv"} <= set(archive.namelist())
    orders_csv = archive.read("don-hang.csv").decode("utf-8-sig")
    assert order.number in orders_csv and binh[2].number not in orders_csv
    everything = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    assert order.access_token not in everything and user.password not in everything


def test_each_download_is_logged_with_a_72_hour_target(lan):
    user, client, _order = lan
    download(client, "json")
    request = DataRequest.objects.get(user=user)
    assert request.kind == DataRequest.Kind.EXPORT and request.email == "lan@example.com"
    assert request.due_by - request.created_at == datetime.timedelta(hours=72)
    assert request.done_at is not None


def test_an_unknown_format_is_404(lan):
    assert download(lan[1], "xml").status_code == 404


def test_deleting_keeps_anonymised_orders_and_the_money_and_removes_what_was_only_the_buyers(lan, binh):
    user, client, order = lan
    Refund.objects.create(order=order, amount=10_000, goods=10_000, method="cod", reason="Thiếu hàng")
    ledger, refunds = LedgerEntry.objects.count(), Refund.objects.count()
    assert ledger > 0
    old_token = order.access_token
    cart = Cart.objects.get(user=user)
    assert cart.lines.exists()

    response = client.post(reverse("shop:my_data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    kept = Order.objects.get(pk=order.pk)
    assert kept.user is None and kept.name == DELETED_NAME and kept.phone == DELETED_PHONE
    assert kept.street == "" and kept.note == "" and kept.email.endswith(".invalid")
    assert kept.access_token != old_token
    kept.full_clean()  # the placeholders still satisfy the model's validators
    assert LedgerEntry.objects.count() == ledger and Refund.objects.count() == refunds
    review = Review.objects.get(order=order)
    assert review.user is None and review.display_name == "" and not review.shows_name  # pages say "Người mua"
    assert not SavedAddress.objects.exists() and not WishlistItem.objects.exists()
    assert not StockAlert.objects.filter(email="lan@example.com").exists()
    assert not Cart.objects.filter(pk=cart.pk).exists()
    logged = DataRequest.objects.get(kind=DataRequest.Kind.DELETE)
    assert logged.email == "lan@example.com" and logged.user is None and logged.done_at is not None
    assert logged.due_by == logged.created_at + datetime.timedelta(hours=72)
    # The other buyer's order is untouched, and the deleted buyer is signed out.
    assert Order.objects.get(pk=binh[2].pk).name == "Trần Văn Bình"
    assert client.get(reverse("shop:my_data")).status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"password": "sai-mat-khau", "confirm": "on"}, "Mật khẩu không đúng."),
    ({"password": PASSWORD}, "Hãy đánh dấu xác nhận để xoá tài khoản."),
])
def test_a_wrong_password_or_no_confirmation_changes_nothing(lan, data, message):
    user, client, order = lan
    response = client.post(reverse("shop:my_data"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert Order.objects.get(pk=order.pk).name == "Nguyễn Thị Lan"
    assert SavedAddress.objects.filter(user=user).exists()
    assert not DataRequest.objects.filter(kind=DataRequest.Kind.DELETE).exists()


def test_a_producer_member_cannot_delete_their_account_here(client):
    user, client = signed_in("chuthe@example.com", "Phạm Văn Hải")
    ProducerMember.objects.create(user=user, producer=make_producer())
    page = client.get(reverse("shop:my_data")).content.decode()
    assert "do quản trị viên quản lý" in page and 'name="password"' not in page
    response = client.post(reverse("shop:my_data"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "do quản trị viên quản lý" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert not DataRequest.objects.exists()


def test_the_page_lists_what_is_held_and_links_from_the_account_page(lan):
    _user, client, _order = lan
    assert reverse("shop:my_data") in client.get(reverse("shop:account")).content.decode()
    page = client.get(reverse("shop:my_data")).content.decode()
    assert "1 đơn hàng" in page and reverse("shop:my_data_download", args=["csv"]) in page


@pytest.mark.parametrize("name, args", [("shop:my_data", []), ("shop:my_data_download", ["json"])])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and reverse("shop:login") in response["Location"]


# --- Marketing consent -----------------------------------------------------------------------------

def sign_up(client, **extra):
    return client.post(reverse("shop:signup"), {"email": "hoa@example.com", "full_name": "Trần Thị Hoa",
                                                "password1": PASSWORD, "password2": PASSWORD, **extra})


def test_marketing_consent_is_a_separate_unticked_box_at_sign_up(client):
    page = client.get(reverse("shop:signup")).content.decode()
    box = page[page.index('name="marketing"') - 200:page.index('name="marketing"') + 200]
    assert 'type="checkbox"' in box and "checked" not in box
    assert "Nhận email giới thiệu sản phẩm và khuyến mãi" in page
    assert sign_up(client).status_code == 302
    assert User.objects.get().consent.marketing is False


def test_a_buyer_who_consented_withdraws_on_my_data_and_it_is_logged(client):
    assert sign_up(client, marketing="on").status_code == 302
    user = User.objects.get()
    assert user.consent.marketing is True
    assert json.loads(download(client, "json").content)["account"]["marketing_consent"] is True
    assert "Rút lại đồng ý" in client.get(reverse("shop:my_data")).content.decode()

    response = client.post(reverse("shop:my_data"), {"action": "withdraw"}, follow=True)
    assert "không nhận email giới thiệu" in response.content.decode()
    user.consent.refresh_from_db()
    assert user.consent.marketing is False
    assert DataRequest.objects.filter(user=user, kind=DataRequest.Kind.WITHDRAW_CONSENT).count() == 1
    assert User.objects.filter(pk=user.pk).exists()  # withdrawing never deletes the account
    client.post(reverse("shop:my_data"), {"action": "withdraw"})  # again: nothing more to log
    assert DataRequest.objects.filter(kind=DataRequest.Kind.WITHDRAW_CONSENT).count() == 1


def test_questions_asked_and_pages_reported_are_exported_and_deletion_leaves_them_without_the_buyer(lan, binh):
    from catalog.models import ListingReport, ProductPage, ProductQuestion

    user, client, _order = lan
    honey = ProductPage.objects.get(title="Mật ong Đại Hợp")
    ProductQuestion.objects.create(product=honey, user=user, text="Mật có kết tinh không?")
    mine = ListingReport.objects.create(producer=honey.producer, product=honey, listing_title=honey.title,
                                        reason="sai-sao", details="Ghi 5 sao, quyết định ghi 4 sao.", reporter=user,
                                        reporter_email="lan@example.com")
    theirs = ListingReport.objects.create(producer=honey.producer, product=honey, listing_title=honey.title,
                                          reason="hang-gia", details="Nhãn giống hệt hàng khác.", reporter=binh[0],
                                          reporter_email="binh@example.com")
    data = json.loads(download(client, "json").content)
    assert [q["text"] for q in data["questions"]] == ["Mật có kết tinh không?"]
    assert [r["details"] for r in data["listing_reports"]] == ["Ghi 5 sao, quyết định ghi 4 sao."]
    page = client.get(reverse("shop:my_data")).content.decode()
    assert "1 câu hỏi về sản phẩm." in page and "1 báo cáo vi phạm đã gửi." in page

    client.post(reverse("shop:my_data"), {"password": PASSWORD, "confirm": "on"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.reporter, mine.reporter_email, mine.details) == (None, "", "Ghi 5 sao, quyết định ghi 4 sao.")
    assert theirs.reporter == binh[0] and theirs.reporter_email == "binh@example.com"
    assert ProductQuestion.objects.get().user is None  # the question stays, asked by no one
