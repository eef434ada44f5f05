"""Template helpers for catalogue pages: VND prices, stars, seasons, localised names, JSON-LD,
sanitised rich text.

Nothing here queries the database on its own except `product_gallery` (one query for a product
page's images and their renditions), `upcoming_fairs` (two queries: fairs, their producers) and
`safe_richtext` (the linked pages, images and embeds, as Wagtail's `|richtext`); the JSON-LD tags
only read what the templates already load.
"""

import json

from django import template
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from catalog import identity, richtext
from catalog.models import TradeFair
from catalog.models.renditions import GALLERY_RENDITION, THUMB_RENDITION
from catalog.text import format_vnd, grouped

register = template.Library()

# Characters that could end a <script> element or open an HTML comment inside JSON.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(is_safe=False)
def vnd(value):
    """Whole đồng with Vietnamese thousands dots, whatever the active locale: 1250000 → "1.250.000 ₫".

    VND has no minor unit, so the value is read as an integer (never through float); None, ""
    and anything that is not a whole number give "".
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        amount = int(value) if not isinstance(value, str) else int(value.strip())
    except (TypeError, ValueError):
        return ""
    if not isinstance(value, (int, str)) and amount != value:
        return ""  # a fraction (Decimal or float) is not a price in đồng
    return format_vnd(amount)


@register.filter
def safe_richtext(value):
    """Wagtail's `|richtext` (internal links, images and embeds expanded), sanitised: stored rich text
    may not come from the editor (`catalog.richtext`)."""
    return richtext.render(value.source if isinstance(value, RichText) else str(value or ""))


@register.filter
def star_glyphs(stars):
    """★ repeated `stars` times (0 to 5)."""
    try:
        count = int(stars or 0)
    except (TypeError, ValueError):
        return ""
    return "★" * max(0, min(count, 5))


@register.simple_tag(takes_context=True)
def product_url(context, product):
    """The URL of a product card's target: a `ProductPage` or a search hit (both have get_url)."""
    return product.get_url(request=context.get("request"))


@register.filter
def local_name(obj):
    """`obj.name_en` when the active language is English and it is filled in, else `obj.name`."""
    if obj is None:
        return ""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, "name_en", "")
        if english:
            return english
    return getattr(obj, "name", str(obj))


@register.filter
def month_ranges(months):
    """Month numbers as runs of consecutive months, wrapping round the new year.

    [5, 6, 7] → [(5, 7)]; [12, 1, 2] → [(12, 2)]; [3, 9, 10] → [(3, 3), (9, 10)]; all twelve → [].
    An empty result means all year round.
    """
    numbers = sorted({int(m) for m in (months or []) if 1 <= int(m) <= 12})
    if not numbers or len(numbers) == 12:
        return []
    runs = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][1] == 12:  # December runs into January
        last = runs.pop()
        runs[0][0] = last[0]
    runs.sort(key=lambda run: run[0] if run[0] <= run[1] else run[0] - 12)
    return [tuple(run) for run in runs]


@register.simple_tag
def product_gallery(product):
    """The product's images, in order, with gallery and thumbnail renditions fetched together.

    Usage: `{% product_gallery page as gallery %}`; each item has `.image` and `.caption`. The list is
    kept on the product object, so calling the tag again in another block costs no query.
    """
    cached = getattr(product, "_gallery_cache", None)
    if cached is None:
        images = get_image_model().objects.prefetch_renditions(GALLERY_RENDITION, THUMB_RENDITION)
        cached = list(
            product.images.order_by("sort_order", "pk").prefetch_related(Prefetch("image", queryset=images))
        )
        product._gallery_cache = cached  # the head (og:image, JSON-LD) and the body share one fetch
    return cached


def json_ld_script(data) -> str:
    """`data` as a `<script type="application/ld+json">` element, safe inside HTML.

    `<`, `>` and `&` are written as JSON unicode escapes, so text such as `</script>` in a title
    cannot close the element; the JSON value is unchanged for a parser.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _absolute(request, url):
    if not url:
        return ""
    return request.build_absolute_uri(url) if request is not None else url


def _gtin_field(gtin: str):
    return {8: "gtin8", 12: "gtin12", 13: "gtin13", 14: "gtin14"}.get(len(gtin or ""))


IN_STOCK, OUT_OF_STOCK, PRE_ORDER = (f"https://schema.org/{name}" for name in ("InStock", "OutOfStock", "PreOrder"))


def offer_availability(product, variant, can_sell: bool) -> str:
    """What the cart would let a buyer do with this pack now (the rules of `shop.cart.sellable_variant`
    and `add`): nothing while the producer cannot sell (seller identity not checked); out of season,
    pre-order it if the producer takes pre-orders, else nothing; otherwise buy it if there is stock. A
    stay or tour (booked by date, `shop.bookings`) has places per date instead of stock."""
    if not can_sell:
        return OUT_OF_STOCK
    if product.is_bookable:
        return IN_STOCK if variant.capacity_per_date else OUT_OF_STOCK
    if product.takes_preorders():
        return PRE_ORDER
    if product.season_closed():
        return OUT_OF_STOCK
    return IN_STOCK if variant.stock > 0 else OUT_OF_STOCK


@register.simple_tag(takes_context=True)
def product_json_ld(context, product, images=None, extra=None):
    """schema.org `Product` for a product page, with one `Offer` per variant (integer VND prices).

    `images` is the list from `product_gallery` (their `max-1200x900` renditions are used); `extra`
    adds properties (`shop_reviews.product_reviews`' `aggregateRating` and `review`, from published
    reviews only).
    """
    request = context.get("request")
    url = _absolute(request, product.get_url(request=request))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": url,
    }
    description = product.search_description or product.intro
    if description:
        data["description"] = description
    image_urls = [
        _absolute(request, item.image.get_rendition(GALLERY_RENDITION).url) for item in (images or [])
    ]
    if image_urls:
        data["image"] = image_urls
    producer = product.producer
    if producer is not None:
        brand = {"@type": "Organization", "name": producer.title}
        producer_url = producer.get_url(request=request)
        if producer_url:
            brand["url"] = _absolute(request, producer_url)
        data["brand"] = brand
    data["countryOfOrigin"] = {"@type": "Country", "name": "VN"}
    if product.group_id:
        data["category"] = product.group.name
    variants = product.variant_list
    if len(variants) == 1 and variants[0].sku:
        data["sku"] = variants[0].sku
    if (field := _gtin_field(product.gtin)) is not None:
        data[field] = product.gtin
    certificate = product.current_certificate
    if certificate is not None:
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.decision_number})"
    offers = []
    can_sell = identity.can_sell(producer)
    for variant in variants:
        offer = {
            "@type": "Offer",
            "name": variant.name,
            "sku": variant.sku,
            "price": int(variant.price),
            "priceCurrency": "VND",
            "availability": offer_availability(product, variant, can_sell),
            "url": url,
        }
        if (field := _gtin_field(variant.gtin)) is not None:
            offer[field] = variant.gtin
        if producer is not None:
            offer["seller"] = {"@type": "Organization", "name": producer.title}
        offers.append(offer)
    if len(offers) == 1:
        data["offers"] = offers[0]
    elif offers:
        data["offers"] = offers
    data.update(extra or {})
    return json_ld_script(data)


@register.simple_tag(takes_context=True)
def producer_json_ld(context, producer, logo_url=""):
    """schema.org `Organization` for a producer page: name, url, logo, postal address, contacts."""
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": producer.title,
        "url": _absolute(request, producer.get_url(request=request)),
    }
    if producer.intro:
        data["description"] = producer.intro
    if logo_url:
        data["logo"] = _absolute(request, logo_url)
    address = {"@type": "PostalAddress", "addressCountry": "VN"}
    if producer.street_address:
        address["streetAddress"] = producer.street_address
    if producer.commune_id:
        address["addressLocality"] = producer.commune.name
    if producer.province_id:
        address["addressRegion"] = producer.province.name
    data["address"] = address
    if producer.phone:
        data["telephone"] = producer.phone
    if producer.email:
        data["email"] = producer.email
    if producer.website:
        data["sameAs"] = [producer.website]
    return json_ld_script(data)


@register.filter
def weight(grams):
    """Grams for people: 500 → "500 g", 1000 → "1 kg", 1500 → "1,5 kg" (Vietnamese decimal comma)."""
    try:
        grams = int(grams)
    except (TypeError, ValueError):
        return ""
    if grams < 1000:
        return f"{grams} g"
    kilos, rest = divmod(grams, 1000)
    kilos_text = grouped(kilos, "vi")
    if rest:
        return f"{kilos_text},{str(rest).rjust(3, '0').rstrip('0')} kg"
    return f"{kilos_text} kg"


@register.simple_tag
def upcoming_fairs(limit=3):
    """The next `limit` published fairs anywhere, for pages whose context has none (the home page):
    `{% upcoming_fairs 3 as fairs %}{% include "catalog/includes/fairs.html" %}`."""
    return list(TradeFair.objects.upcoming(timezone.localdate()).for_listing()[:limit])
