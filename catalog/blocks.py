"""StreamField blocks for producers' stories."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


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
    paragraph = blocks.RichTextBlock(
        label=_("Đoạn văn"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    image = CaptionedImageBlock()
    gallery = blocks.ListBlock(
        CaptionedImageBlock(), label=_("Bộ sưu tập ảnh"), template="catalog/blocks/gallery.html"
    )
    video = EmbedBlock(label=_("Video"), help_text=_("Đường dẫn YouTube hoặc Vimeo"), icon="media")
    quote = QuoteBlock()
