"""Reports of violating listings and what moderators did about them (a trading floor removes
violating listings fast: Decree 52/2013 as amended by Decree 85/2021). Anyone reports a product
or producer page; the producer's province officers and national admins decide within
`DECIDE_WITHIN`. Every decision, warning and suspension is one `ListingAction` row, never changed
or deleted. The operations live in `catalog.takedowns`."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DECIDE_WITHIN = datetime.timedelta(hours=24)
DETAILS_MAX = 2000
NOTE_MAX = 1000


class ListingReport(models.Model):
    class Reason(models.TextChoices):
        COUNTERFEIT = "hang-gia", _("Hàng giả, hàng nhái")
        WRONG_STARS = "sai-sao", _("Ghi sai hạng sao hoặc chứng nhận OCOP")
        BANNED = "hang-cam", _("Hàng cấm hoặc không được phép bán")
        INTELLECTUAL_PROPERTY = "so-huu-tri-tue", _("Vi phạm sở hữu trí tuệ (nhãn hiệu, hình ảnh, chỉ dẫn địa lý)")
        OTHER = "khac", _("Vi phạm khác")

    class Status(models.TextChoices):
        OPEN = "cho-xu-ly", _("Chờ xử lý")
        UPHELD = "vi-pham", _("Có vi phạm")
        DISMISSED = "khong-vi-pham", _("Không vi phạm")

    # The producer is always set (a product's own producer): it decides whose officers see it.
    producer = models.ForeignKey("catalog.ProducerPage", null=True, on_delete=models.SET_NULL,
                                 related_name="listing_reports", verbose_name=_("chủ thể"))
    product = models.ForeignKey("catalog.ProductPage", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="listing_reports", verbose_name=_("sản phẩm"))
    listing_title = models.CharField(_("trang bị báo cáo"), max_length=255)  # kept if the page is deleted
    about_product = models.BooleanField(default=False, editable=False)  # still known once the product is deleted
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("mô tả"), max_length=DETAILS_MAX)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="listing_reports", verbose_name=_("người báo cáo"))
    reporter_email = models.EmailField(_("email người báo cáo"), blank=True)
    created_at = models.DateTimeField(_("báo cáo lúc"), default=timezone.now, db_index=True)
    due_by = models.DateTimeField(_("hạn quyết định"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người quyết định"))
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ghi chú quyết định"), max_length=NOTE_MAX, blank=True)
    overdue_notified_at = models.DateTimeField(_("đã báo quá hạn lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo vi phạm")
        verbose_name_plural = _("báo cáo vi phạm")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_by"])]

    def __str__(self):
        return f"BC{self.pk} · {self.listing_title}"

    def save(self, *args, **kwargs):
        if self.due_by is None:
            self.due_by = (self.created_at or timezone.now()) + DECIDE_WITHIN
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"BC{self.pk:06d}"

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.OPEN and self.due_by < (now or timezone.now())


class ListingAction(models.Model):
    """One decision about a listing or a producer, as it was taken: the log officers, national
    admins and (for its own listings) the producer read."""

    class Kind(models.TextChoices):
        HIDE = "an", _("Ẩn trang")
        RESTORE = "hien-lai", _("Hiện lại trang")
        UPHOLD = "co-vi-pham", _("Kết luận có vi phạm")
        DISMISS = "khong-vi-pham", _("Kết luận không vi phạm")
        WARN = "canh-cao", _("Cảnh cáo chủ thể")
        SUSPEND = "dinh-chi", _("Đình chỉ chủ thể")
        REINSTATE = "go-dinh-chi", _("Gỡ đình chỉ chủ thể")

    producer = models.ForeignKey("catalog.ProducerPage", null=True, on_delete=models.SET_NULL,
                                 related_name="listing_actions", verbose_name=_("chủ thể"))
    product = models.ForeignKey("catalog.ProductPage", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="listing_actions", verbose_name=_("sản phẩm"))
    report = models.ForeignKey(ListingReport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="actions", verbose_name=_("báo cáo"))
    listing_title = models.CharField(_("trang"), max_length=255)
    kind = models.CharField(_("quyết định"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("lý do"), max_length=NOTE_MAX)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("người quyết định"))
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("quyết định xử lý vi phạm")
        verbose_name_plural = _("quyết định xử lý vi phạm")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.listing_title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A listing action is a record: it is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A listing action is a record: it is never deleted.")
