"""What both backends share: the facets, and the shape of a raw answer."""

from dataclasses import dataclass, field

STARS = (5, 4, 3)


@dataclass
class RawResult:
    """Product ids of the requested page (in order), the total, and counts per facet value."""

    ids: list[int]
    total: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def province_keys(slugs):
    """A province filter accepts today's and legacy slugs alike."""
    return [f"p:{slug}" for slug in slugs] + [f"lp:{slug}" for slug in slugs]
