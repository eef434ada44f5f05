"""Rich text stored without going through Wagtail's editor (an import, a shell, an API) is inert on
every public page that shows it, while what the editor produces (headings, bold, links, lists) and
YouTube/Vimeo players still render."""

import json
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Site
from wagtail.rich_text import RichText

from catalog.blocks import StoryBlock
from catalog.models import ProducerIndexPage, ProducerPage, ProductPage
from catalog.tree import producer_index
from search.index import rebuild
from shop.promotions.models import CampaignIndexPage, CampaignPage, campaign_index
from storefront.models import StandardPage
from tests.factories import make_producer, make_product
from tests.shop.test_campaigns import make_campaign

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="javascript:alert(1)"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&#58;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><input autofocus onfocus=alert(1)><button>x</button></form>',
    '<iframe src="https://evil.example/player"></iframe><object data="https://evil.example/x.swf"></object>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
]
YOUTUBE = "https://www.youtube.com/watch?v=ocop123"
YOUTUBE_PLAYER = "https://www.youtube.com/embed/ocop123?feature=oembed"
EVIL_VIDEO = "https://evil.example/watch/1"
PLAYER_HOSTS = {"www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "youtube-nocookie.com", "player.vimeo.com"}


def is_player(src):
    return urlsplit(src).scheme == "https" and urlsplit(src).hostname in PLAYER_HOSTS


def benign(page):
    """What the editor produces with the features the project enables, an internal link included."""
    return (f'<h2 data-block-key="a1">Nguồn gốc</h2><h3 data-block-key="a2">Vùng trồng</h3>'
            f'<p data-block-key="a3"><b>Đậm</b> <i>nghiêng</i> <a href="https://example.com/vai">liên kết</a> '
            f'<a linktype="page" id="{page.pk}">trang trong</a> <a href="mailto:htx@example.com">thư</a></p>'
            f'<ul><li data-block-key="a4">Mục một</li></ul><ol><li data-block-key="a5">Bước một</li></ol>')


def assert_renders_benign(html, page):
    html = re.sub(r' data-block-key="\w+"', "", html)  # Wagtail's |richtext keeps the editor's block keys
    for fragment in ("<h2>Nguồn gốc</h2>", "<h3>Vùng trồng</h3>", "<b>Đậm</b>", "<i>nghiêng</i>",
                     '<a href="https://example.com/vai">liên kết</a>', f'<a href="{page.url}">trang trong</a>',
                     '<a href="mailto:htx@example.com">thư</a>', "<ul><li>Mục một</li></ul>",
                     "<ol><li>Bước một</li></ol>"):
        assert fragment in html


class Audit(HTMLParser):
    """What a browser would run or load from a page: elements, event handlers, URLs, script texts."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcdoc"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.handlers, self.styles, self.bad_urls, self.frames, self.scripts = Counter(), [], 0, [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.data_script = tag == "script" and ("type", "application/ld+json") in attrs
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name == "style":
                self.styles += 1
            if name in self.URL_ATTRIBUTES and re.match(r"\s*(javascript|vbscript|data)\s*:", value, re.I):
                self.bad_urls.append((tag, name, value))
            if tag == "iframe" and name == "src":
                self.frames.append(value)

    def handle_data(self, data):
        if self.lasttag == "script":
            assert "<" not in data or not self.data_script  # JSON-LD writes < as \\u003C
            if not self.data_script:
                self.scripts.append(data)


RISKY_TAGS = ("script", "svg", "math", "style", "iframe", "form", "input", "button", "object", "embed", "noscript",
              "mglyph", "mtext", "base")


def assert_inert(html, baseline, where):
    """Nothing that runs or loads appears beyond what the page has with ordinary text (`baseline`)."""
    audit, before = Audit(html), Audit(baseline)
    assert audit.handlers == before.handlers == [], where
    assert audit.bad_urls == [], where
    assert audit.styles == before.styles, where
    extra_frames = [src for src in audit.frames if src not in before.frames]
    assert all(is_player(src) for src in extra_frames), (where, extra_frames)
    for tag in RISKY_TAGS:
        if tag != "iframe":
            assert audit.tags[tag] == before.tags[tag], (where, tag)
    assert not any("alert" in text for text in audit.scripts), where


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def check_surface(client, url, store, page_for_links):
    """Ordinary rich text renders; then each payload, stored with `store`, is inert at `url`."""
    store(benign(page_for_links))
    baseline = get(client, url)
    assert_renders_benign(baseline, page_for_links)
    for payload in PAYLOADS:
        store(f"<p>avant</p>{payload}<p>après</p>")
        assert_inert(get(client, url), baseline, (url, payload))


def story(payload):
    return [("paragraph", RichText(payload))]


def save_story(model, pk):
    def store(payload):
        page = model.objects.get(pk=pk)
        page.story = story(payload)
        page.save()
    return store


def update(model, pk, field):
    return lambda payload: model.objects.filter(pk=pk).update(**{field: payload})


@pytest.fixture
def product():
    return make_product(title="Vải thiều Thanh Hà", intro="<script>alert(1)</script> giới thiệu ngắn")


def test_product_description_is_sanitised(client, product):
    check_surface(client, product.url, update(ProductPage, product.pk, "description"), product.producer)
    # the JSON-LD (search_description or intro: plain text) stays data
    ProductPage.objects.filter(pk=product.pk).update(description=PAYLOADS[0], search_description=PAYLOADS[1])
    html = get(client, product.url)
    ld = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    assert next(d for d in ld if d["@type"] == "Product")["description"] == PAYLOADS[1]
    assert_inert(html, html, "JSON-LD")
    # search result cards (records built with strip_tags) show no description markup
    rebuild()
    results = get(client, "/tim-kiem/?q=vai+thieu")
    assert '<h3 class="card-title">' in results and "Thanh Hà" in results  # found (words marked)
    assert_inert(results, results, "search results")


def test_producer_story_paragraphs_are_sanitised(client):
    producer = make_producer(title="HTX Câu chuyện")
    check_surface(client, producer.url, save_story(ProducerPage, producer.pk), producer)


def test_producer_index_intro_is_sanitised(client):
    producer = make_producer(title="HTX Danh sách")
    index = producer_index()
    check_surface(client, index.url, update(ProducerIndexPage, index.pk, "intro"), producer)


def test_campaign_pages_are_sanitised(client):
    campaign = make_campaign("Tuần lễ vải thiều")
    index = campaign_index()
    check_surface(client, index.url, update(CampaignIndexPage, index.pk, "intro"), campaign)
    check_surface(client, campaign.url, save_story(CampaignPage, campaign.pk), campaign)


def test_standard_page_body_is_sanitised(client):
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=StandardPage(title="Giới thiệu", slug="gioi-thieu-thu"))
    check_surface(client, page.url, update(StandardPage, page.pk, "body"), page)


def cache_embed(url, html):
    """An embed as Wagtail's finder would have stored it (no network in tests)."""
    Embed.objects.create(url=url, hash=get_embed_hash(url), type="video", html=html, width=640, height=360)


@pytest.fixture
def embeds():
    cache_embed(YOUTUBE, f'<iframe width="640" height="360" src="{YOUTUBE_PLAYER}" title="Vải thiều" '
                         'frameborder="0" allow="autoplay; encrypted-media" allowfullscreen></iframe>')
    cache_embed(EVIL_VIDEO, '<script>alert(1)</script><iframe src="https://evil.example/player" '
                            'onload="alert(1)"></iframe><svg onload=alert(1)></svg>')


def test_videos_keep_only_youtube_and_vimeo_players(client, embeds):
    producer = make_producer(title="HTX Video")
    page = ProducerPage.objects.get(pk=producer.pk)
    page.story = [("video", YOUTUBE)]
    page.save()
    baseline = get(client, producer.url)
    assert f'src="{YOUTUBE_PLAYER.replace("&", "&amp;")}"' in baseline and "allowfullscreen" in baseline
    page.story = [("video", EVIL_VIDEO)]
    page.save()
    html = get(client, producer.url)
    assert_inert(html, baseline, "evil embed")
    assert "evil.example/player" not in html and f'<a href="{EVIL_VIDEO}">' in html  # a plain link instead
    # the same in a standard page's rich text (Wagtail's default features include embeds)
    home = Site.objects.get(is_default_site=True).root_page
    standard = home.add_child(instance=StandardPage(title="Video", slug="video-thu", body=(
        f'<embed embedtype="media" url="{YOUTUBE}"/>')))
    baseline = get(client, standard.url)
    assert YOUTUBE_PLAYER.replace("&", "&amp;") in baseline
    StandardPage.objects.filter(pk=standard.pk).update(body=(
        f'<embed embedtype="media" url="{YOUTUBE}"/><embed embedtype="media" url="{EVIL_VIDEO}"/>'))
    html = get(client, standard.url)
    assert YOUTUBE_PLAYER.replace("&", "&amp;") in html and "evil.example/player" not in html
    assert_inert(html, baseline, "rich text embeds")


def test_the_editor_accepts_youtube_and_vimeo_videos_only(embeds):
    video = StoryBlock().child_blocks["video"]
    assert video.clean(video.to_python(YOUTUBE)).url == YOUTUBE
    with pytest.raises(ValidationError):
        video.clean(video.to_python(EVIL_VIDEO))


def test_story_values_render_sanitised_however_a_template_shows_them():
    value = StoryBlock().to_python([{"type": "paragraph", "value": PAYLOADS[1] + "<p><b>đậm</b></p>"}])
    for html in (str(value[0].value), value[0].render(), value.render_as_block(), value[0].value.__html__()):
        assert "onerror" not in html and "<b>đậm</b>" in html
