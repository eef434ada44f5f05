"""What the index knows about a product: one record, the same for Elasticsearch and the database."""

import re
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils.html import strip_tags

from catalog.models import Certificate, ProductPage, ProductVariant
from catalog.text import fold

WORD = re.compile(r"[a-z0-9]+")
STORY_EXCERPT_CHARS = 1500


def words_of(text: str) -> list[str]:
    """Folded words in order: 'Vải thiều Thanh Hà!' → ['vai', 'thieu', 'thanh', 'ha']."""
    return WORD.findall(fold(text or ""))


_producer_cache: dict = {}


def producer_text(producer) -> tuple[str, frozenset]:
    """(story excerpt, folded words of the producer's name, story and places), computed once per
    published version of the producer: its ten or so products share it."""
    key = (producer.pk, producer.last_published_at)
    if key not in _producer_cache:
        if len(_producer_cache) > 5000:
            _producer_cache.clear()
        story = story_excerpt(producer)
        places = [producer.province.short_name, producer.commune.name,
                  producer.legacy_province.short_name if producer.legacy_province else "",
                  producer.legacy_district.short_name if producer.legacy_district else ""]
        _producer_cache[key] = (story, frozenset(words_of(" ".join([producer.title, story, *places]))))
    return _producer_cache[key]


def story_excerpt(producer) -> str:
    parts = []
    for block in producer.story:
        if block.block_type == "paragraph":
            parts.append(strip_tags(block.value.source))
        elif block.block_type == "quote":
            parts.append(block.value["text"])
    return " ".join(parts)[:STORY_EXCERPT_CHARS]


@dataclass
class ProductRecord:
    id: int
    title: str
    producer: str
    description: str
    story: str
    words: list[str]
    title_words: list[str]
    province: str
    province_name: str
    commune: str
    legacy_province: str
    legacy_province_name: str
    legacy_district: str
    place_keys: list[str]
    group: str
    subgroup: str
    stars: int | None
    certified: bool
    standards: list[str]
    min_price: int | None
    max_price: int | None
    in_stock: bool
    season_months: list[int]
    legal_form: str
    published_at: datetime | None

    def as_dict(self) -> dict:
        return asdict(self)


def products_for_indexing():
    """Live products with everything a record needs, in a fixed number of queries per batch."""
    return (
        ProductPage.objects.live()
        .select_related(
            "producer", "producer__province", "producer__commune", "producer__legacy_province",
            "producer__legacy_district", "group", "subgroup",
        )
        .prefetch_related(
            Prefetch("variants", queryset=ProductVariant.objects.order_by("sort_order", "pk")),
            Prefetch("certificates", queryset=Certificate.objects.order_by("-decision_date", "-pk")),
            "season_months", "standards", "producer__standards",
        )
        .order_by("pk")
    )


def product_record(product: ProductPage) -> ProductRecord:
    producer = product.producer
    description = strip_tags(f"{product.intro} {product.description}")
    story, producer_words = producer_text(producer) if producer else ("", frozenset())
    province = producer.province if producer else None
    legacy_province = producer.legacy_province if producer else None
    legacy_district = producer.legacy_district if producer else None
    own_text = " ".join([
        product.title, description, product.group.name, product.subgroup.name if product.subgroup else "",
        product.geographical_indication,
    ])
    place_keys = []
    if province:
        place_keys.append(f"p:{province.slug}")
    if legacy_province:
        place_keys.append(f"lp:{legacy_province.slug}")
    if legacy_district:
        place_keys.append(f"ld:{legacy_district.code}")
    standards = sorted({s.slug for s in product.standards.all()} | ({s.slug for s in producer.standards.all()} if producer else set()))
    months = product.season_month_numbers or list(range(1, 13))
    certificate = product.current_certificate
    return ProductRecord(
        id=product.pk,
        title=product.title,
        producer=producer.title if producer else "",
        description=description,
        story=story,
        words=sorted(set(words_of(own_text)) | producer_words),
        title_words=words_of(product.title),
        province=province.slug if province else "",
        province_name=province.name if province else "",
        commune=producer.commune.name if producer else "",
        legacy_province=legacy_province.slug if legacy_province else "",
        legacy_province_name=legacy_province.name if legacy_province else "",
        legacy_district=legacy_district.name if legacy_district else "",
        place_keys=place_keys,
        group=product.group.slug,
        subgroup=product.subgroup.slug if product.subgroup else "",
        stars=certificate.stars if certificate else None,
        certified=certificate is not None,
        standards=standards,
        min_price=product.min_price,
        max_price=product.max_price,
        in_stock=product.in_stock,
        season_months=months,
        legal_form=producer.legal_form if producer else "",
        published_at=product.first_published_at,
    )
