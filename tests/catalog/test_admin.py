"""Editors get Vietnamese errors in the Wagtail admin, and nothing is half-saved."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from catalog.models import Certificate, ProductGroup, ProductPage, ProductVariant
from catalog.models.certificates import add_months
from django.utils import timezone
from tests.factories import make_certificate, make_producer, make_product

pytestmark = pytest.mark.django_db


PUBLISH = {"action-publish": "action-publish"}


def product_form(**overrides):
    data = {
        "title": "Vải thiều Thanh Hà loại 1",
        "slug": "vai-thieu-loai-1",
        "group": ProductGroup.objects.get(slug="thuc-pham").pk,
        "description": rich_text("<p>Vải thiều chín cây.</p>"),
        "gtin": "",
        "images": inline_formset([]),
        "variants": inline_formset([
            {"sku": "VT-1KG", "name": "Hộp 1 kg", "weight_grams": "1000", "price": "85000", "stock": "20", "gtin": ""},
        ]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_product_url(producer):
    return reverse("wagtailadmin_pages:add", args=["catalog", "productpage", producer.pk])


def test_admin_creates_a_product_with_its_variants(admin_client):
    producer = make_producer()
    response = admin_client.post(add_product_url(producer), product_form(**PUBLISH))
    assert response.status_code == 302, response.content.decode()[:2000]
    product = ProductPage.objects.get(slug="vai-thieu-loai-1")
    assert product.live and product.producer_id == producer.pk
    assert list(product.variants.values_list("sku", "price")) == [("VT-1KG", 85000)]


@pytest.mark.parametrize("overrides, message", [
    ({"gtin": "8934563138166"}, "sai số kiểm tra"),
    ({"variants": inline_formset([{"sku": "VT-NEG", "name": "Hộp", "weight_grams": "1000", "price": "-5", "stock": "1", "gtin": ""}])},
     "Đảm bảo giá trị này lớn hơn hoặc bằng với 0"),
])
def test_bad_product_input_rerenders_with_a_vietnamese_message_and_saves_nothing(admin_client, overrides, message):
    producer = make_producer()
    response = admin_client.post(add_product_url(producer), product_form(**PUBLISH, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProductPage.objects.filter(slug="vai-thieu-loai-1").exists()
    assert not ProductVariant.objects.filter(sku__startswith="VT-").exists()


def certificate_form(product, **overrides):
    data = {
        "product": product.pk, "stars": "4", "score": "75", "decision_number": "123/QĐ-UBND",
        "decision_date": "2025-09-01", "issuing_body": "UBND thành phố Hải Phòng", "level": "tinh",
        "expires_on": "", "revoked_on": "", "revocation_reason": "", "scan": "",
    }
    data.update(overrides)
    return data


def test_admin_records_a_certificate_with_computed_expiry(admin_client):
    product = make_product(stars=None)
    response = admin_client.post(reverse("wagtailsnippets_catalog_certificate:add"), certificate_form(product))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Certificate.objects.get(product=product).expires_on == datetime.date(2028, 9, 1)


@pytest.mark.parametrize("overrides, message", [
    ({"stars": "6"}, "Hãy chọn một lựa chọn hợp lệ"),
    ({"stars": "5", "score": "95", "level": "tinh"}, "Sản phẩm 5 sao do cấp trung ương công nhận."),
    ({"expires_on": "2024-01-01"}, "Ngày hết hạn phải sau ngày quyết định."),
    ({"score": "40"}, "Điểm 40 tương ứng 2 sao"),
])
def test_bad_certificates_are_refused_in_the_admin(admin_client, overrides, message):
    product = make_product(stars=None)
    response = admin_client.post(reverse("wagtailsnippets_catalog_certificate:add"), certificate_form(product, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Certificate.objects.filter(product=product).exists()


def test_expiring_certificates_are_flagged_on_the_admin_dashboard_and_list(admin_client):
    product = make_product(stars=None, title="Mật ong sắp hết hạn")
    make_certificate(product, stars=3, decision_date=add_months(timezone.localdate(), -36) + datetime.timedelta(days=20),
                     level="tinh")
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Chứng nhận OCOP theo tỉnh" in dashboard and "Mật ong sắp hết hạn" in dashboard
    listing = admin_client.get(reverse("wagtailsnippets_catalog_certificate:list")).content.decode()
    assert "Sắp hết hạn (còn" in listing


def image_bytes(fmt="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def upload(client, name, content, content_type):
    return client.post(reverse("wagtailimages:add"), {
        "title": "Ảnh thử", "file": SimpleUploadedFile(name, content, content_type=content_type),
    })


def test_a_real_image_uploads(admin_client):
    response = upload(admin_client, "vai.png", image_bytes(), "image/png")
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="Ảnh thử").exists()


def test_a_non_image_upload_is_refused_in_vietnamese(admin_client):
    response = upload(admin_client, "virus.exe", b"MZ not an image", "application/octet-stream")
    assert "Tệp vừa tải lên không phải ảnh hoặc đã bị hỏng" in response.content.decode()
    response = upload(admin_client, "fake.png", b"plain text pretending", "image/png")
    assert "Tệp vừa tải lên không phải ảnh hoặc đã bị hỏng" in response.content.decode()
    response = upload(admin_client, "scan.bmp", image_bytes("BMP"), "image/bmp")
    assert "Tệp không phải định dạng ảnh được nhận. Chỉ nhận: JPG, JPEG, PNG, WEBP." in response.content.decode()
    response = upload(admin_client, "renamed.jpg", image_bytes("PNG"), "image/jpeg")
    assert "đuôi tệp không khớp với định dạng thật (png)" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_web_page_renamed_jpg_is_not_an_image_not_an_svg(admin_client):
    response = upload(admin_client, "trang.jpg", b"<!DOCTYPE html><html><body><svg onload=alert(1)></svg></body></html>",
                      "image/jpeg")
    html = response.content.decode()
    assert "Tệp vừa tải lên không phải ảnh hoặc đã bị hỏng" in html and "(svg)" not in html
    assert not get_image_model().objects.exists()


def test_a_pixel_bomb_is_refused_in_vietnamese_without_english_words(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10_000
    bomb = image_bytes(size=(16_000, 16_000))  # past Pillow's own decompression guard once lowered below
    from PIL import Image as PILImage

    limit, PILImage.MAX_IMAGE_PIXELS = PILImage.MAX_IMAGE_PIXELS, 1_000_000
    try:
        html = upload(admin_client, "bom.png", bomb, "image/png").content.decode()
    finally:
        PILImage.MAX_IMAGE_PIXELS = limit
    assert "Ảnh có quá nhiều điểm ảnh (không rõ bao nhiêu)" in html and "unknown number" not in html
    assert not get_image_model().objects.exists()


def test_an_oversized_upload_is_refused_in_vietnamese(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = upload(admin_client, "big.png", image_bytes(size=(400, 400)) + b"\0" * 2048, "image/png")
    assert "Tệp quá lớn" in response.content.decode()
    assert not get_image_model().objects.exists()


def producer_form(**overrides):
    from catalog.models import Commune, LegacyDistrict, LegacyProvince, Province

    data = {
        "title": "HTX Mật ong Đại Hợp", "slug": "htx-mat-ong-dai-hop", "legal_form": "htx",
        "representative": "", "intro": "", "logo": "", "street_address": "Thôn 3",
        "province": Province.objects.get(slug="hai-phong").pk,
        "commune": Commune.objects.filter(province__slug="hai-phong", name__contains="Kiến").first().pk,
        "legacy_province": LegacyProvince.objects.get(slug="hai-phong").pk,
        "legacy_district": LegacyDistrict.objects.filter(legacy_province__slug="hai-phong", name__startswith="Huyện Kiến").first().pk,
        "phone": "", "email": "", "website": "", "story": streamfield([]), "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_producer_url():
    from catalog.tree import producer_index

    return reverse("wagtailadmin_pages:add", args=["catalog", "producerpage", producer_index().pk])


def test_admin_creates_a_producer_and_offers_communes_by_province(admin_client):
    form = admin_client.get(add_producer_url()).content.decode()
    assert 'data-province="' in form and "catalog/js/commune-filter.js" in form
    response = admin_client.post(add_producer_url(), producer_form(**PUBLISH))
    assert response.status_code == 302, response.content.decode()[:1500]


def test_admin_refuses_a_commune_outside_the_province(admin_client):
    from catalog.models import Commune, ProducerPage

    hanoi_commune = Commune.objects.filter(province__slug="ha-noi").first()
    response = admin_client.post(add_producer_url(), producer_form(commune=hanoi_commune.pk, **PUBLISH))
    assert response.status_code == 200
    assert f"Xã/phường {hanoi_commune.name} không thuộc Thành phố Hải Phòng." in response.content.decode()
    assert not ProducerPage.objects.filter(slug="htx-mat-ong-dai-hop").exists()


def test_product_edit_page_lists_its_certificates_with_their_status(admin_client):
    product = make_product(stars=4)
    certificate = product.certificates.get()
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[product.pk])).content.decode()
    assert certificate.decision_number in html
    assert "Còn hiệu lực" in html
    assert f"{reverse('wagtailsnippets_catalog_certificate:add')}?product={product.pk}" in html


def test_add_certificate_link_preselects_the_product(admin_client):
    product = make_product(stars=None)
    html = admin_client.get(f"{reverse('wagtailsnippets_catalog_certificate:add')}?product={product.pk}").content.decode()
    assert f'name="product" value="{product.pk}"' in html
    assert admin_client.get(f"{reverse('wagtailsnippets_catalog_certificate:add')}?product=abc").status_code == 200
