"""Payment notifications from outside the shop: bank-transfer notification services (payOS, Casso, SePay) and
the payment gateways (VNPay, MoMo). Each is kept once per provider and transaction reference, in
the transaction that acts on it, so a replayed or concurrent delivery changes nothing; what was
done with it (`outcome`) is what staff see on the "unmatched transfers" screen."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentNotice(models.Model):
    class Provider(models.TextChoices):
        PAYOS = "payos", "payOS"
        CASSO = "casso", "Casso"
        SEPAY = "sepay", "SePay"
        VNPAY = "vnpay", "VNPay"
        MOMO = "momo", "MoMo"

    class Outcome(models.TextChoices):
        PAID = "paid", _("Khớp đơn, đã ghi nhận thanh toán")
        UNMATCHED = "unmatched", _("Chưa khớp đơn")
        ASSIGNED = "assigned", _("Nhân viên đã gán cho đơn")
        REFUNDED = "refunded", _("Đã hoàn lại cho người chuyển")
        FAILED = "failed", _("Giao dịch không thành công")

    provider = models.CharField(_("nguồn"), max_length=10, choices=Provider.choices)
    reference = models.CharField(_("mã giao dịch"), max_length=100, help_text="The provider's own transaction id.")
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="payment_notices", verbose_name=_("đơn hàng"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    message = models.CharField(_("nội dung chuyển khoản"), max_length=500, blank=True)
    payer = models.CharField(_("người chuyển"), max_length=200, blank=True, help_text="Name or account, as sent.")
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, db_index=True)
    problem = models.CharField(_("lý do chưa khớp"), max_length=300, blank=True)
    payload = models.JSONField(default=dict, help_text="The notification's data, as received and verified.")
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người xử lý"))
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    handled_note = models.CharField(_("ghi chú xử lý"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thông báo thanh toán")
        verbose_name_plural = _("thông báo thanh toán")
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "reference"], name="payment_notice_once")]

    def __str__(self):
        return f"{self.get_provider_display()} {self.reference}"
