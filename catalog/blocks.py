"""StreamField blocks for producers' stories."""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.embeds.format import embed_to_frontend_html
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from catalog import richtext


class SafeRichText(RichText):
    """A paragraph's value that renders sanitised however a template shows it (`{{ block }}`,
    `{% include_block %}`, `{{ block.value }}`, `|richtext`): stored HTML may not come from the editor."""

    def __html__(self):
        return richtext.render(self.source)


class SafeRichTextBlock(blocks.RichTextBlock):
    """Wagtail's RichTextBlock with `SafeRichText` values; the stored JSON is unchanged."""

    def to_python(self, value):
        return SafeRichText(value)

    def normalize(self, value):
        if isinstance(value, SafeRichText):
            return value
        return SafeRichText(value.source if isinstance(value, RichText) else super().normalize(value).source)

    def value_from_form(self, value):
        return SafeRichText(value)


class SafeEmbedValue(EmbedValue):
    """An embed whose provider HTML is sanitised: only a YouTube or Vimeo player frame is kept."""

    @cached_property
    def provider_html(self):
        return embed_to_frontend_html(self.url, self.max_width, self.max_height)

    @cached_property
    def html(self):
        return richtext.embed(self.provider_html, self.url)


def _safe_embed(value):
    if isinstance(value, EmbedValue) and not isinstance(value, SafeEmbedValue):
        return SafeEmbedValue(value.url, value.max_width, value.max_height)
    return value


class SafeEmbedBlock(EmbedBlock):
    """Wagtail's EmbedBlock with `SafeEmbedValue` values; the editor accepts YouTube and Vimeo videos only
    (what the sanitised rendering and the site's Content-Security-Policy let play)."""

    def get_default(self):
        return _safe_embed(super().get_default())

    def to_python(self, value):
        return _safe_embed(super().to_python(value))

    def value_from_form(self, value):
        return _safe_embed(super().value_from_form(value))

    def normalize(self, value):
        return _safe_embed(super().normalize(value))

    def clean(self, value):
        value = _safe_embed(value)
        if isinstance(value, SafeEmbedValue) and value.provider_html and "<iframe" not in value.html:
            raise ValidationError(_("Chỉ nhúng được video YouTube hoặc Vimeo."))
        return super().clean(value)  # no embed found at all: Wagtail's own message


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Ảnh")
        template = "catalog/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Trích dẫn"))
    attribution = blocks.CharBlock(label=_("Người nói"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Trích dẫn")
        template = "catalog/blocks/quote.html"


class StoryBlock(blocks.StreamBlock):
    paragraph = SafeRichTextBlock(
        label=_("Đoạn văn"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    image = CaptionedImageBlock()
    gallery = blocks.ListBlock(
        CaptionedImageBlock(), label=_("Bộ sưu tập ảnh"), template="catalog/blocks/gallery.html"
    )
    video = SafeEmbedBlock(label=_("Video"), help_text=_("Đường dẫn YouTube hoặc Vimeo"), icon="media")
    quote = QuoteBlock()


# Migrations record Wagtail's own blocks: these subclasses only change how values render.
DECONSTRUCT_ALIASES = {
    SafeRichTextBlock: "wagtail.blocks.RichTextBlock",
    SafeEmbedBlock: "wagtail.embeds.blocks.EmbedBlock",
}
