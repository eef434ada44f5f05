"""Where catalogue pages live in the Wagtail tree."""

from django.utils.translation import gettext as _
from wagtail.models import Site

from catalog.models import ProducerIndexPage


def producer_index() -> ProducerIndexPage:
    """The producers index under the default site's home page, created on first use."""
    index = ProducerIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=ProducerIndexPage(title=_("Chủ thể OCOP"), slug="chu-the"))
    return index
