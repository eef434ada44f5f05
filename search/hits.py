"""Result cards drawn from the index: a page of results loads no Wagtail page.

Each backend returns, with every hit, what its card shows (`CARD_FIELDS`). `ProductHit` offers that
under the names `includes/product_card.html` reads from a `ProductPage`, so both render with the
same template; only the card images are fetched (two queries for the whole page).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from catalog.models.certificates import LAPSE_LABELS
from catalog.models.renditions import CARD_RENDITION


@dataclass
class GroupName:
    name: str
    name_en: str


@dataclass
class ProductHit:
    id: int
    title: str
    url_path: str
    producer_name: str
    place_name: str
    group: GroupName | None
    stars: int | None
    certificate_status: str
    min_price: int | None
    max_price: int | None
    in_stock: bool
    season_month_numbers: list[int]
    # Buyers' published reviews, as a product page has them (`shop_reviews.card_rating` reads both);
    # None from an index written before ratings were indexed.
    review_count: int | None = None
    review_stars_total: int | None = None
    card_image: object = None
    highlighted_title: str = ""
    url: str = ""

    def get_url(self, request=None):
        return self.url

    @property
    def certificate_problem(self) -> str:
        return str(LAPSE_LABELS.get(self.certificate_status, ""))

    def in_season(self, month: int | None = None) -> bool:
        months = self.season_month_numbers
        return not months or (month or timezone.localdate().month) in months


def page_url(url_path: str, roots=None, prefix=None) -> str:
    """A page's URL from its `url_path`, relative to the site whose root holds it, in the active
    language (as `Page.get_url` without a request). Wagtail's serve pattern is the page path
    itself, so the URL is the serve prefix plus the path below the site root. `roots` and
    `prefix` let a caller resolve them once for many pages."""
    for root in roots if roots is not None else Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return (prefix or reverse("wagtail_serve", args=("",))) + url_path[len(root.root_path):]
    return ""


def product_hits(raw_hits: list[dict], groups: dict[str, GroupName]) -> list[ProductHit]:
    """Cards for a page of raw hits, with their card images and renditions fetched in two queries."""
    image_ids = {hit["image_id"] for hit in raw_hits if hit["image_id"]}
    images = get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(CARD_RENDITION) if image_ids else []
    images = {image.pk: image for image in images}
    roots, prefix = Site.get_site_root_paths(), reverse("wagtail_serve", args=("",))
    return [
        ProductHit(
            id=hit["id"], title=hit["title"], url_path=hit["url_path"] or "", producer_name=hit["producer"] or "",
            place_name=hit["place_name"] or "", group=groups.get(hit["group"]), stars=hit["stars"],
            certificate_status=hit["certificate_status"] or "", min_price=hit["min_price"],
            max_price=hit["max_price"], in_stock=bool(hit["in_stock"]),
            season_month_numbers=[] if len(hit["season_months"] or []) == 12 else list(hit["season_months"] or []),
            review_count=hit.get("rating_count"), review_stars_total=hit.get("rating_total"),
            card_image=images.get(hit["image_id"]), url=page_url(hit["url_path"] or "", roots, prefix),
        )
        for hit in raw_hits
    ]
