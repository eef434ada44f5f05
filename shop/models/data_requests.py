"""A log of buyers' requests under the Personal Data Protection Law (Law 91/2025/QH15): each
export, account deletion or consent withdrawal writes one row, so staff can show when it was asked
and when it was done."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The shop's own target for answering a request: 72 hours. Law 91 sets deadlines for data subjects'
# requests; ours is shorter on purpose, and an export or deletion done online is done at once anyway.
ANSWER_WITHIN = datetime.timedelta(hours=72)


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "xuat", _("Tải dữ liệu")
        DELETE = "xoa", _("Xoá tài khoản")
        WITHDRAW_CONSENT = "rut-dong-y", _("Rút lại đồng ý")

    kind = models.CharField(_("loại yêu cầu"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="data_requests", verbose_name=_("tài khoản"))
    # Kept after the account is deleted: who asked, to answer a later question about it.
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    due_by = models.DateTimeField(_("hạn xử lý"))
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    # How staff answered a request they closed by hand (those done online close themselves).
    note = models.TextField(_("ghi chú xử lý"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.email}"

    def save(self, *args, **kwargs):
        if self.due_by is None:
            self.due_by = (self.created_at or timezone.now()) + ANSWER_WITHIN
        super().save(*args, **kwargs)


class BuyerConsent(models.Model):
    """What a buyer agreed to beyond the sale itself: marketing e-mail, asked for separately and
    unticked at sign-up (Law 91 wants consent given freely, for one purpose, and withdrawable)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent",
                                verbose_name=_("tài khoản"))
    marketing = models.BooleanField(_("nhận email giới thiệu sản phẩm và khuyến mãi"), default=False)
    marketing_changed_at = models.DateTimeField(_("đổi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đồng ý của người mua")
        verbose_name_plural = _("đồng ý của người mua")
