"""Small builders for catalogue objects, so tests read as the rule they prove."""

import datetime
import itertools

from django.utils import timezone

from catalog.models import (
    Certificate,
    Commune,
    LegacyDistrict,
    LegacyProvince,
    ProducerPage,
    ProductGroup,
    ProductPage,
    ProductVariant,
    Province,
)
from catalog.tree import producer_index

_counter = itertools.count(1)


def province(slug="hai-phong"):
    return Province.objects.get(slug=slug)


def commune(name="Xã Thanh Hà", province_slug="hai-phong"):
    return Commune.objects.get(name=name, province__slug=province_slug)


def make_producer(title=None, province_slug="hai-phong", commune_name="Xã Thanh Hà",
                  legacy_province_slug="hai-duong", legacy_district="Thanh Hà", checked=True, **fields):
    """A producer with complete legal details (catalog.identity), checked unless `checked=False`."""
    n = next(_counter)
    legacy = LegacyProvince.objects.get(slug=legacy_province_slug) if legacy_province_slug else None
    fields.setdefault("legal_form", ProducerPage.LegalForm.COOPERATIVE)
    household = fields["legal_form"] == ProducerPage.LegalForm.HOUSEHOLD
    fields.setdefault("legal_name", title or f"Hợp tác xã thử nghiệm {n}")
    fields.setdefault("registration_number", f"02A8{n:06d}" if household else f"02{n:08d}")
    if household:
        fields.setdefault("owner_id_number", f"031{n:09d}")
    fields.setdefault("phone", "0912345678")
    fields.setdefault("street_address", "Thôn Đông")
    if checked:
        fields.setdefault("identity_checked_at", timezone.now())
    page = ProducerPage(
        title=title or f"HTX thử nghiệm {n}",
        slug=f"htx-thu-nghiem-{n}",
        province=province(province_slug),
        commune=commune(commune_name, province_slug),
        legacy_province=legacy,
        legacy_district=(
            LegacyDistrict.objects.get(short_name=legacy_district, legacy_province=legacy)
            if legacy and legacy_district else None
        ),
        **fields,
    )
    return producer_index().add_child(instance=page)


def make_product(producer=None, title=None, group_slug="thuc-pham", price=100_000, stock=10,
                 stars=4, decision_date=None, **fields):
    """A live product with one variant and, unless stars is None, one certificate."""
    n = next(_counter)
    producer = producer or make_producer()
    product = producer.add_child(instance=ProductPage(
        title=title or f"Sản phẩm thử nghiệm {n}",
        slug=f"san-pham-thu-nghiem-{n}",
        group=ProductGroup.objects.get(slug=group_slug),
        **fields,
    ))
    ProductVariant.objects.create(
        product=product, sku=f"TEST-{n}", name="Hộp 1 kg", weight_grams=1000, price=price, stock=stock
    )
    if stars:
        make_certificate(product, stars=stars, decision_date=decision_date)
    return product


def make_certificate(product, stars=4, decision_date=None, **fields):
    n = next(_counter)
    fields.setdefault("level", Certificate.Level.CENTRAL if stars == 5 else Certificate.Level.PROVINCE)
    return Certificate.objects.create(
        product=product,
        stars=stars,
        decision_number=fields.pop("decision_number", f"{n}/QĐ-UBND"),
        decision_date=decision_date or datetime.date(2025, 9, 1),
        issuing_body=fields.pop("issuing_body", "UBND thành phố Hải Phòng"),
        **fields,
    )


def make_image(title="Ảnh thử", size=(640, 480), colour=(180, 40, 40)):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="test.jpg"))


def add_image(product, title=None):
    from catalog.models import ProductImage

    return ProductImage.objects.create(product=product, image=make_image(title or product.title))
