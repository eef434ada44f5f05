"""The policy pages the footer and the checkout link (`storefront.policies`): only live, public
ones, so a missing or withdrawn page is left out instead of linked to a 404."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.models import Site

from storefront import page_cache, policies

register = template.Library()


def _links(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    pages = policies.live_pages(site)
    if request is not None:  # publishing, withdrawing, renaming or deleting one refreshes cached copies
        for tag in [policies.CACHE_TAG] + [f"page:{page.pk}" for page in pages]:
            page_cache.tag(request, tag)
    return [(page.slug, page.title, page.get_url(request=request)) for page in pages]


@register.simple_tag(takes_context=True)
def policy_pages(context):
    """[(slug, title, url)] of the live policy pages, in their fixed order (`{% policy_pages as x %}`)."""
    return _links(context)


@register.simple_tag(takes_context=True)
def policy_consent(context):
    """The line above the order button: by ordering, the buyer accepts the operating rules and the
    returns policy, each linked; a missing page is left out, and with neither the line is empty."""
    names = {"quy-che-hoat-dong": _("Quy chế hoạt động"), "chinh-sach-doi-tra": _("Chính sách đổi trả và hoàn tiền")}
    found = [(url, names[slug]) for slug, _title, url in _links(context) if slug in names]
    if not found:
        return ""
    links = format_html_join(f" {_('và')} ", '<a href="{}">{}</a>', found)
    return format_html('<p class="helptext policy-consent">{}</p>',
                       format_html(_("Bằng việc đặt hàng, bạn đồng ý với {links} của sàn."), links=links))
