"""CSV exports of products, certificates and orders: Excel-readable, Vietnamese headers, and each
role sees only its own scope (an officer's file has no other province's rows)."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from catalog.models import ProducerMember, ProvinceOfficer
from tests.factories import make_producer, make_product, province
from tests.shop.test_admin import place

pytestmark = pytest.mark.django_db


def signed_in(django_user_model, username, province_slug=None, producer=None):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-export-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if province_slug:
        ProvinceOfficer.objects.create(user=user, province=province(province_slug))
    if producer:
        ProducerMember.objects.create(user=user, producer=producer)
    client = Client()
    client.force_login(user)
    return client


def download(client, kind):
    response = client.get(reverse("catalog_export", args=[kind]))
    assert response.status_code == 200, response.status_code
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def two_provinces():
    hai_phong = make_producer(title="HTX Vải Thanh Hà")
    ha_noi = make_producer(title="HTX Cốm Vòng", province_slug="ha-noi", commune_name="Phường Ba Đình",
                           legacy_province_slug=None, legacy_district=None)
    litchi = make_product(producer=hai_phong, title="Vải thiều sấy", price=150_000, stock=7, stars=4)
    com = make_product(producer=ha_noi, title="Cốm làng Vòng", price=90_000, stock=2, stars=3)
    order = place([(litchi, 1), (com, 2)])
    return {"hai_phong": hai_phong, "ha_noi": ha_noi, "litchi": litchi, "com": com, "order": order}


def test_a_national_admin_exports_everything(admin_client, two_provinces):
    products = download(admin_client, "san-pham")
    assert products[0] == ["Tên sản phẩm", "Chủ thể", "Tỉnh/thành phố", "Nhóm", "Số sao", "Trạng thái chứng nhận",
                           "Giá thấp nhất (đồng)", "Tồn kho", "Đang bán", "Đường dẫn"]
    by_title = {row[0]: row for row in products[1:]}
    litchi = by_title["Vải thiều sấy"]
    assert litchi[1:6] == ["HTX Vải Thanh Hà", "Thành phố Hải Phòng", "Thực phẩm", "4", "Còn hiệu lực"]
    assert litchi[6:9] == ["150000", "6", "Có"]  # one unit sold
    assert litchi[9].startswith("http") and litchi[9].endswith("/")
    assert "Cốm làng Vòng" in by_title

    certificates = download(admin_client, "chung-nhan")
    assert certificates[0][:6] == ["Sản phẩm", "Chủ thể", "Tỉnh/thành phố", "Số sao", "Điểm", "Số quyết định"]
    assert {row[0] for row in certificates[1:]} == {"Vải thiều sấy", "Cốm làng Vòng"}
    row = next(row for row in certificates[1:] if row[0] == "Vải thiều sấy")
    assert row[6] == "01/09/2025" and row[8] == "Cấp tỉnh" and row[9] == "01/09/2028" and row[10] == "Còn hiệu lực"

    orders = download(admin_client, "don-hang")
    assert orders[0][:3] == ["Mã đơn", "Ngày đặt", "Trạng thái đơn"]
    order = two_provinces["order"]
    assert [row[0] for row in orders[1:]] == [order.number, order.number]  # one row per producer
    assert {row[7] for row in orders[1:]} == {"HTX Vải Thanh Hà", "HTX Cốm Vòng"}
    litchi_row = next(row for row in orders[1:] if row[7] == "HTX Vải Thanh Hà")
    assert litchi_row[8] == "150000" and litchi_row[9] == "0" and litchi_row[12] == "Thanh toán khi nhận hàng (COD)"
    assert int(litchi_row[11]) == int(litchi_row[8]) - int(litchi_row[9]) + int(litchi_row[10])
    assert sum(int(row[8]) for row in orders[1:]) == order.subtotal


def test_an_officer_exports_only_its_provinces_rows(django_user_model, two_provinces):
    officer = signed_in(django_user_model, "canbo-hp", province_slug="hai-phong")
    for kind in ("san-pham", "chung-nhan"):
        rows = download(officer, kind)[1:]
        assert [(row[0], row[2]) for row in rows] == [("Vải thiều sấy", "Thành phố Hải Phòng")], kind
    orders = download(officer, "don-hang")[1:]
    assert [row[7] for row in orders] == ["HTX Vải Thanh Hà"]
    assert int(orders[0][8]) == 150_000  # its producer's part, not the whole order


def test_a_producer_exports_its_own_rows_and_others_are_refused(django_user_model, two_provinces):
    member = signed_in(django_user_model, "htx-com", producer=two_provinces["ha_noi"])
    assert [row[0] for row in download(member, "san-pham")[1:]] == ["Cốm làng Vòng"]
    assert [row[0] for row in download(member, "chung-nhan")[1:]] == ["Cốm làng Vòng"]
    assert [row[7] for row in download(member, "don-hang")[1:]] == ["HTX Cốm Vòng"]

    nobody = signed_in(django_user_model, "khach")
    for kind in ("san-pham", "chung-nhan", "don-hang"):
        assert nobody.get(reverse("catalog_export", args=[kind])).status_code == 403
    assert nobody.get(reverse("catalog_export", args=["khong-co"])).status_code == 404


def test_drafts_are_exported_as_not_on_sale_without_a_url(admin_client):
    product = make_product(title="Bản nháp", stars=None)
    product.unpublish()
    rows = {row[0]: row for row in download(admin_client, "san-pham")[1:]}
    assert rows["Bản nháp"][5] == "Chưa có chứng nhận"
    assert rows["Bản nháp"][8] == "Không (bản nháp)" and rows["Bản nháp"][9] == ""


FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]


def test_formula_titles_go_out_as_text_and_numbers_as_numbers(admin_client):
    """OWASP's CSV injection rule: a text cell starting with = + - @ tab or CR is prefixed with a quote."""
    for title in FORMULAS:
        make_product(producer=make_producer(title=title), title=title, price=150_000, stock=7, stars=4)
    make_product(producer=make_producer(title="HTX Bình thường"), title="Vải thiều", price=90_000, stock=2, stars=3)

    products = download(admin_client, "san-pham")
    by_title = {row[0]: row for row in products[1:]}
    assert set(by_title) == {"'" + title for title in FORMULAS} | {"Vải thiều"}
    for title in FORMULAS:
        row = by_title["'" + title]
        assert row[1] == "'" + title and row[4] == "4" and row[6:8] == ["150000", "7"]
    assert by_title["Vải thiều"][1] == "HTX Bình thường" and by_title["Vải thiều"][6:8] == ["90000", "2"]

    certificates = download(admin_client, "chung-nhan")
    by_title = {row[0]: row for row in certificates[1:]}
    assert set(by_title) == {"'" + title for title in FORMULAS} | {"Vải thiều"}
    for title in FORMULAS:
        assert by_title["'" + title][1] == "'" + title and by_title["'" + title][3] == "4"
    assert by_title["Vải thiều"][1] == "HTX Bình thường" and by_title["Vải thiều"][3] == "3"
    for row in products + certificates:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row


def test_the_one_writer_quotes_text_cells_only():
    from catalog.exports import csv_lines

    raw = b"".join(csv_lines(["=Tiêu đề", "Số"], [["-5", -5, 0, None, "a-b", "123/QĐ-UBND"]])).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(raw))) == [["'=Tiêu đề", "Số"], ["'-5", "-5", "0", "", "a-b", "123/QĐ-UBND"]]
