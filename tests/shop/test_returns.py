"""Returns and complaints, the buyer's side, through the real pages: a request is opened on a
delivered parcel within its return window by whoever owns the order (or holds its secret link),
with a reason, a description, a remedy, an amount within what the parcel may refund and up to three
photos that are re-encoded without their EXIF and shown to the three parties only. The buyer
accepts the producer's answer or disagrees, or withdraws an open request; one left unanswered is
escalated by the hourly task, once. Every step is logged and e-mailed to the other parties."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from catalog import roles
from catalog.models import ProducerMember, ProductGroup, ProvinceOfficer
from shop import orders, return_photos, returns, tasks
from shop.models import ReturnEvent, ReturnPhoto, ReturnRequest, ReturnWindow, SubOrder
from shop.order_rules import FulfilmentStatus, OrderStatus
from tests.conftest import require_service
from tests.factories import make_producer, make_product, province
from tests.shop.test_ledger import deliver_cash_order, place

pytestmark = pytest.mark.django_db
Status = ReturnRequest.Status
ACCOUNT = "Vietcombank 0011001234567 – Nguyễn Thị Lan"


CONFIGURED_PRIVATE = settings.STORAGES["private"]  # as base.py built it (S3 when S3_BUCKET is set)


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Photos go to a throwaway private directory (never MEDIA_ROOT)."""
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}}}
    return storages["private"]


# --- Building orders and requests ---------------------------------------------------------------------

def delivered(client, payment_method="cod", price=100_000, quantity=2, producer=None):
    """An order of one parcel, placed by `client` (a guest) and delivered; (order, its parcel)."""
    order = place(client, make_product(producer=producer or make_producer(), price=price), quantity=quantity,
                  payment_method=payment_method)
    if payment_method == "cod":
        order = deliver_cash_order(order)
    else:
        order = orders.transition(order, OrderStatus.PAID, actor_label="Casso")
        for suborder in order.suborders.all():
            orders.fulfil(suborder, FulfilmentStatus.SHIPPED, tracking_number="GHN123")
            orders.fulfil(suborder, FulfilmentStatus.DELIVERED)
    order.refresh_from_db()
    return order, order.suborders.get()


def open_url(order, suborder, token=True):
    url = reverse("shop:return_open", args=[order.number, suborder.pk])
    return f"{url}?t={order.access_token}" if token else url


def detail_url(request, token=True):
    url = reverse("shop:return_detail", args=[request.public_id])
    return f"{url}?t={request.suborder.order.access_token}" if token else url


def form(**overrides):
    data = {"reason": "hong", "description": "Hai hộp mật ong bị vỡ nắp, chảy ra ngoài.", "remedy": "hoan-tien",
            "amount": "", "refund_account": ACCOUNT}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def open_request(client, order, suborder, **overrides):
    return client.post(open_url(order, suborder), form(**overrides))


def opened(client, payment_method="cod", **kwargs):
    order, suborder = delivered(client, payment_method, **kwargs)
    response = open_request(client, order, suborder)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReturnRequest.objects.get(suborder=suborder)


def member_of(producer, django_user_model, username="htx"):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-member-123")
    ProducerMember.objects.create(user=user, producer=producer)
    return user


def photo_file(name="IMG_20260512_101500.jpg", size=(3000, 2000), fmt="JPEG", gps=True, **save):
    """A phone's photo: GPS position, maker and a 'rotate 90°' orientation in its EXIF."""
    image = Image.new("RGB", size, (200, 60, 60))
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "PhoneMaker"
        exif[ExifTags.Base.Orientation] = 6
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (21.0, 1.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (105.0, 51.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def errors_of(response) -> str:
    return response.content.decode()


# --- Opening ----------------------------------------------------------------------------------------

def test_the_buyer_opens_a_request_with_the_order_link_and_the_producer_is_emailed(
        client, django_user_model, django_capture_on_commit_callbacks):
    producer = make_producer(title="HTX Mật ong Đại Hợp")
    member_of(producer, django_user_model)
    order, suborder = delivered(client, producer=producer)
    buyer = Client()  # another browser: the e-mail's link is enough
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer.post(open_url(order, suborder), form())
    made = ReturnRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(made)
    assert made.status == Status.OPEN and made.amount == 200_000  # the parcel's goods by default
    assert made.refund_account == ACCOUNT and made.user is None
    expected = timezone.now() + datetime.timedelta(hours=48)
    assert abs((made.answer_by - expected).total_seconds()) < 60
    event = made.events.get()
    assert (event.status, event.actor_label) == (Status.OPEN, "người mua")
    assert [message.to for message in mail.outbox] == [["htx@example.com"]]  # the other party, not the buyer
    assert order.number in mail.outbox[0].subject and "/admin/doi-tra/" in mail.outbox[0].body


def test_a_signed_in_owner_needs_no_link(client, django_user_model):
    owner = django_user_model.objects.create_user("lan", "lan@example.com", "pw-lan-12345")
    client.force_login(owner)
    order, suborder = delivered(client)
    assert order.user == owner
    response = client.post(open_url(order, suborder, token=False), form())
    assert response.status_code == 302
    assert ReturnRequest.objects.get().user == owner


def test_someone_elses_order_is_a_404(client, django_user_model):
    order, suborder = delivered(client)
    stranger = Client()
    assert stranger.get(open_url(order, suborder, token=False)).status_code == 404
    assert stranger.get(open_url(order, suborder).replace(order.access_token, "x" * 32)).status_code == 404
    assert stranger.post(open_url(order, suborder, token=False), form()).status_code == 404
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("khac", "khac@example.com", "pw-khac-12345"))
    assert signed_in.get(open_url(order, suborder, token=False)).status_code == 404
    assert not ReturnRequest.objects.exists()


def test_outside_the_window_is_refused_and_nothing_is_saved(client):
    order, suborder = delivered(client)
    SubOrder.objects.filter(pk=suborder.pk).update(delivered_at=timezone.now() - datetime.timedelta(hours=169))
    response = open_request(client, order, suborder)
    assert response.status_code == 200 and "Đã quá thời hạn đổi trả" in errors_of(response)
    assert not ReturnRequest.objects.exists() and not ReturnEvent.objects.exists()


def test_a_groups_own_window_applies(client):
    ReturnWindow.objects.create(group=ProductGroup.objects.get(slug="thuc-pham"), hours=48)  # fresh food
    order, suborder = delivered(client)
    SubOrder.objects.filter(pk=suborder.pk).update(delivered_at=timezone.now() - datetime.timedelta(hours=49))
    assert "Đã quá thời hạn đổi trả" in errors_of(open_request(client, order, suborder))
    assert not ReturnRequest.objects.exists()


def test_a_parcel_not_delivered_or_cancelled_takes_no_request(client):
    order = place(client, make_product(price=100_000))
    suborder = order.suborders.get()
    assert "sau khi đã nhận hàng" in errors_of(open_request(client, order, suborder))
    orders.transition(order, OrderStatus.CANCELLED)
    assert "đã huỷ" in errors_of(open_request(client, order, suborder))
    assert not ReturnRequest.objects.exists()


def test_a_second_open_request_on_the_same_parcel_is_refused(client):
    first = opened(client)
    response = open_request(client, first.suborder.order, first.suborder, reason="thieu")
    assert response.status_code == 200 and "đã có một yêu cầu đổi trả đang được giải quyết" in errors_of(response)
    assert ReturnRequest.objects.count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"description": "  "}, "This field is required|Trường này là bắt buộc|Hãy mô tả"),
    ({"refund_account": ""}, "This field is required|Trường này là bắt buộc"),
    ({"amount": "0"}, "lớn hơn 0"),
    ({"amount": "mười nghìn"}, "Hãy nhập số đồng"),
    ({"reason": "khong-thich"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ|Lựa chọn"),
])
def test_bad_input_re_renders_with_a_message_and_saves_nothing(client, overrides, message):
    order, suborder = delivered(client)
    response = open_request(client, order, suborder, **overrides)
    assert response.status_code == 200 and re.search(message, errors_of(response)), errors_of(response)[-3000:]
    assert not ReturnRequest.objects.exists()


def test_the_amount_is_at_most_the_parcels_goods_and_fee(client):
    order, suborder = delivered(client)
    most = 200_000 + suborder.shipping_fee
    response = open_request(client, order, suborder, amount=str(most + 1))
    assert "tối đa là" in errors_of(response) and not ReturnRequest.objects.exists()
    assert open_request(client, order, suborder, amount=f"{most:,}".replace(",", ".") + " ₫").status_code == 302
    assert ReturnRequest.objects.get().amount == most  # "250.000 ₫" is 250000 đồng


def test_a_replacement_asks_no_money(client):
    order, suborder = delivered(client)
    assert open_request(client, order, suborder, remedy="doi-hang", amount="150000").status_code == 302
    assert ReturnRequest.objects.get().amount == 0


def test_opening_is_rate_limited_per_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "return_request": "2/h"}
    order, suborder = delivered(client)
    assert open_request(client, order, suborder).status_code == 302
    assert open_request(client, order, suborder).status_code == 200  # refused: one is open already
    assert open_request(client, order, suborder).status_code == 429
    assert ReturnRequest.objects.count() == 1


# --- Photos -------------------------------------------------------------------------------------------

def test_a_photo_is_re_encoded_without_its_exif_upright_at_most_1600_px_under_a_random_name(
        client, private_storage, settings):
    order, suborder = delivered(client)
    original = photo_file()
    assert Image.open(io.BytesIO(original.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it has a position
    original.seek(0)
    assert client.post(open_url(order, suborder), {**form(), "photos": [original]}).status_code == 302
    stored = ReturnPhoto.objects.get()
    name = stored.image.name
    assert name.startswith("doi-tra/") and name.endswith(".jpg") and "IMG_20260512" not in name
    with private_storage.open(name) as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (1067, 1600)  # turned upright, then shrunk
    assert not image.getexif() and "exif" not in image.info
    assert b"PhoneMaker" not in data and b"GPS" not in data
    assert not Path(settings.MEDIA_ROOT, name).exists()  # never under MEDIA_ROOT


def test_png_and_webp_are_taken_and_other_files_refused(client):
    order, suborder = delivered(client)
    gif = photo_file("a.gif", size=(40, 40), fmt="GIF", gps=False)
    page = SimpleUploadedFile("not-a-photo.jpg", b"<html><body>hello</body></html>", content_type="image/jpeg")
    for bad, message in ((gif, "không phải ảnh JPEG, PNG hay WebP"), (page, "Không đọc được ảnh")):
        response = client.post(open_url(order, suborder), {**form(), "photos": [bad]})
        assert message in errors_of(response)
    assert not ReturnRequest.objects.exists() and not ReturnPhoto.objects.exists()
    good = [photo_file("a.png", size=(40, 30), fmt="PNG", gps=False), photo_file("b.webp", size=(40, 30), fmt="WEBP")]
    assert client.post(open_url(order, suborder), {**form(), "photos": good}).status_code == 302
    assert ReturnPhoto.objects.count() == 2


def test_too_many_too_heavy_or_too_many_pixels_are_refused(client):
    order, suborder = delivered(client)
    four = [photo_file(f"{n}.jpg", size=(20, 20), gps=False) for n in range(4)]
    assert "tối đa 3 ảnh" in errors_of(client.post(open_url(order, suborder), {**form(), "photos": four}))
    heavy = SimpleUploadedFile("heavy.jpg", b"\xff" * (return_photos.MAX_BYTES + 1), content_type="image/jpeg")
    assert "lớn quá 8 MB" in errors_of(client.post(open_url(order, suborder), {**form(), "photos": [heavy]}))
    buffer = io.BytesIO()
    Image.new("1", (7000, 6000)).save(buffer, "PNG")  # 42 megapixels, a few kilobytes
    huge = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")
    assert "megapixel" in errors_of(client.post(open_url(order, suborder), {**form(), "photos": [huge]}))
    assert not ReturnRequest.objects.exists()


def test_photos_and_the_timeline_are_for_the_three_parties_only(client, django_user_model):
    producer = make_producer()
    member = member_of(producer, django_user_model)
    order, suborder = delivered(client, producer=producer)
    client.post(open_url(order, suborder), {**form(), "photos": [photo_file(size=(80, 60))]})
    made = ReturnRequest.objects.get()
    photo_url = reverse("shop:return_photo", args=[made.public_id, made.photos.get().pk])

    buyer = client.get(f"{photo_url}?t={order.access_token}")
    assert buyer.status_code == 200 and buyer["Content-Type"] == "image/jpeg"
    assert "private" in buyer["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(buyer.streaming_content))).format == "JPEG"
    page = client.get(detail_url(made))
    assert page.status_code == 200 and "Hai hộp mật ong bị vỡ nắp" in page.content.decode()

    stranger = Client()
    assert stranger.get(photo_url).status_code == 404
    assert stranger.get(f"{photo_url}?t=wrong").status_code == 404
    assert stranger.get(detail_url(made, token=False)).status_code == 404
    other = Client()
    other.force_login(member_of(make_producer(), django_user_model, "htx-khac"))
    assert other.get(photo_url).status_code == 404 and other.get(detail_url(made, token=False)).status_code == 404
    officer = django_user_model.objects.create_user("canbo", "canbo@example.com", "pw-canbo-12345")
    ProvinceOfficer.objects.create(user=officer, province=producer.province)
    as_officer = Client()
    as_officer.force_login(officer)
    assert as_officer.get(photo_url).status_code == 404  # not escalated: not the officers' yet

    own = Client()
    own.force_login(member)
    assert own.get(photo_url).status_code == 200 and own.get(detail_url(made, token=False)).status_code == 200
    national = django_user_model.objects.create_user("quocgia", "qg@example.com", "pw-qg-12345")
    national.groups.add(Group.objects.get_or_create(name=roles.NATIONAL_ADMIN_GROUP)[0])
    as_national = Client()
    as_national.force_login(national)
    assert as_national.get(photo_url).status_code == 200


@pytest.mark.services
def test_on_s3_a_photo_is_a_private_object_read_only_through_the_view(client, settings):
    from tests.site.test_storage import s3_client, s3_missing

    missing = s3_missing()
    require_service(not missing, missing)
    settings.STORAGES = {**settings.STORAGES, "private": CONFIGURED_PRIVATE}
    order, suborder = delivered(client)
    assert client.post(open_url(order, suborder), {**form(), "photos": [photo_file(size=(80, 60))]}).status_code == 302
    made = ReturnRequest.objects.get()
    stored = made.photos.get()
    options = CONFIGURED_PRIVATE["OPTIONS"]
    key = f"private/{stored.image.name}"
    grants = s3_client().get_object_acl(Bucket=options["bucket_name"], Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: no public read
    assert "Signature=" in storages["private"].url(stored.image.name)  # any link it makes is signed
    photo_url = reverse("shop:return_photo", args=[made.public_id, stored.pk])
    served = client.get(f"{photo_url}?t={order.access_token}")
    assert served.status_code == 200 and Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (60, 80)
    assert Client().get(photo_url).status_code == 404


# --- The buyer's next steps ----------------------------------------------------------------------------

def act(client, made, action, **data):
    url = reverse("shop:return_action", args=[made.public_id]) + f"?t={made.suborder.order.access_token}"
    return client.post(url, {"action": action, **data})


def test_the_buyer_withdraws_an_open_request(client):
    made = opened(client)
    assert act(Client(), made, "withdraw").status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITHDRAWN
    assert list(made.events.values_list("status", flat=True)) == [Status.OPEN, Status.WITHDRAWN]
    act(client, made, "withdraw")  # again: refused, nothing more logged
    assert made.events.count() == 2
    assert Client().post(reverse("shop:return_action", args=[made.public_id]), {"action": "withdraw"}).status_code == 404


def test_the_buyer_accepts_the_producers_answer_and_the_request_closes(client, django_user_model):
    producer = make_producer()
    member = member_of(producer, django_user_model)
    made = opened(client, producer=producer)
    returns.answer(made.pk, actor=member, note="Nắp hộp do bên vận chuyển làm vỡ; chúng tôi gửi tặng một hộp mới.")
    assert act(client, made, "withdraw").status_code == 302  # answered: no longer withdrawn
    made.refresh_from_db()
    assert made.status == Status.ANSWERED
    act(client, made, "accept")
    made.refresh_from_db()
    assert made.status == Status.REJECTED and made.refund is None


def test_the_buyer_disagreeing_sends_it_to_the_provinces_officers(
        client, django_user_model, django_capture_on_commit_callbacks):
    producer = make_producer()
    member = member_of(producer, django_user_model)
    officer = django_user_model.objects.create_user("canbo", "canbo-hp@example.com", "pw-canbo-12345")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    made = opened(client, producer=producer)
    returns.answer(made.pk, actor=member, note="Hàng đã được kiểm tra kỹ trước khi gửi.")
    with django_capture_on_commit_callbacks(execute=True):
        act(client, made, "disagree", note="Ảnh cho thấy nắp vỡ ngay khi mở hộp.")
    made.refresh_from_db()
    assert made.status == Status.ESCALATED
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "canbo-hp@example.com", "htx@example.com"]


def test_an_overdue_request_is_escalated_by_the_hourly_task_once(client, django_capture_on_commit_callbacks,
                                                                 django_user_model, settings):
    assert ("shop.tasks.escalate_overdue_returns", "10 * * * *") in settings.PERIODIC_TASKS
    officer = django_user_model.objects.create_user("canbo", "canbo-hp@example.com", "pw-canbo-12345")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    made = opened(client)
    fresh = opened(Client())  # another order, still within its 48 hours
    ReturnRequest.objects.filter(pk=made.pk).update(answer_by=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.escalate_overdue_returns.call() == 1
    assert tasks.escalate_overdue_returns.call() == 0  # once
    made.refresh_from_db()
    fresh.refresh_from_db()
    assert (made.status, fresh.status) == (Status.ESCALATED, Status.OPEN)
    escalation = made.events.get(status=Status.ESCALATED)
    assert escalation.actor is None and escalation.actor_label == "hệ thống"
    assert {address for message in mail.outbox for address in message.to} == {"canbo-hp@example.com", "lan@example.com"}


# --- The order page -----------------------------------------------------------------------------------

def test_the_order_page_offers_a_request_on_a_delivered_parcel_inside_its_window_and_lists_them(client):
    order, suborder = delivered(client)
    page = client.get(order.get_absolute_url()).content.decode()
    assert open_url(order, suborder).replace("&", "&amp;") in page and "Yêu cầu đổi trả / khiếu nại" in page
    open_request(client, order, suborder)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Chờ chủ thể trả lời" in page and "Yêu cầu đổi trả / khiếu nại" not in page  # one open already
    SubOrder.objects.filter(pk=suborder.pk).update(delivered_at=timezone.now() - datetime.timedelta(days=30))
    ReturnRequest.objects.update(status=Status.WITHDRAWN)
    assert "Yêu cầu đổi trả / khiếu nại" not in client.get(order.get_absolute_url()).content.decode()
    waiting = place(client, make_product())  # not delivered yet
    assert "Yêu cầu đổi trả / khiếu nại" not in client.get(waiting.get_absolute_url()).content.decode()
