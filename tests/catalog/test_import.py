"""Bulk import of certification decisions through the real admin screens: upload, preview with
per-row errors, confirm in one transaction; bad files and rows save nothing."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Certificate, ProducerMember, ProducerPage, ProductPage, ProvinceOfficer
from search.models import SearchRecord
from tests.factories import make_certificate, make_producer, make_product, province

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "quyet-dinh-ocop-mau.csv"
HEADER = "Tên sản phẩm,Chủ thể,Xã/phường,Tỉnh/thành phố,Nhóm,Số sao,Điểm,Số quyết định,Ngày quyết định"


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.OCOP_IMPORT_DIR = tmp_path / "imports"
    return settings.OCOP_IMPORT_DIR


def user_with_admin(django_user_model, username):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw-import-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def officer_client(django_user_model, slug="hai-phong", username="canbo-hp"):
    user = user_with_admin(django_user_model, username)
    ProvinceOfficer.objects.create(user=user, province=province(slug))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(django_user_model):
    return officer_client(django_user_model)


def csv_upload(text, name="quyet-dinh.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, file):
    return client.post(reverse("catalog_data"), {"file": file})


def counts():
    return (ProducerPage.objects.count(), ProductPage.objects.count(), Certificate.objects.count())


def preview(client, file):
    """Upload, follow to the preview; returns (response, preview URL)."""
    response = upload(client, file)
    assert response.status_code == 302, response.content.decode()[:2000]
    url = response["Location"]
    return client.get(url), url


def row_errors(response) -> dict[int, list[str]]:
    return {row.number: row.errors for row in response.context["result"].rows if row.errors}


def refused_rows(client, text):
    """A file whose rows have errors: the preview shows them, there is no confirm button, and
    posting a confirmation anyway saves nothing."""
    before = counts()
    page, url = preview(client, csv_upload(text))
    assert page.status_code == 200
    assert 'value="confirm"' not in page.content.decode()
    confirm = client.post(url, {"action": "confirm"})
    assert confirm.status_code == 200 and counts() == before
    return row_errors(page)


def test_the_sample_csv_previews_then_saves_producers_products_and_certificates(
        officer, private_dir, django_capture_on_commit_callbacks):
    before = counts()
    page, url = preview(officer, SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    html = page.content.decode()
    assert page.context["result"].ok, row_errors(page)
    assert "Chủ thể mới" in html and "Sản phẩm mới (bản nháp)" in html and 'value="confirm"' in html
    assert counts() == before  # a preview saves nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = officer.post(url, {"action": "confirm"})
    assert done.status_code == 302 and done["Location"] == reverse("catalog_data")
    assert counts() == (before[0] + 2, before[1] + 3, before[2] + 4)

    farm = ProducerPage.objects.get(title="HTX Nông sản Thanh Hà")
    assert farm.live and farm.legal_form == "htx" and farm.commune.name == "Xã Thanh Hà"
    assert farm.province.slug == "hai-phong" and farm.get_parent().specific_class.__name__ == "ProducerIndexPage"
    fish = ProducerPage.objects.get(title="Công ty TNHH Nước mắm Cát Hải")
    assert fish.legal_form == "doanh_nghiep" and fish.commune.name == "Phường Hải An"

    dried = ProductPage.objects.get(title="Vải thiều Thanh Hà sấy khô")
    assert not dried.live and dried.producer_id == farm.pk and dried.has_unpublished_changes
    assert dried.group.slug == "thuc-pham"
    assert [(c.decision_number, c.stars, c.score, c.level) for c in dried.certificates.order_by("decision_date")] == [
        ("567/QĐ-UBND", 3, 65, "tinh"), ("1234/QĐ-UBND", 4, 78, "tinh")]
    latest = dried.certificates.get(decision_number="1234/QĐ-UBND")
    assert latest.expires_on == datetime.date(2028, 9, 15) and latest.issuing_body == "UBND thành phố Hải Phòng"
    sauce = Certificate.objects.get(decision_number="88/QĐ-BNNMT")
    assert (sauce.stars, sauce.level, sauce.issuing_body) == (5, "trung_uong", "Bộ Nông nghiệp và Môi trường")
    assert sauce.product.subgroup.slug == "gia-vi-nuoc-mam"
    honey = ProductPage.objects.get(title="Mật ong hoa vải")
    assert honey.producer_id == farm.pk and honey.certificates.get().level == "tinh"
    assert honey.certificates.get().issuing_body == "UBND thành phố Hải Phòng"  # the default
    # Drafts are not in the search index until the producer publishes them.
    assert not SearchRecord.objects.filter(product__in=[dried, honey]).exists()
    # The stored upload is gone and its token no longer works.
    assert officer.get(url).status_code == 404
    assert not list(private_dir.iterdir())


def test_the_same_file_as_xlsx_with_real_dates_and_a_title_line_imports_and_reimports_update(
        officer, private_dir, django_capture_on_commit_callbacks):
    existing_farm = make_producer(title="HTX Nông Sản Thanh Hà")  # already listed (case differs)
    with django_capture_on_commit_callbacks(execute=True):
        live = make_product(producer=existing_farm, title="Vải thiều Thanh Hà sấy khô", stars=None)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2025"])
    sheet.append(["TEN SAN PHAM", "chu the", "Xa / Phuong", "Tinh/Thanh pho", "Group", "Stars", "Score",
                  "Decision number", "Decision date"])
    sheet.append(["Vải thiều Thanh Hà sấy khô", "HTX Nông sản Thanh Hà", "Thanh Hà", "Hải Phòng", "Thực phẩm",
                  4, 80, "1234/QĐ-UBND", datetime.datetime(2025, 9, 15)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = buffer.getvalue()

    before = counts()
    page, url = preview(officer, SimpleUploadedFile("ds.xlsx", xlsx))
    assert page.context["result"].ok, row_errors(page)
    row = page.context["result"].rows[0]
    assert row.number == 3 and row.producer == existing_farm and row.product == live and row.certificate is None
    assert "Chủ thể có sẵn" in page.content.decode() and "Sản phẩm có sẵn" in page.content.decode()
    assert list(private_dir.iterdir())  # kept server-side between preview and confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post(url, {"action": "confirm"}).status_code == 302
    assert counts() == (before[0], before[1], before[2] + 1)
    assert not list(private_dir.iterdir())
    # The live product's new certificate reached the search index.
    assert SearchRecord.objects.get(product=live).stars == 4

    # Re-importing the corrected file updates the certificate instead of adding one.
    sheet.cell(row=3, column=7, value=85)
    buffer = io.BytesIO()
    workbook.save(buffer)
    page, url = preview(officer, SimpleUploadedFile("ds.xlsx", buffer.getvalue()))
    assert "Cập nhật chứng nhận: điểm 80 → 85" in page.content.decode()
    assert officer.post(url, {"action": "confirm"}).status_code == 302
    assert counts() == (before[0], before[1], before[2] + 1)
    assert Certificate.objects.get(product=live).score == 85


def test_a_csv_with_a_bom_and_semicolons_is_read(officer):
    text = "\ufeff" + HEADER.replace(",", ";") + "\nChè Tân Cương;HTX Chè;Xã Thanh Hà;Hải Phòng;Thực phẩm;3;55;9/QĐ-UBND;01/10/2025\n"
    page, _url = preview(officer, csv_upload(text))
    assert page.context["result"].ok, row_errors(page)


def test_wrong_columns_are_one_clear_file_error(officer):
    before = counts()
    response = upload(officer, csv_upload("Sản phẩm,Giá\nVải,100\n"))
    html = response.content.decode()
    assert response.status_code == 200 and "Thiếu cột" in html
    assert "Số quyết định" in html and "Tỉnh/thành phố" in html
    assert counts() == before


@pytest.mark.parametrize("name,content,message", [
    ("ds.txt", b"abc", "Chỉ nhận tệp .csv hoặc .xlsx."),
    ("ds.csv", "Tên sản phẩm,Chủ thể\n".encode("utf-16"), "UTF-8"),
    ("ds.csv", HEADER.encode("cp1258", errors="replace") + b"\nV\xe1i,H\xe0\n", "UTF-8"),
    ("ds.xlsx", b"PK\x03\x04 not really a workbook", "không mở được"),
    ("ds.xlsx", HEADER.encode(), "không mở được"),
    ("ds.csv", (HEADER + "\n").encode(), "không có dòng dữ liệu"),
])
def test_unreadable_files_are_refused_with_a_message(officer, name, content, message):
    response = upload(officer, SimpleUploadedFile(name, content))
    assert response.status_code == 200 and message in response.content.decode()


class Huge(SimpleUploadedFile):
    """50 MB + 1 byte as far as the size goes, without holding 50 MB in memory."""

    def chunks(self, chunk_size=None):
        raise AssertionError("a file over the limit must not be read")


def test_a_50_mb_upload_is_refused_before_it_is_read(django_user_model, rf, private_dir):
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.datastructures import MultiValueDict

    from catalog.import_views import data_view

    user = user_with_admin(django_user_model, "canbo")
    ProvinceOfficer.objects.create(user=user, province=province())
    big = Huge("ds.csv", HEADER.encode())
    big.size = 50 * 1024 * 1024 + 1
    request = rf.post(reverse("catalog_data"))
    request._files = MultiValueDict({"file": [big]})
    request.user, request.session, request._dont_enforce_csrf_checks = user, SessionStore(), True
    before = counts()
    response = data_view(request)
    assert response.status_code == 200
    assert "Tệp quá lớn (50 MB): giới hạn là 5 MB." in response.content.decode()
    assert counts() == before and not (private_dir.exists() and list(private_dir.iterdir()))


def test_a_real_oversized_upload_through_the_client_is_refused(officer, settings):
    settings.OCOP_IMPORT_MAX_BYTES = 1024
    text = HEADER + "\n" + ("Vải,HTX,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,1/QĐ,15/09/2025\n" * 40)
    response = upload(officer, csv_upload(text))
    assert re.search(r"Tệp quá lớn \(\d KB\): giới hạn là 1 KB\.", response.content.decode())


def test_too_many_rows_are_refused(officer, monkeypatch):
    from catalog import imports

    monkeypatch.setattr(imports.files, "MAX_ROWS", 2)
    line = "Vải {n},HTX,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,{n}/QĐ,15/09/2025\n"
    response = upload(officer, csv_upload(HEADER + "\n" + "".join(line.format(n=n) for n in range(3))))
    assert "quá nhiều dòng: tối đa 2 dòng" in response.content.decode()


def test_every_bad_row_is_reported_and_nothing_is_saved(officer):
    make_producer(title="HTX Có sẵn")
    rows = [
        HEADER,
        # 2: legacy district as commune
        "Vải A,HTX A,huyện Thanh Hà,Hải Phòng,Thực phẩm,4,78,1/QĐ-UBND,15/09/2025",
        # 3: legacy province
        "Vải B,HTX B,Xã Thanh Hà,tỉnh Hải Dương,Thực phẩm,4,78,2/QĐ-UBND,15/09/2025",
        # 4: unknown commune
        "Vải C,HTX C,Xã Không Có,Hải Phòng,Thực phẩm,4,78,3/QĐ-UBND,15/09/2025",
        # 5: commune of another province
        "Vải D,HTX D,Phường Ba Đình,Hải Phòng,Thực phẩm,4,78,4/QĐ-UBND,15/09/2025",
        # 6: stars outside 3–5, unknown group
        "Vải E,HTX E,Xã Thanh Hà,Hải Phòng,Đồ chơi,6,78,5/QĐ-UBND,15/09/2025",
        # 7: score not matching stars, future date
        "Vải F,HTX F,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,95,6/QĐ-UBND,15/09/2099",
        # 8, 9: the same product with the same decision number twice
        "Vải G,HTX G,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,7/QĐ-UBND,15/09/2025",
        "Vải G,HTX G,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,79,7/QĐ-UBND,15/09/2025",
        # 10: the same decision number with another date the same year
        "Vải H,HTX H,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,7/QĐ-UBND,16/09/2025",
        # 11: a bad date, missing producer, 2 stars
        "Vải I,,Xã Thanh Hà,Hải Phòng,Thực phẩm,2,40,8/QĐ-UBND,31/02/2025",
        # 12: district level after July 2025, five stars at province level
        "Vải J,HTX J,Xã Thanh Hà,Hải Phòng,Thực phẩm,5,95,9/QĐ-UBND,15/09/2025,,,Cấp tỉnh",
        # 13: a good row: still nothing is saved while others have errors
        "Vải K,HTX Có sẵn,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,10/QĐ-UBND,15/09/2025",
    ]
    text = "\n".join(rows).replace(HEADER, HEADER + ",Loại hình,Cơ quan ban hành,Cấp công nhận", 1)
    errors = {n: " | ".join(e) for n, e in refused_rows(officer, text).items()}
    assert "huyện cũ" in errors[2] and "nay thuộc Thành phố Hải Phòng" in errors[2]
    assert "tỉnh cũ" in errors[3] and "nay thuộc Thành phố Hải Phòng" in errors[3]
    assert "Không có xã/phường “Xã Không Có”" in errors[4]
    assert "Phường Ba Đình không thuộc Thành phố Hải Phòng (thuộc Thành phố Hà Nội)" in errors[5]
    assert "từ 3 đến 5 sao" in errors[6] and "Không có nhóm sản phẩm “Đồ chơi”" in errors[6]
    assert "Điểm 95 tương ứng 5 sao, không phải 4 sao" in errors[7] and "tương lai" in errors[7]
    assert 8 not in errors and "Trùng số quyết định 7/QĐ-UBND cho cùng sản phẩm với dòng 8" in errors[9]
    assert "dòng 8 có ngày 15/09/2025" in errors[10]
    assert "Thiếu “Chủ thể”" in errors[11] and "không đúng dạng" in errors[11] and "từ 3 đến 5 sao" in errors[11]
    assert "cấp trung ương" in errors[12]
    assert 13 not in errors


def test_a_known_decision_for_another_product_the_same_day_is_fine(officer):
    text = HEADER + "\n" + "\n".join([
        "Vải A,HTX A,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,1/QĐ-UBND,15/09/2025",
        "Vải B,HTX A,Xã Thanh Hà,Hải Phòng,Thực phẩm,3,60,1/QĐ-UBND,15/09/2025",
    ])
    page, _url = preview(officer, csv_upload(text))
    assert page.context["result"].ok, row_errors(page)


def test_an_officer_cannot_import_rows_of_another_province(django_user_model):
    hanoi_officer = officer_client(django_user_model, slug="ha-noi", username="canbo-hn")
    errors = refused_rows(hanoi_officer, HEADER + "\nVải,HTX,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,1/QĐ,15/09/2025\n")
    assert "ngoài phạm vi tỉnh của bạn" in errors[2][0]


def test_a_national_admin_imports_for_any_province(admin_client):
    text = HEADER + "\nBánh cốm,HTX Cốm,Phường Ba Đình,Hà Nội,Thực phẩm,4,78,1/QĐ,15/09/2025\n"
    page, url = preview(admin_client, csv_upload(text))
    assert page.context["result"].ok, row_errors(page)
    assert admin_client.post(url, {"action": "confirm"}).status_code == 302
    assert ProductPage.objects.get(title="Bánh cốm").producer.province.slug == "ha-noi"


def test_producers_and_people_without_a_role_may_not_import(django_user_model):
    member = user_with_admin(django_user_model, "htx")
    ProducerMember.objects.create(user=member, producer=make_producer())
    client = Client()
    client.force_login(member)
    before = counts()
    refused = upload(client, SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    assert refused.status_code == 403 and counts() == before
    assert client.get(reverse("catalog_import_template")).status_code == 403
    hub = client.get(reverse("catalog_data"))  # exports only
    assert hub.status_code == 200 and 'type="file"' not in hub.content.decode()

    nobody = Client()
    nobody.force_login(user_with_admin(django_user_model, "khach"))
    assert nobody.get(reverse("catalog_data")).status_code == 403
    assert nobody.get(reverse("catalog_export", args=["san-pham"])).status_code == 403


def test_confirming_another_users_upload_is_a_404(officer, django_user_model):
    _page, url = preview(officer, SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes()))
    other = officer_client(django_user_model, username="canbo-hp-2")
    before = counts()
    assert other.get(url).status_code == 404
    assert other.post(url, {"action": "confirm"}).status_code == 404
    assert other.get(reverse("catalog_import_preview", args=["..%2F..%2Fetc"])).status_code == 404
    assert counts() == before
    cancelled = officer.post(url, {"action": "cancel"})
    assert cancelled.status_code == 302 and officer.get(url).status_code == 404 and counts() == before


def test_the_preview_is_validated_again_on_confirm(officer):
    ProvinceOfficer.objects.create(user=ProvinceOfficer.objects.get().user, province=province("ha-noi"))
    text = HEADER + "\nVải,HTX Mới,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,78,1/QĐ-UBND,15/09/2025\n"
    page, url = preview(officer, csv_upload(text))
    assert page.context["result"].ok
    # Between preview and confirm the officer loses the province.
    ProvinceOfficer.objects.filter(province__slug="hai-phong").delete()
    again = officer.post(url, {"action": "confirm"})
    assert again.status_code == 200 and "ngoài phạm vi tỉnh của bạn" in again.content.decode()
    assert not ProducerPage.objects.filter(title="HTX Mới").exists()


def test_the_template_downloads_with_the_expected_header(officer):
    hub = officer.get(reverse("catalog_data")).content.decode()
    assert 'type="file"' in hub and reverse("catalog_import_template") in hub and "Thành phố Hải Phòng" in hub
    response = officer.get(reverse("catalog_import_template"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTên sản phẩm,Chủ thể,Xã/phường,Tỉnh/thành phố,Nhóm,Số sao,Điểm")
    # The template's own example row imports cleanly.
    page, _url = preview(officer, SimpleUploadedFile("mau.csv", response.content))
    assert page.context["result"].ok, row_errors(page)


def test_the_menu_item_shows_only_to_users_with_a_role(django_user_model, rf):
    from wagtail.admin.menu import admin_menu

    def menu_urls(user):
        request = rf.get("/admin/")
        request.user = user
        return {item.url for item in admin_menu.menu_items_for_request(request)}

    officer_user = user_with_admin(django_user_model, "canbo")
    ProvinceOfficer.objects.create(user=officer_user, province=province())
    member = user_with_admin(django_user_model, "htx")
    ProducerMember.objects.create(user=member, producer=make_producer())
    nobody = user_with_admin(django_user_model, "khach")
    assert reverse("catalog_data") in menu_urls(officer_user)
    assert reverse("catalog_data") in menu_urls(member)
    assert reverse("catalog_data") not in menu_urls(nobody)


def test_an_existing_certificate_is_updated_not_duplicated(officer):
    producer = make_producer(title="HTX Vải")
    product = make_product(producer=producer, title="Vải sấy", stars=None)
    make_certificate(product, stars=3, decision_number="5/QĐ-UBND", decision_date=datetime.date(2025, 9, 1), score=60)
    text = HEADER + "\nVải sấy,HTX Vải,Xã Thanh Hà,Hải Phòng,Thực phẩm,4,75,5/QĐ-UBND,01/09/2025\n"
    page, url = preview(officer, csv_upload(text))
    assert "số sao 3 → 4" in page.content.decode()
    assert officer.post(url, {"action": "confirm"}).status_code == 302
    certificate = product.certificates.get()
    assert (certificate.stars, certificate.score) == (4, 75)


@pytest.mark.parametrize("cell,expected", [
    ("15/09/2025", datetime.date(2025, 9, 15)), ("2025-09-15", datetime.date(2025, 9, 15)),
    (datetime.datetime(2025, 9, 15, 0, 0), datetime.date(2025, 9, 15)), (45915, datetime.date(2025, 9, 15)),
    ("31/02/2025", None), ("hôm qua", None),
])
def test_decision_dates_are_read_in_the_forms_spreadsheets_use(cell, expected):
    from catalog.imports import parse_date

    assert parse_date(cell) == expected


FORMULA_TITLES = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", " =HYPERLINK(\"http://evil.example\")")


def no_formula_titles():
    titles = [*ProducerPage.objects.values_list("title", flat=True),
              *ProductPage.objects.values_list("title", flat=True)]
    return not any(title.startswith(("=", "+", "-", "@", "\t", "\r", " ")) for title in titles)


def test_formula_cells_in_a_csv_are_row_errors_and_nothing_is_saved(officer):
    def line(*cells):
        return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)

    good = ["Vải A", "HTX A", "Xã Thanh Hà", "Hải Phòng", "Thực phẩm", "4", "78", "1/QĐ-UBND", "15/09/2025"]
    rows = [HEADER]
    for n, title in enumerate(FORMULA_TITLES):  # the product's name
        rows.append(line(title, *good[1:7], f"{n + 2}/QĐ-UBND", good[8]))
    rows.append(line(good[0], "+SUM(A1)", *good[2:]))  # the producer
    rows.append(line("Vải B", "HTX B", "@Thanh Hà", *good[3:6], "-5", "=1+1", good[8]))  # three cells
    rows.append(line("Vải C", "HTX C", *good[2:]))  # a good row (its decision number has a "-")
    before = counts()
    page, url = preview(officer, csv_upload("\r\n".join(rows) + "\r\n"))
    assert page.status_code == 200 and 'value="confirm"' not in page.content.decode()
    errors = {row.values["product"]: row.errors for row in page.context["result"].rows}
    for title, start in zip(FORMULA_TITLES, ("“=”", "“+”", "“-”", "“@”", "dấu tab", "ký tự CR", "“=”")):
        assert f"Ô “Tên sản phẩm” bắt đầu bằng {start}" in " | ".join(errors[title]), (title, errors[title])
    assert errors["=1+1"][0] == "Ô “Tên sản phẩm” bắt đầu bằng “=”: không nhận công thức hay ký tự điều khiển ở đầu ô."
    assert "bắt đầu bằng “=”: không nhận công thức" in page.content.decode()  # shown in the preview
    assert "Ô “Chủ thể” bắt đầu bằng “+”" in errors["Vải A"][0]
    assert [e.split(":")[0] for e in errors["Vải B"][:3]] == [
        "Ô “Xã/phường” bắt đầu bằng “@”", "Ô “Điểm” bắt đầu bằng “-”", "Ô “Số quyết định” bắt đầu bằng “=”"]
    assert errors["Vải C"] == []
    assert officer.post(url, {"action": "confirm"}).status_code == 200 and counts() == before
    assert no_formula_titles()


def test_formula_cells_in_an_xlsx_are_row_errors_and_nothing_is_saved(officer):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    good = ["Vải A", "HTX A", "Xã Thanh Hà", "Hải Phòng", "Thực phẩm", 4, 78, "1/QĐ-UBND", "15/09/2025"]
    sheet.append(["+SUM(A1)", "@cmd", *good[2:]])  # 2: text cells (openpyxl keeps them as text)
    sheet.append(["x", "HTX B", *good[2:7], "2/QĐ-UBND", good[8]])  # 3: "=1+1" as text, set below
    sheet.cell(row=3, column=1).value = "=1+1"
    sheet.cell(row=3, column=1).data_type = "s"  # a text cell, not a formula
    sheet.append(["=A2", "HTX C", *good[2:7], "3/QĐ-UBND", good[8]])  # 4: a real formula, no cached value
    sheet.append(["Vải D", "HTX D", *good[2:5], 4, -5, "4/QĐ-UBND", good[8]])  # 5: a negative number
    sheet.append(["Vải E", "HTX E", *good[2:7], "5/QĐ-UBND", good[8]])  # 6: good
    buffer = io.BytesIO()
    workbook.save(buffer)

    before = counts()
    page, url = preview(officer, SimpleUploadedFile("ds.xlsx", buffer.getvalue()))
    assert 'value="confirm"' not in page.content.decode()
    errors = {n: " | ".join(e) for n, e in row_errors(page).items()}
    assert "Ô “Tên sản phẩm” bắt đầu bằng “+”" in errors[2] and "Ô “Chủ thể” bắt đầu bằng “@”" in errors[2]
    assert "Ô “Tên sản phẩm” bắt đầu bằng “=”" in errors[3]
    assert "Thiếu “Tên sản phẩm”" in errors[4]  # the formula's cached value (none): never the formula itself
    assert "Điểm “-5” phải là số nguyên từ 0 đến 100" in errors[5]  # a number, refused as a number
    assert 6 not in errors
    assert "bắt đầu bằng" in page.content.decode()  # shown in the preview
    assert officer.post(url, {"action": "confirm"}).status_code == 200 and counts() == before
    assert no_formula_titles()
