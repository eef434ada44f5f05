"""Where catalogue pages live in the Wagtail tree."""

from django.utils.translation import gettext as _
from wagtail.models import Site

from catalog.models import ProducerIndexPage
from catalog.text import vietnamese_slug


def producer_index() -> ProducerIndexPage:
    """The producers index under the default site's home page, created on first use."""
    index = ProducerIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=ProducerIndexPage(title=_("Chủ thể OCOP"), slug="chu-the"))
    return index


def unique_child_slug(parent, title) -> str:
    """A slug for a new child of `parent` from a Vietnamese title ("Đậu" → "dau"), numbered if taken."""
    base = (vietnamese_slug(title) or "muc")[:80].strip("-") or "muc"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
