"""Returns and complaints (the Consumer Protection Law 2023 asks for a complaint path): a buyer's
request on a delivered parcel, the producer's answer, the officer's or national admin's decision,
and every step's log. Moved only by `shop.returns`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class ReturnWindow(models.Model):
    """How long after delivery a buyer may open a request, per product group (48 hours for fresh
    food, say); groups without one use `SHOP_RETURN_WINDOW_HOURS`."""

    group = models.OneToOneField("catalog.ProductGroup", on_delete=models.CASCADE, related_name="return_window",
                                 verbose_name=_("nhóm sản phẩm"))
    hours = models.PositiveIntegerField(_("số giờ sau khi nhận hàng"))

    panels = [FieldPanel("group"), FieldPanel("hours")]

    class Meta:
        verbose_name = _("thời hạn đổi trả")
        verbose_name_plural = _("thời hạn đổi trả")

    def __str__(self):
        return f"{self.group}: {self.hours} giờ"


class ReturnRequest(models.Model):
    class Reason(models.TextChoices):
        SPOILED = "hong", _("Hàng hỏng, dập, kém chất lượng")
        WRONG = "sai", _("Giao sai sản phẩm hoặc quy cách")
        MISSING = "thieu", _("Thiếu hàng")
        NOT_AS_DESCRIBED = "khac-mo-ta", _("Không đúng mô tả")
        OTHER = "khac", _("Lý do khác")

    class Remedy(models.TextChoices):
        REFUND = "hoan-tien", _("Hoàn tiền")
        REPLACEMENT = "doi-hang", _("Đổi hàng")

    class Status(models.TextChoices):
        OPEN = "cho-chu-the", _("Chờ chủ thể trả lời")
        ACCEPTED = "chu-the-dong-y", _("Chủ thể đồng ý")
        ANSWERED = "chu-the-tu-choi", _("Chủ thể không đồng ý")
        ESCALATED = "cho-phan-xu", _("Chờ cán bộ giải quyết")
        UPHELD = "chap-nhan", _("Đã giải quyết: chấp nhận")
        REJECTED = "tu-choi", _("Đã giải quyết: không chấp nhận")
        WITHDRAWN = "rut", _("Người mua đã rút")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    suborder = models.ForeignKey("shop.SubOrder", on_delete=models.PROTECT, related_name="return_requests",
                                 verbose_name=_("phần đơn"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="return_requests")
    reason = models.CharField(_("lý do"), max_length=12, choices=Reason.choices)
    description = models.TextField(_("mô tả"), max_length=2000)
    remedy = models.CharField(_("mong muốn"), max_length=10, choices=Remedy.choices, default=Remedy.REFUND)
    amount = models.PositiveBigIntegerField(_("số tiền đề nghị hoàn (đồng)"), default=0)
    refund_account = models.CharField(_("tài khoản nhận hoàn tiền"), max_length=200, blank=True,
                                      help_text=_("Cho đơn COD hoặc chuyển khoản: ngân hàng, số tài khoản, chủ tài khoản."))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    answer_by = models.DateTimeField(_("chủ thể trả lời trước"))
    refund = models.OneToOneField("shop.Refund", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="return_request")
    created_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yêu cầu đổi trả")
        verbose_name_plural = _("yêu cầu đổi trả")
        ordering = ["-created_at"]


class ReturnPhoto(models.Model):
    """A buyer's photo of what arrived: re-encoded without EXIF, served only to the three parties."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="doi-tra/%Y/%m/")


class ReturnEvent(models.Model):
    """One step of a request: who did what (and wrote what), for the three parties to read."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=ReturnRequest.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
