"""Build the demo catalogue of `catalog.demo.data` as real Wagtail pages (`manage.py load_demo`).

Pages go through the ordinary editor path — `add_child`, a revision, `publish()` — so the demo
exercises the same validation (`full_clean`), signals (search indexing on publish) and history an
editor's work does. That is slow per page but the demo has only a few dozen pages.

Idempotent: a producer or product whose slug already exists under its parent is left as it is
(editors may have changed it), and only what is missing is created, so running the command twice
creates nothing the second time. `reset=True` deletes the demo pages and demo images first.
Everything runs in one transaction: a failure leaves the database as it was.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from catalog.demo import data, demo_loaded, demo_removed
from catalog.demo.images import DEMO_TAG, draw_logo, draw_product_card, initials, save_wagtail_image
from catalog.demo.issuers import issuer_for
from catalog.demo.places import find_legacy_district, find_legacy_province, resolve_commune
from catalog.models import (
    Certificate,
    Month,
    ProducerPage,
    ProductGroup,
    ProductImage,
    ProductPage,
    ProductSubgroup,
    ProductVariant,
    Province,
    Standard,
)
from catalog.models.certificates import VALIDITY_MONTHS, add_months
from catalog.tree import producer_index
from catalog.reference_data import load_regions
from catalog.reference_data import seed_taxonomy
from catalog.text import vietnamese_slug
from storefront.policies import ensure_policy_pages

LEGAL_PREFIXES = ("Hợp tác xã", "Công ty TNHH", "Công ty cổ phần", "Tổ hợp tác", "Hộ kinh doanh")


@dataclass
class Summary:
    producers_created: int = 0
    producers_existing: int = 0
    products_created: int = 0
    products_existing: int = 0
    certificates: int = 0
    images: int = 0
    deleted_producers: int = 0
    provinces: set = field(default_factory=set)

    @property
    def already_loaded(self) -> bool:
        return not self.producers_created and not self.products_created and bool(self.products_existing)


def ensure_reference_data() -> None:
    """Regions (from `vietnam-provinces`) if none are loaded yet, and the OCOP groups and standards."""
    if not Province.objects.exists():
        load_regions()
    seed_taxonomy()


def producer_slug(producer: data.Producer) -> str:
    return producer.slug or vietnamese_slug(producer.title)


def product_slug(product: data.Product) -> str:
    return vietnamese_slug(product.title)


def check_data(producers=data.PRODUCERS) -> None:
    """Catch editing mistakes in `data.py` before touching the database."""
    skus, slugs = set(), set()
    for producer in producers:
        slug = producer_slug(producer)
        if slug in slugs:
            raise ValueError(f"Two demo producers share the slug {slug!r}")
        slugs.add(slug)
        for product in producer.products:
            if not product.certs or not product.packs:
                raise ValueError(f"{product.title}: needs at least one certificate and one pack")
            for pack in product.packs:
                sku = f"DEMO-{product.code}-{pack.code}"
                if sku in skus:
                    raise ValueError(f"Duplicate demo SKU {sku}")
                skus.add(sku)


class References:
    """Taxonomy rows by slug, read once."""

    def __init__(self):
        self.groups = {g.slug: g for g in ProductGroup.objects.all()}
        self.subgroups = {(s.group.slug, s.slug): s for s in ProductSubgroup.objects.select_related("group")}
        self.standards = {s.slug: s for s in Standard.objects.all()}
        self.months = {m.number: m for m in Month.objects.all()}

    def standard_list(self, slugs):
        return [self.standards[slug] for slug in slugs]


def decision_date_of(cert: data.Cert, today: datetime.date) -> datetime.date:
    if cert.expires_in_days is not None:
        # Dated so that the 36 months of validity end `expires_in_days` from today.
        return add_months(today + datetime.timedelta(days=cert.expires_in_days), -VALIDITY_MONTHS)
    return datetime.date.fromisoformat(cert.date)


def paragraphs(texts) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def place_label(producer: ProducerPage) -> str:
    """'Hải Phòng (Hải Dương cũ)' for the picture; just the province when the name did not change."""
    current = producer.province.short_name
    legacy = producer.legacy_province.short_name if producer.legacy_province_id else current
    return current if legacy == current else f"{current} ({legacy} cũ)"


def demo_identity(number: int, legal_form: str, legal_name: str) -> dict:
    """Complete legal details (catalog.identity) for a demo or synthetic producer, marked as checked
    by the system: no officer (`identity_checked_by=None`), checked now; acceptable for demo data
    only, so the demo can be ordered from at once. Numbers that cannot be anyone's: tax codes and
    ID numbers start with 00 and 000 (no province has those codes); e-mails are at the reserved
    `.example` domain. The phones (090 000 0xxx) are invented in a carrier's vanity range: real
    numbers may hold them, so a public demo should replace them (data.py invents none)."""
    household = legal_form == ProducerPage.LegalForm.HOUSEHOLD
    return {
        "legal_name": legal_name,
        "registration_number": f"00HKD{number:05d}" if household else f"00{number:08d}",
        "owner_id_number": f"000{number:09d}" if household else "",
        "phone": f"0900{number % 1_000_000:06d}",
        "email": f"chu-the-{number}@ocop.example",
        "identity_checked_by": None,
        "identity_checked_at": timezone.now(),
    }


def publish(page) -> None:
    """Save a revision and publish it, as an editor's "Publish" does (history, signals)."""
    page.save_revision().publish()


def create_producer(index, item: data.Producer, refs: References, summary: Summary) -> ProducerPage:
    legacy_province = find_legacy_province(item.legacy_province)
    legacy_district = find_legacy_district(legacy_province, item.legacy_district)
    commune = resolve_commune(legacy_district, legacy_ward=item.legacy_commune, commune=item.commune)
    if commune.province_id != legacy_province.current_province_id:
        raise ValueError(f"{item.title}: {commune} is not in {legacy_province.current_province}")
    short_title = item.title
    for prefix in LEGAL_PREFIXES:
        short_title = short_title.removeprefix(prefix).strip()
    slug = producer_slug(item)
    logo = save_wagtail_image(
        f"Logo {item.title} (minh hoạ)", f"demo-logo-{slug}.png",
        draw_logo(item.title, item.initials or initials(short_title)),
    )
    summary.images += 1
    page = ProducerPage(
        **demo_identity(data.PRODUCERS.index(item) + 1, item.legal_form, item.title),
        title=item.title,
        slug=slug,
        live=False,
        legal_form=item.legal_form,
        intro=item.intro,
        logo=logo,
        street_address=item.street_address or "Trụ sở (địa chỉ minh hoạ)",  # a seller's address is complete
        commune=commune,
        province=commune.province,
        legacy_province=legacy_province,
        legacy_district=legacy_district,
        story=paragraphs(item.story)
        + [{"type": "quote", "value": {"text": item.quote[0], "attribution": item.quote[1]}}],
    )
    page.standards.set(refs.standard_list(item.standards))
    index.add_child(instance=page)
    publish(page)
    summary.producers_created += 1
    return page


def create_product(producer: ProducerPage, item: data.Product, refs: References, summary: Summary, today):
    slug = product_slug(item)
    card = save_wagtail_image(
        f"{item.title} (ảnh minh hoạ)", f"demo-{slug}.jpg",
        draw_product_card(item.title, item.group, place_label(producer)),
    )
    summary.images += 1
    page = ProductPage(
        title=item.title,
        slug=slug,
        live=False,
        group=refs.groups[item.group],
        subgroup=refs.subgroups[(item.group, item.subgroup)],
        intro=item.intro,
        description=item.description,
        ingredients=item.ingredients,
        usage=item.usage,
        storage=item.storage,
        shelf_life=item.shelf_life,
        geographical_indication=item.geographical_indication,
        sold_in_season_only=item.sold_in_season_only, preorder_allowed=item.preorder_allowed,
        featured=item.featured,
        is_demo_data=True,  # prices and stock below are invented
    )
    page.variants = [
        ProductVariant(sku=f"DEMO-{item.code}-{pack.code}", name=pack.name, weight_grams=pack.grams,
                       price=pack.price, stock=pack.stock, capacity_per_date=pack.capacity, sort_order=order)
        for order, pack in enumerate(item.packs)
    ]
    page.images = [ProductImage(image=card, caption="Ảnh minh hoạ (dữ liệu demo)", sort_order=0)]
    page.standards.set(refs.standard_list(item.standards))
    page.season_months.set([refs.months[number] for number in item.months])
    producer.add_child(instance=page)
    publish(page)

    for cert in item.certs:
        decision_date = decision_date_of(cert, today)
        issuer = issuer_for(
            cert.stars, decision_date,
            province_name=producer.province.name,
            legacy_province_name=producer.legacy_province.name if producer.legacy_province_id else "",
            legacy_district_name=producer.legacy_district.name if producer.legacy_district_id else "",
        )
        certificate = Certificate(
            product=page, stars=cert.stars, score=cert.score, decision_number=issuer.decision_number(cert.number),
            decision_date=decision_date, issuing_body=issuer.body, level=issuer.level,
        )
        certificate.expires_on = add_months(decision_date, VALIDITY_MONTHS)
        certificate.full_clean()
        certificate.save()
        summary.certificates += 1
    summary.products_created += 1
    return page


def remove_demo(index) -> int:
    """Delete the demo producers (with their products and certificates) and the demo images."""
    slugs = [producer_slug(p) for p in data.PRODUCERS]
    producers = list(ProducerPage.objects.child_of(index).filter(slug__in=slugs))
    for producer in producers:
        producer.delete()
    get_image_model().objects.filter(tags__name=DEMO_TAG).delete()
    demo_removed.send(sender=remove_demo)
    return len(producers)


@transaction.atomic
def load_demo(*, reset: bool = False, log=lambda message: None) -> Summary:
    """Create whatever part of the demo catalogue is missing; see the module docstring."""
    check_data()
    ensure_reference_data()
    summary = Summary()
    index = producer_index()
    if reset:
        summary.deleted_producers = remove_demo(index)
        index.refresh_from_db()
    refs = References()
    today = timezone.localdate()
    for item in data.PRODUCERS:
        producer = (
            ProducerPage.objects.child_of(index).filter(slug=producer_slug(item))
            .select_related("province", "legacy_province", "legacy_district").first()
        )
        if producer is None:
            producer = create_producer(index, item, refs, summary)
            log(f"+ {producer.title} — {producer.commune.name}, {producer.province.name}")
        else:
            summary.producers_existing += 1
        summary.provinces.add(producer.province.name)
        existing = set(ProductPage.objects.child_of(producer).values_list("slug", flat=True))
        for product in item.products:
            if product_slug(product) in existing:
                summary.products_existing += 1
                continue
            create_product(producer, product, refs, summary, today)
            log(f"    + {product.title}")
    ensure_policy_pages(log=log)  # the floor's rules and policies, which the footer and checkout link
    demo_loaded.send(sender=load_demo, today=today, log=log)
    return summary
