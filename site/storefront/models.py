"""Site-wide pages and settings: the home page, standard pages, footer and contact details."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    hero_title = models.CharField(_("tiêu đề lớn"), max_length=200, blank=True)
    hero_text = models.TextField(_("lời giới thiệu"), blank=True)
    featured_limit = models.PositiveSmallIntegerField(_("số sản phẩm nổi bật"), default=8)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("featured_limit"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        from storefront.home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self))
        return context


class StandardPage(Page):
    """A plain page: about us, buying guide, policies."""

    body = RichTextField(_("nội dung"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("trang nội dung")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and footer text editors can change without a deploy."""

    hotline = models.CharField(_("đường dây nóng"), max_length=30, blank=True)
    email = models.EmailField(_("email liên hệ"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    footer_text = models.TextField(_("chân trang"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("hotline"), FieldPanel("email"), FieldPanel("address")], heading=_("Liên hệ")),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("cài đặt trang")
