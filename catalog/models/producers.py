"""Producers as Wagtail pages: Home → Producers index → Producer (→ its products, `products.py`)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager, PageQuerySet

from catalog import identity
from catalog.admin_form import FormByPath
from catalog.blocks import StoryBlock
from catalog.listing import paginate
from catalog.models.renditions import THUMB_RENDITION


class ProducerPageQuerySet(PageQuerySet):
    def live(self):
        """Wagtail's live pages less producers a moderator took down or suspended (`catalog.takedowns`)."""
        return super().live().filter(taken_down_at__isnull=True)

    def for_listing(self):
        return self.select_related("province", "commune", "legacy_province", "legacy_district").prefetch_related(
            Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(THUMB_RENDITION))
        )


class ProducerIndexPage(Page):
    """The list of all producers (chủ thể OCOP)."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page", "storefront.HomePage"]
    subpage_types = ["catalog.ProducerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh sách chủ thể")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        producers = ProducerPage.objects.live().child_of(self).for_listing()
        context["producers"] = paginate(request, producers, per_page=24)
        return context


class ProducerPage(Page):
    """A producer (chủ thể): cooperative, firm, household or co-operative group, with its story."""

    class LegalForm(models.TextChoices):
        COOPERATIVE = "htx", _("Hợp tác xã")
        ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
        HOUSEHOLD = "ho_kinh_doanh", _("Hộ kinh doanh")
        COOPERATIVE_GROUP = "to_hop_tac", _("Tổ hợp tác")

    legal_form = models.CharField(_("loại hình"), max_length=20, choices=LegalForm.choices)
    intro = models.TextField(_("giới thiệu ngắn"), max_length=500, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("logo"),
    )
    street_address = models.CharField(_("số nhà, đường, thôn/xóm"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "catalog.Commune", on_delete=models.PROTECT, related_name="producers", verbose_name=_("xã/phường")
    )
    province = models.ForeignKey(
        "catalog.Province", on_delete=models.PROTECT, related_name="producers",
        verbose_name=_("tỉnh/thành phố"),
    )
    legacy_province = models.ForeignKey(
        "catalog.LegacyProvince", null=True, blank=True, on_delete=models.PROTECT,
        related_name="producers", verbose_name=_("tỉnh cũ (trước 7/2025)"),
    )
    legacy_district = models.ForeignKey(
        "catalog.LegacyDistrict", null=True, blank=True, on_delete=models.PROTECT,
        related_name="producers", verbose_name=_("huyện cũ (trước 7/2025)"),
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.CharField(_("người đại diện"), max_length=150, blank=True)
    standards = ParentalManyToManyField("catalog.Standard", blank=True, verbose_name=_("tiêu chuẩn đạt được"))
    story = StreamField(StoryBlock(), blank=True, verbose_name=_("câu chuyện"))
    # Who is selling (catalog.identity): shown on the public page, except the owner's ID number.
    legal_name = models.CharField(_("tên đăng ký"), max_length=255, blank=True,
                                  help_text=_("Như trên giấy chứng nhận đăng ký; có thể khác tên trang."))
    registration_number = models.CharField(
        _("mã số doanh nghiệp / mã số thuế"), max_length=20, blank=True,
        help_text=_("10 chữ số (hoặc 10 chữ số-3 chữ số); hộ kinh doanh: số đăng ký hộ kinh doanh."))
    owner_id_number = models.CharField(
        _("số CCCD của chủ hộ"), max_length=12, blank=True, validators=[identity.validate_citizen_id],
        help_text=_("Chỉ với hộ kinh doanh: 12 chữ số. Không hiển thị công khai."))
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("xác minh bởi"))
    identity_checked_at = models.DateTimeField(_("xác minh lúc"), null=True, blank=True)
    # Set by `catalog.takedowns` only (hidden after a report, or suspended): the page and all its
    # products leave the site and nothing of it can be bought.
    taken_down_at = models.DateTimeField(_("tạm ẩn lúc"), null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("legal_form"), FieldPanel("representative")]),
        FieldPanel("intro"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("province"), FieldPanel("commune")],
            heading=_("Địa chỉ hiện nay (sau sáp nhập 7/2025)"),
        ),
        MultiFieldPanel(
            [FieldPanel("legacy_province"), FieldPanel("legacy_district")],
            heading=_("Địa danh cũ (trên giấy chứng nhận, bài báo)"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")], heading=_("Liên hệ")
        ),
        FieldPanel("standards", widget=forms.CheckboxSelectMultiple),
        FieldPanel("story"),
        MultiFieldPanel(
            [FieldPanel("legal_name"), FieldPanel("registration_number"), FieldPanel("owner_id_number"),
             FieldPanel("identity_checked_by", read_only=True), FieldPanel("identity_checked_at", read_only=True)],
            heading=_("Thông tin pháp lý"),
            help_text=_("Địa chỉ và điện thoại ở trên cũng là thông tin pháp lý. Sửa bất kỳ mục nào sau khi "
                        "cán bộ OCOP tỉnh đã xác minh thì phải xác minh lại."),
        ),
    ]
    exclude_fields_in_copy = list(identity.CHECK_FIELDS)  # a copy is checked afresh
    parent_page_types = ["catalog.ProducerIndexPage"]
    subpage_types = ["catalog.ProductPage"]
    base_form_class = FormByPath("catalog.forms.ProducerPageForm")

    objects = PageManager.from_queryset(ProducerPageQuerySet)()

    class Meta:
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")

    def clean(self):
        super().clean()
        errors = {}
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            errors["commune"] = _("Xã/phường %(commune)s không thuộc %(province)s.") % {
                "commune": self.commune.name, "province": self.province.name,
            }
        if self.legacy_district_id:
            if not self.legacy_province_id:
                errors["legacy_province"] = _("Hãy chọn tỉnh cũ của huyện cũ đã chọn.")
            elif self.legacy_district.legacy_province_id != self.legacy_province_id:
                errors["legacy_district"] = _("Huyện %(district)s không thuộc tỉnh %(province)s cũ.") % {
                    "district": self.legacy_district.name, "province": self.legacy_province.name,
                }
        if (
            self.legacy_province_id and self.province_id
            and self.legacy_province.current_province_id != self.province_id
        ):
            errors["legacy_province"] = _("%(legacy)s cũ nay thuộc %(current)s, không phải %(chosen)s.") % {
                "legacy": self.legacy_province.name,
                "current": self.legacy_province.current_province.name,
                "chosen": self.province.name,
            }
        errors.update(identity.field_errors(self))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        cleared = identity.clear_check_if_changed(self, kwargs.get("update_fields"))
        if cleared and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | cleared
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        """A revision (draft, publish, revert) keeps the stored check: only `identity.check` sets it."""
        page = super().with_content_json(content)
        page.identity_checked_by_id, page.identity_checked_at = self.identity_checked_by_id, self.identity_checked_at
        page.taken_down_at = self.taken_down_at  # only `catalog.takedowns` sets it
        return page

    @property
    def can_sell(self) -> bool:
        return identity.can_sell(self)

    @property
    def full_address(self) -> str:
        parts = [self.street_address, self.commune.name, self.province.name]
        return ", ".join(part for part in parts if part)

    @property
    def legacy_place(self) -> str:
        """The place as older certificates and articles name it: "Thanh Hà, Hải Dương"."""
        parts = [
            self.legacy_district.short_name if self.legacy_district_id else "",
            self.legacy_province.short_name if self.legacy_province_id else "",
        ]
        return ", ".join(part for part in parts if part)

    def serve(self, request, *args, **kwargs):
        from catalog import takedowns  # it imports the models

        if takedowns.is_taken_down(self):
            return takedowns.notice(request, self)
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return [] if self.taken_down_at else super().get_sitemap_urls(request)  # see `catalog.takedowns`

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = self.products.live().for_listing()  # kept in sync with the tree: its children
        context["fairs"] = self.upcoming_fairs()
        return context

    def upcoming_fairs(self):
        """Published fairs this producer takes part in that are not over yet."""
        return self.trade_fairs.upcoming(timezone.localdate()).for_listing()
