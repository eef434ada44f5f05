"""“Dữ liệu cá nhân” for buyers without an account (Law 91/2025/QH15), through the real pages and the
outbox: anyone asks by e-mail address and always reads the same answer; the address, if the shop
holds something for it, gets a link signed for 24 hours (nothing stored in clear) that opens what the
shop holds — guest orders and stock alerts, never an account's or someone else's — with JSON and CSV
downloads and deletion, which anonymises the orders as deleting an account does and keeps them and
the ledger. Each step is a logged `DataRequest` with its `done_at`; a broken or old link is a clear
400, the form asks for a new one, and the form is rate-limited."""

import datetime
import io
import json
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop import accounts, guest_data
from shop.data_rights import DELETED_NAME, DELETED_PHONE
from shop.models import DataRequest, LedgerEntry, Order, Review, StockAlert
from tests.factories import make_product
from tests.shop.test_ledger import deliver_cash_order, place

pytestmark = pytest.mark.django_db
User = get_user_model()
Kind = DataRequest.Kind
NEUTRAL = "Nếu cửa hàng có dữ liệu gắn với"


@pytest.fixture
def lan():
    """Nguyễn Thị Lan bought twice as a guest (one order delivered, so in the ledger; one typed in
    capitals) and asked to hear when a tea is back; another guest and an account holder with the
    same address have orders of their own."""
    honey, tea = make_product(title="Mật ong Đại Hợp"), make_product(title="Chè Cẩm Mỹ", stock=0)
    delivered = deliver_cash_order(place(Client(), honey))
    capitals = place(Client(), make_product(title="Nước mắm Cát Hải"), email="LAN@Example.com")
    StockAlert.objects.create(email="lan@example.com", product=tea)
    other = place(Client(), make_product(title="Gạo ruộng rươi"), name="Trần Văn Bình", email="binh@example.com",
                  street="5 Lạch Tray")
    holder = User.objects.create_user("chu@example.com", "chu@example.com", "pw-guest-123")
    account_client = Client()
    account_client.force_login(holder)
    owned = place(account_client, make_product(title="Bánh đậu xanh Rồng Vàng"), email="lan@example.com",
                  street="9 Nhà Chung")
    assert owned.user == holder and delivered.user is None
    return {"delivered": delivered, "capitals": capitals, "other": other, "owned": owned}


def ask(client, email="lan@example.com", kind=Kind.EXPORT, **extra):
    return client.post(reverse("shop:guest_data"), {"email": email, "kind": kind}, follow=True, **extra)


def link_in(message) -> str:
    urls = re.findall(r"https?://\S+/du-lieu-ca-nhan/\S+", message.body)
    assert len(urls) == 1, message.body
    return urlsplit(urls[0]).path


def requested_link(client, email="lan@example.com", kind=Kind.EXPORT) -> str:
    mail.outbox.clear()
    response = ask(client, email, kind)
    assert response.status_code == 200 and NEUTRAL in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    return link_in(mail.outbox[0])


def download(path, fmt):
    return Client().get(path + f"tai-ve.{fmt}")


# --- Asking -----------------------------------------------------------------------------------------

def test_the_form_is_public_and_asks_for_an_address_and_what_to_do(client):
    response = client.get(reverse("shop:guest_data"))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="email"' in html
    assert "Tải dữ liệu của tôi" in html and "Xoá dữ liệu của tôi" in html


def test_an_address_with_guest_data_gets_a_signed_link_and_the_request_is_logged(client, lan):
    path = requested_link(client, "Lan@Example.com".lower())
    assert path.startswith("/du-lieu-ca-nhan/")
    assert "24 giờ" in mail.outbox[0].body
    logged = DataRequest.objects.get()
    assert (logged.kind, logged.user, logged.email, logged.done_at) == (Kind.EXPORT, None, "lan@example.com", None)
    assert logged.due_by - logged.created_at == datetime.timedelta(hours=72)
    token = path.split("/")[2]
    assert guest_data.read_token(token) == logged  # signed: nothing secret is stored
    assert "lan@example.com" not in signing.b64_decode(token.split(":")[0].encode()).decode()


def test_an_unknown_address_reads_the_same_answer_and_nothing_is_sent_or_logged(client, lan):
    known = ask(client, "lan@example.com").content.decode()
    mail.outbox.clear()
    before = DataRequest.objects.count()
    unknown = ask(Client(), "khong-ai@example.com").content.decode()
    assert NEUTRAL in unknown and not mail.outbox and DataRequest.objects.count() == before
    said = [re.findall(r'<p class="alert[^"]*">(.*?)</p>', html, re.DOTALL) for html in (known, unknown)]
    assert len(said[0]) == 1 and said[0][0].replace("lan@example.com", "…") == said[1][0].replace(
        "khong-ai@example.com", "…")
    redirects = [Client().post(reverse("shop:guest_data"), {"email": email, "kind": Kind.DELETE})
                 for email in ("lan@example.com", "khong-ai@example.com")]
    assert [(r.status_code, r["Location"]) for r in redirects] == [(302, reverse("shop:guest_data"))] * 2


def test_an_address_with_only_an_account_is_told_to_sign_in_without_a_link(client, lan):
    mail.outbox.clear()
    ask(client, "chu@example.com")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert reverse("shop:my_data") in body and "/du-lieu-ca-nhan/" not in body
    assert not DataRequest.objects.exists()


def test_a_bad_address_re_renders_the_form_with_a_400(client):
    response = client.post(reverse("shop:guest_data"), {"email": "khong-phai-email", "kind": Kind.EXPORT})
    assert response.status_code == 400 and "Hãy nhập một địa chỉ email hợp lệ." in response.content.decode()
    response = client.post(reverse("shop:guest_data"), {"email": "lan@example.com", "kind": "bat-ky"})
    assert response.status_code == 400 and "Hãy chọn tải hay xoá dữ liệu." in response.content.decode()
    assert not mail.outbox


def test_asking_is_rate_limited_per_client_address_then_429(client, lan, settings):
    assert settings.RATE_LIMITS["data_request"] == "5/h"
    for n in range(5):
        assert ask(client, f"nguoi-{n}@example.com").status_code == 200
    response = client.post(reverse("shop:guest_data"), {"email": "lan@example.com", "kind": Kind.EXPORT})
    assert response.status_code == 429
    assert not mail.outbox  # none of those addresses holds anything, and the sixth was refused
    assert ask(Client(REMOTE_ADDR="10.0.0.9"), "lan@example.com").status_code == 200  # another address


def test_one_mailbox_is_not_flooded_from_many_client_addresses(lan):
    for n in range(7):
        response = ask(Client(REMOTE_ADDR=f"10.0.1.{n}"), "lan@example.com")
        assert response.status_code == 200 and NEUTRAL in response.content.decode()
    assert len(mail.outbox) == 5


# --- The link ---------------------------------------------------------------------------------------

def test_end_to_end_open_download_and_delete_keeping_the_orders_and_the_ledger(client, lan):
    path = requested_link(client)
    page = Client().get(path)
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "no-referrer"
    assert lan["delivered"].number in html and lan["capitals"].number in html and "Chè Cẩm Mỹ" in html
    assert lan["owned"].number not in html and lan["other"].number not in html

    response = download(path, "json")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert sorted(o["number"] for o in data["orders"]) == sorted([lan["delivered"].number, lan["capitals"].number])
    assert {line["product_title"] for line in data["order_lines"]} == {"Mật ong Đại Hợp", "Nước mắm Cát Hải"}
    assert [a["product"] for a in data["stock_alerts"]] == ["Chè Cẩm Mỹ"]
    assert "account" not in data and "addresses" not in data
    raw = response.content.decode()
    for secret in (lan["owned"].number, "9 Nhà Chung", lan["other"].number, "Bình", lan["delivered"].access_token,
                   "access_token"):
        assert secret not in raw
    export = DataRequest.objects.get(kind=Kind.EXPORT)
    assert export.done_at is not None  # the request the link answers, closed by the download

    response = download(path, "csv")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "tai-khoan.csv" not in archive.namelist()
    orders_csv = archive.read("don-hang.csv").decode("utf-8-sig")
    assert lan["delivered"].number in orders_csv and lan["owned"].number not in orders_csv
    assert DataRequest.objects.filter(kind=Kind.EXPORT, done_at__isnull=False).count() == 2  # each download logged

    ledger = LedgerEntry.objects.filter(order=lan["delivered"]).count()
    assert ledger > 0
    before = LedgerEntry.objects.count()
    refused = Client().post(path, {"action": "delete"})  # without the confirmation
    assert refused.status_code == 400 and "Hãy đánh dấu xác nhận để xoá." in refused.content.decode()
    assert Order.objects.get(pk=lan["delivered"].pk).name == "Nguyễn Thị Lan"
    assert not DataRequest.objects.filter(kind=Kind.DELETE).exists()

    response = Client().post(path, {"action": "delete", "confirm": "on"}, follow=True)
    assert response.status_code == 200 and "Đã xoá dữ liệu của bạn." in response.content.decode()
    assert "Không còn dữ liệu nào gắn với email này để xoá." in response.content.decode()
    for key in ("delivered", "capitals"):
        kept = Order.objects.get(pk=lan[key].pk)  # never deleted
        assert (kept.user, kept.name, kept.phone, kept.street) == (None, DELETED_NAME, DELETED_PHONE, "")
        assert kept.email.endswith("@an-danh.invalid") and kept.access_token != lan[key].access_token
        kept.full_clean()
    assert LedgerEntry.objects.count() == before
    assert LedgerEntry.objects.filter(order=lan["delivered"]).count() == ledger
    assert not StockAlert.objects.exists()
    owned, other = Order.objects.get(pk=lan["owned"].pk), Order.objects.get(pk=lan["other"].pk)
    assert owned.email == "lan@example.com" and owned.street == "9 Nhà Chung" and owned.user is not None
    assert other.name == "Trần Văn Bình"
    deleted = DataRequest.objects.get(kind=Kind.DELETE)
    assert (deleted.user, deleted.email) == (None, "lan@example.com") and deleted.done_at is not None


def test_a_deletion_request_is_closed_by_the_deletion_it_asked_for(client, lan):
    path = requested_link(client, kind=Kind.DELETE)
    asked = DataRequest.objects.get()
    assert asked.kind == Kind.DELETE and asked.done_at is None
    assert "Xoá dữ liệu" in mail.outbox[0].subject
    assert Client().post(path, {"action": "delete", "confirm": "on"}).status_code == 302
    asked.refresh_from_db()
    assert asked.done_at is not None and DataRequest.objects.count() == 1
    assert Client().post(path, {"action": "delete", "confirm": "on"}).status_code == 302  # nothing left: no new row
    assert DataRequest.objects.count() == 1


def test_deleting_takes_the_name_off_the_guests_reviews(client, lan):
    order, line = lan["delivered"], lan["delivered"].suborders.get().lines.get()
    Review.objects.create(product_id=line.variant.product_id, order=order, order_line=line, display_name="Lan",
                          shows_name=True, rating=5, text="Thơm.", bought_at=order.created_at)
    path = requested_link(client)
    assert "1 đánh giá đang hiện tên gọi của bạn" in Client().get(path).content.decode()
    Client().post(path, {"action": "delete", "confirm": "on"})
    review = Review.objects.get(order=order)
    assert (review.display_name, review.shows_name) == ("", False)


def test_a_tampered_link_is_a_clear_400_offering_a_new_one(client, lan):
    path = requested_link(client)
    token = path.split("/")[2]
    holder = User.objects.get()
    accounts_own = DataRequest.objects.create(kind=Kind.EXPORT, user=holder, email=holder.email)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "khong-phai-lien-ket",
                accounts.claim_token(holder),  # signed, but for something else
                guest_data.link_token(accounts_own.pk)):  # an account's request: not opened by a link
        url = reverse("shop:guest_data_link", args=[bad])
        for response in (Client().get(url), Client().post(url, {"action": "delete", "confirm": "on"}),
                         Client().get(url + "tai-ve.json")):
            html = response.content.decode()
            assert response.status_code == 400 and "Liên kết này không hợp lệ." in html
            assert 'name="email"' in html  # the form to ask for a new link
    assert Order.objects.get(pk=lan["delivered"].pk).name == "Nguyễn Thị Lan"


def test_a_link_is_valid_for_24_hours_then_a_clear_400(lan):
    asked = DataRequest.objects.create(kind=Kind.EXPORT, email="lan@example.com")
    now = timezone.now()
    fresh = guest_data.link_token(asked.pk, at=now - datetime.timedelta(hours=23, minutes=59))
    old = guest_data.link_token(asked.pk, at=now - datetime.timedelta(hours=24, minutes=1))
    assert Client().get(reverse("shop:guest_data_link", args=[fresh])).status_code == 200
    with pytest.raises(signing.SignatureExpired):
        guest_data.read_token(old)
    for url in (reverse("shop:guest_data_link", args=[old]), reverse("shop:guest_data_download", args=[old, "json"])):
        response = Client().get(url)
        assert response.status_code == 400 and "Liên kết này đã hết hạn" in response.content.decode()
    assert DataRequest.objects.get().done_at is None  # nothing was downloaded


def test_an_unknown_download_format_is_404(client, lan):
    assert download(requested_link(client), "xml").status_code == 404


def test_a_guests_listing_report_is_held_for_its_address_and_deletion_takes_the_address_off(client):
    from catalog.models import ListingReport

    honey = make_product(title="Mật ong Đại Hợp")
    report = ListingReport.objects.create(producer=honey.producer, product=honey, listing_title=honey.title,
                                          reason="hang-gia", details="Nhãn giống hệt hàng khác.",
                                          reporter_email="khach@example.com")
    path = requested_link(client, email="khach@example.com")  # the report alone is data the shop holds
    data = json.loads(download(path, "json").content)
    assert [r["details"] for r in data["listing_reports"]] == ["Nhãn giống hệt hàng khác."]
    Client().post(path, {"action": "delete", "confirm": "on"})
    report.refresh_from_db()
    assert report.reporter_email == "" and report.details == "Nhãn giống hệt hàng khác."  # kept, for the record
