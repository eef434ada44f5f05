"""What both backends share: the facets, and the shape of a raw answer."""

from dataclasses import dataclass, field

STARS = (5, 4, 3)

# Relevance, the same on both backends (`database.relevance`, `elastic.relevance`): each query term
# scores where it matched best (the product's name, else its producer's name, else anywhere else);
# a name that starts with the query adds more than any sum of those, so more terms in the name
# always rank higher. Ties: shorter names (closer to the query), then stars, then id.
NAME, PRODUCER, ELSEWHERE, NAME_START = 100, 10, 1, 1000

# What each hit carries: enough to draw its result card (search.hits) without loading the page.
CARD_FIELDS = (
    "id", "title", "url_path", "producer", "place_name", "image_id", "group", "stars", "certificate_status",
    "min_price", "max_price", "in_stock", "season_months", "rating_count", "rating_total",
)


@dataclass
class RawResult:
    """The requested page of hits (dicts of CARD_FIELDS, in order), the total, and counts per facet value."""

    hits: list[dict]
    total: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [hit["id"] for hit in self.hits]


def province_keys(slugs):
    """A province filter accepts today's and legacy slugs alike."""
    return [f"p:{slug}" for slug in slugs] + [f"lp:{slug}" for slug in slugs]
