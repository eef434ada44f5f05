"""What the index knows about a product: one record, the same for Elasticsearch and the database.

Records are built from plain rows (`values()`), a few queries per batch: building Wagtail page
objects for tens of thousands of products costs ten times more than the queries themselves.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import strip_tags

from catalog import ratings
from catalog.models import Certificate, ProducerPage, ProductImage, ProductPage, ProductVariant
from catalog.models.certificates import current_certificate, lapse
from catalog.models.products import BOOKABLE_GROUP
from catalog.text import fold
from search.terms import all_keys, exact_words, name_start, terms_of

WORD = re.compile(r"[a-z0-9]+")
STORY_EXCERPT_CHARS = 1500
ALL_YEAR = list(range(1, 13))


def words_of(text: str) -> list[str]:
    """Folded words in order: 'Vải thiều Thanh Hà!' → ['vai', 'thieu', 'thanh', 'ha']."""
    return WORD.findall(fold(text or ""))


def story_excerpt(story) -> str:
    parts = []
    for block in story:
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
    # Ranking and diacritic-exact matching (search.terms): exact keys of every searchable word, the
    # name's keys (folded and exact), its position-tagged first words and length, the producer's keys.
    exact: list[str]
    name_terms: list[str]
    name_start: list[str]
    name_length: int
    producer_terms: list[str]
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
    # What a result card shows beyond the above, so results render without loading pages.
    url_path: str
    place_name: str
    image_id: int | None
    certificate_status: str  # "", "expired" or "revoked": why a product with a history has no stars
    # Buyers' published reviews (`catalog.ratings`): how many, their stars summed, the exact average (None
    # without reviews). Filtered, sorted and shown on cards.
    rating_count: int = 0
    rating_total: int = 0
    rating_average: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


PRODUCT_FIELDS = (
    "pk", "title", "url_path", "intro", "description", "geographical_indication", "first_published_at", "producer_id",
    "group__slug", "group__name", "subgroup__slug", "subgroup__name", "review_count", "review_stars_total",
)
PRODUCER_FIELDS = (
    "pk", "title", "legal_form", "province__slug", "province__name", "province__short_name",
    "commune__name", "legacy_province__slug", "legacy_province__name", "legacy_province__short_name",
    "legacy_district__code", "legacy_district__name", "legacy_district__short_name",
)
def producer_texts(producers: dict[int, dict], known: dict | None = None) -> dict[int, tuple]:
    """(story excerpt, folded words, exact keys (search.terms) of name, story and places) per producer.
    `known` carries the ones already worked out during one rebuild (a producer's ten or so products share them); it
    lives no longer than that, so an edit saved without publishing is never hidden by it."""
    known = {} if known is None else known
    missing = [pk for pk in producers if pk not in known]
    for producer in ProducerPage.objects.filter(pk__in=missing).only("pk", "story"):
        row = producers[producer.pk]
        story = story_excerpt(producer.story)
        places = [row["province__short_name"], row["commune__name"], row["legacy_province__short_name"] or "",
                  row["legacy_district__short_name"] or ""]
        text = " ".join([row["title"], story, *places])
        known[producer.pk] = (story, frozenset(words_of(text)), frozenset(exact_words(text)))
    return {pk: known[pk] for pk in producers if pk in known}


def certificate_states(product_ids, today) -> dict[int, tuple[int | None, str]]:
    """(stars, lapse) per product with certificates, by the catalogue's one rule: the stars of its
    current certificate on `today`, else None and why ("revoked" or "expired")."""
    history = defaultdict(list)
    for row in Certificate.objects.filter(product_id__in=product_ids).values_list(
            "product_id", "pk", "stars", "decision_date", "expires_on", "revoked_on", named=True):
        history[row.product_id].append(row)
    states = {}
    for product_id, rows in history.items():
        current = current_certificate(rows, today)
        states[product_id] = (current.stars, "") if current else (None, lapse(rows, today))
    return states


def live_product_ids():
    return ProductPage.objects.live().order_by("pk").values_list("pk", flat=True)


def records_for(product_ids, producer_cache: dict | None = None) -> list[ProductRecord]:
    """Records of the live products among `product_ids`, in a fixed number of queries
    (`producer_cache`: see `producer_texts`)."""
    today = timezone.localdate()
    products = list(ProductPage.objects.live().filter(pk__in=product_ids).order_by("pk").values(*PRODUCT_FIELDS))
    ids = [p["pk"] for p in products]
    producers = {
        p["pk"]: p for p in ProducerPage.objects.filter(pk__in={p["producer_id"] for p in products}).values(*PRODUCER_FIELDS)
    }
    texts = producer_texts(producers, producer_cache)
    bookable = {p["pk"] for p in products if p["group__slug"] == BOOKABLE_GROUP}
    prices, stock = defaultdict(list), defaultdict(int)
    for product_id, price, quantity, places in ProductVariant.objects.filter(product_id__in=ids).values_list(
        "product_id", "price", "stock", "capacity_per_date"
    ):
        prices[product_id].append(price)
        # A stay or tour is sold by date (places per date, shop.bookings), not from stock.
        stock[product_id] += (places or 0) if product_id in bookable else quantity
    certificates = certificate_states(ids, today)
    first_image = {}
    for product_id, image_id in ProductImage.objects.filter(product_id__in=ids).order_by(
        "-sort_order", "-pk"
    ).values_list("product_id", "image_id"):
        first_image[product_id] = image_id  # rows come last first, so the first image wins
    months = defaultdict(list)
    for product_id, month in ProductPage.season_months.through.objects.filter(productpage_id__in=ids).values_list(
        "productpage_id", "month_id"
    ):
        months[product_id].append(month)
    standards = defaultdict(set)
    for product_id, slug in ProductPage.standards.through.objects.filter(productpage_id__in=ids).values_list(
        "productpage_id", "standard__slug"
    ):
        standards[("product", product_id)].add(slug)
    for producer_id, slug in ProducerPage.standards.through.objects.filter(producerpage_id__in=list(producers)).values_list(
        "producerpage_id", "standard__slug"
    ):
        standards[("producer", producer_id)].add(slug)
    return [
        product_record(p, producers.get(p["producer_id"]), texts.get(p["producer_id"], ("", frozenset(), frozenset())),
                       prices[p["pk"]], stock[p["pk"]], certificates.get(p["pk"], (None, "")), sorted(months[p["pk"]]),
                       standards[("product", p["pk"])] | standards[("producer", p["producer_id"])],
                       first_image.get(p["pk"]))
        for p in products
    ]


def product_record(product, producer, producer_text, prices, stock, certificate, months, standards,
                   image_id) -> ProductRecord:
    story, producer_words, producer_exact = producer_text
    stars, certificate_status = certificate
    description = strip_tags(f"{product['intro']} {product['description']}")
    own_text = " ".join([
        product["title"], description, product["group__name"], product["subgroup__name"] or "",
        product["geographical_indication"],
    ])
    producer = producer or {}
    place_keys = [f"p:{producer['province__slug']}"] if producer else []
    if producer.get("legacy_province__slug"):
        place_keys.append(f"lp:{producer['legacy_province__slug']}")
    if producer.get("legacy_district__code"):
        place_keys.append(f"ld:{producer['legacy_district__code']}")
    return ProductRecord(
        id=product["pk"],
        title=product["title"],
        producer=producer.get("title", ""),
        description=description,
        story=story,
        words=sorted(set(words_of(own_text)) | producer_words),
        title_words=words_of(product["title"]),
        exact=sorted(exact_words(own_text) | producer_exact),
        name_terms=sorted(all_keys(product["title"])),
        name_start=name_start(product["title"]),
        name_length=len(terms_of(product["title"])),
        producer_terms=sorted(all_keys(producer.get("title", ""))),
        province=producer.get("province__slug", ""),
        province_name=producer.get("province__name", ""),
        commune=producer.get("commune__name", ""),
        legacy_province=producer.get("legacy_province__slug") or "",
        legacy_province_name=producer.get("legacy_province__name") or "",
        legacy_district=producer.get("legacy_district__name") or "",
        place_keys=place_keys,
        group=product["group__slug"],
        subgroup=product["subgroup__slug"] or "",
        stars=stars,
        certified=stars is not None,
        standards=sorted(standards),
        min_price=min(prices, default=None),
        max_price=max(prices, default=None),
        in_stock=stock > 0,
        season_months=months or ALL_YEAR,
        legal_form=producer.get("legal_form", ""),
        published_at=product["first_published_at"],
        url_path=product["url_path"],
        place_name=producer.get("province__short_name", ""),
        image_id=image_id,
        certificate_status=certificate_status,
        rating_count=product["review_count"],
        rating_total=product["review_stars_total"],
        rating_average=ratings.average(product["review_count"], product["review_stars_total"]),
    )
