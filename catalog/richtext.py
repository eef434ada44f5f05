"""Rich text on public pages, sanitised when it is shown and not only when it is typed.

Wagtail's editor only produces what a field's features allow, but HTML can reach a description, an
intro or a story block another way (an import, the shell, a future API), and Wagtail's `|richtext`
renders it as stored. `render` expands Wagtail's references first (internal links, images, embeds,
as `|richtext` does), then keeps only what the editor can produce with the features this project
enables (see `TAGS`; `StandardPage.body` uses Wagtail's default features, hence images and embeds):
no scripts, styles, event handlers, SVG/MathML, forms, or URLs other than http(s), mailto, tel and
relative ones. Templates use `{{ value|safe_richtext }}` (catalog_tags); story paragraphs and videos
sanitise themselves (`catalog.blocks`).

Embeds (a video block, or an embed in a standard page) are HTML from the oEmbed provider, cached by
Wagtail: an `<iframe>` survives only with an https `src` on one of `EMBED_HOSTS` (YouTube, Vimeo: the
hosts the site's Content-Security-Policy lets frames come from); any other iframe is dropped.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

TAGS = {
    "p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "a", "ol", "ul", "li", "hr",  # text features
    "img",  # "image" (Wagtail's rendition <img>)
    "div", "iframe",  # "embed" (the provider's player inside Wagtail's wrapper)
}
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "frameborder", "referrerpolicy",
               "loading"},
}
CLASSES = {"img": {"richtext-image", "left", "right", "full-width"}, "div": {"responsive-object"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EMBED_HOSTS = {"www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "youtube-nocookie.com",
               "player.vimeo.com"}
# nh3's output is normalised (lower-case names, double-quoted values, every element closed), and an
# iframe's content is raw text there: the whole element is matched to drop that text, and the element
# itself when its src was refused.
_IFRAME = re.compile(r'<iframe((?:\s[\w:-]+="[^"]*")*)\s*>.*?</iframe>', re.S)


def _parts(url):
    try:
        return urlsplit((url or "").strip())
    except ValueError:  # e.g. an unclosed "[" in the host
        return None


def is_embed_url(url: str) -> bool:
    """An https URL on a video player host we let the site frame."""
    parts = _parts(url)
    return parts is not None and parts.scheme == "https" and (parts.hostname or "") in EMBED_HOSTS


def _only_player_frames(element, attribute, value):
    if element == "iframe" and attribute == "src":
        return value if is_embed_url(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES, url_schemes=URL_SCHEMES,
    attribute_filter=_only_player_frames, link_rel=None,  # no target is allowed, so no opener to cut
)


def _keep_player_frames(match) -> str:
    attributes = match.group(1)
    return f"<iframe{attributes}></iframe>" if re.search(r'\ssrc="', attributes) else ""


def sanitise(html: str) -> SafeString:
    """`html` (front-end HTML, references already expanded) reduced to what the editor can produce."""
    return mark_safe(_IFRAME.sub(_keep_player_frames, _cleaner.clean(html or "")))  # noqa: S308 - sanitised


def render(source: str) -> SafeString:
    """Stored rich text (Wagtail's database format) as safe front-end HTML: `|richtext`, sanitised."""
    return sanitise(expand_db_html(source or ""))


def embed(html: str, url: str) -> SafeString:
    """An embed's HTML, sanitised; a plain link to `url` when no allowed player frame is left in it
    ("" when there is no embed at all, as Wagtail renders an embed it could not find)."""
    cleaned = sanitise(html)
    if "<iframe" in cleaned or not html:
        return cleaned
    if (parts := _parts(url)) is not None and parts.scheme in ("http", "https"):
        return format_html('<a href="{}">{}</a>', url, url)
    return mark_safe("")  # noqa: S308 - empty
