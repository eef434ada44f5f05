"""Site-wide pages and settings: the home page, standard pages, footer and contact details."""

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from catalog.admin_form import FormByPath
from catalog.roles import Scope
from storefront.home import home_context


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
    # Who runs the trading floor, shown in every page's footer (Decree 52/2013, amended by 85/2021).
    operator_name = models.CharField(_("tên thương nhân, tổ chức vận hành sàn"), max_length=255, blank=True)
    business_registration = models.CharField(
        _("số đăng ký kinh doanh hoặc quyết định thành lập"), max_length=100, blank=True,
    )
    business_registration_issued = models.CharField(
        _("nơi cấp, ngày cấp"), max_length=255, blank=True,
        help_text=_("Ví dụ: Sở Kế hoạch và Đầu tư TP. Hà Nội cấp lần đầu ngày 12/03/2019."),
    )
    moit_registration_url = models.URLField(
        _("đường dẫn đăng ký với Bộ Công Thương"), max_length=500, blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Trang thông báo/đăng ký của website trên online.gov.vn. Khi có, chân trang hiện "
                    "biểu tượng “Đã đăng ký Bộ Công Thương” dẫn tới trang này."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("hotline"), FieldPanel("email"), FieldPanel("address")], heading=_("Liên hệ")),
        MultiFieldPanel([
            FieldPanel("operator_name"), FieldPanel("business_registration"),
            FieldPanel("business_registration_issued"), FieldPanel("moit_registration_url"),
        ], heading=_("Thương nhân vận hành sàn")),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("cài đặt trang")


class ProvinceTarget(models.Model):
    """A province's yearly goal: at least N products newly certified with ≥ min_stars that year.

    Officers enter these as snippets; the figures page shows progress against them
    (`storefront.figures.with_progress`).
    """

    province = models.ForeignKey(
        "catalog.Province", on_delete=models.CASCADE, related_name="ocop_targets",
        verbose_name=_("tỉnh/thành phố"),
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    min_stars = models.PositiveSmallIntegerField(
        _("từ số sao"), default=3,
        choices=[(3, _("Từ 3 sao")), (4, _("Từ 4 sao")), (5, _("5 sao"))],
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    new_products = models.PositiveIntegerField(
        _("số sản phẩm mới"), validators=[MinValueValidator(1)],
        help_text=_("Số sản phẩm được công nhận mới trong năm, đạt từ số sao trên trở lên."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    ocop_scope = Scope(province="province")
    base_form_class = FormByPath("catalog.forms.ScopedModelForm")

    panels = [
        FieldPanel("province"),
        FieldPanel("year"),
        FieldPanel("min_stars"),
        FieldPanel("new_products"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-year", "province__short_name", "min_stars"]
        verbose_name = _("chỉ tiêu OCOP của tỉnh")
        verbose_name_plural = _("chỉ tiêu OCOP của tỉnh")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "min_stars"], name="province_target_unique_per_year_stars"
            ),
            models.CheckConstraint(
                condition=Q(min_stars__gte=3, min_stars__lte=5), name="province_target_min_stars_3_to_5"
            ),
            models.CheckConstraint(condition=Q(new_products__gte=1), name="province_target_at_least_one"),
        ]

    def __str__(self):
        return _("%(province)s %(year)s: %(count)s sản phẩm từ %(stars)s sao") % {
            "province": self.province.short_name if self.province_id else "",
            "year": self.year, "count": self.new_products, "stars": self.min_stars,
        }


class ScheduledRun(models.Model):
    """A periodic job's run that a scheduler enqueued: one row per task and due time, so that
    several schedulers enqueue each run once (`storefront.scheduler`)."""

    task = models.CharField(_("tác vụ"), max_length=200)
    due_at = models.DateTimeField(_("đến hạn lúc"))
    enqueued_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), auto_now_add=True)
    scheduler = models.CharField(_("bộ hẹn giờ"), max_length=100, blank=True)
    result_id = models.CharField(_("mã kết quả"), max_length=64, blank=True)

    class Meta:
        ordering = ["-due_at", "task"]
        verbose_name = _("lần chạy định kỳ")
        verbose_name_plural = _("lần chạy định kỳ")
        constraints = [models.UniqueConstraint(fields=["task", "due_at"], name="scheduled_run_once")]

    def __str__(self):
        return f"{self.task} @ {self.due_at:%Y-%m-%d %H:%M}"
