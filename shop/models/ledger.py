"""What the platform owes each producer: an append-only ledger, the dated rates it applies
(commission; tax withheld under Decree 117/2025/NĐ-CP), the bank accounts producers give, and the
payout statements that gather settled entries. Written only by `shop.ledger` and `shop.payouts`.

Amounts are signed integer đồng from the producer's side: + owed to it (goods, its parcel's
delivery fee), − kept back (commission, tax withheld, refunds, payouts). An entry is never edited
or deleted: a refund writes reversing entries."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

BASIS_POINTS = 10_000  # 100 basis points = 1 %


class TaxRate(models.Model):
    """A withholding rate from a date (Decree 117/2025/NĐ-CP: the platform withholds VAT and personal
    income tax on household and individual sellers' sales; 1 % and 0.5 % for goods)."""

    class Tax(models.TextChoices):
        VAT = "gtgt", _("Thuế GTGT")
        PIT = "tncn", _("Thuế TNCN")

    tax = models.CharField(_("loại thuế"), max_length=10, choices=Tax.choices)
    basis_points = models.PositiveIntegerField(_("thuế suất (phần vạn)"), validators=[MaxValueValidator(BASIS_POINTS)],
                                               help_text=_("100 phần vạn = 1%."))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    legal_basis = models.CharField(_("căn cứ"), max_length=200, blank=True)

    panels = [FieldPanel("tax"), FieldPanel("basis_points"), FieldPanel("valid_from"), FieldPanel("legal_basis")]

    class Meta:
        verbose_name = _("thuế suất khấu trừ")
        verbose_name_plural = _("thuế suất khấu trừ")
        ordering = ["tax", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["tax", "valid_from"], name="tax_rate_once_per_day")]

    def __str__(self):
        return f"{self.get_tax_display()} {self.basis_points / 100:g}% ({self.valid_from:%d/%m/%Y})"


class CommissionRate(models.Model):
    """The platform's commission from a date: for one producer, else one product group, else everyone
    (both blank). The most specific rate in force on the sale's day applies; none means 0."""

    producer = models.ForeignKey("catalog.ProducerPage", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("chủ thể"))
    group = models.ForeignKey("catalog.ProductGroup", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("nhóm sản phẩm"))
    basis_points = models.PositiveIntegerField(_("hoa hồng (phần vạn)"), validators=[MaxValueValidator(BASIS_POINTS)],
                                               help_text=_("100 phần vạn = 1%."))
    valid_from = models.DateField(_("áp dụng từ ngày"))

    panels = [FieldPanel("producer"), FieldPanel("group"), FieldPanel("basis_points"), FieldPanel("valid_from")]

    class Meta:
        verbose_name = _("mức hoa hồng")
        verbose_name_plural = _("mức hoa hồng")
        ordering = ["-valid_from"]

    def __str__(self):
        target = self.producer or self.group or _("mọi chủ thể")
        return f"{target}: {self.basis_points / 100:g}% ({self.valid_from:%d/%m/%Y})"

    def clean(self):
        if self.producer_id and self.group_id:
            raise ValidationError(_("Chọn một chủ thể hoặc một nhóm sản phẩm, không chọn cả hai."))


class EntryKind(models.TextChoices):
    GOODS = "hang", _("Tiền hàng")
    SHIPPING = "van-chuyen", _("Phí giao hàng")
    COMMISSION = "hoa-hong", _("Hoa hồng sàn")
    PAYMENT_FEE = "phi-tt", _("Phí thanh toán")
    VAT = "thue-gtgt", _("Thuế GTGT khấu trừ")
    PIT = "thue-tncn", _("Thuế TNCN khấu trừ")


class LedgerEntry(models.Model):
    producer = models.ForeignKey("catalog.ProducerPage", on_delete=models.PROTECT, related_name="ledger_entries",
                                 verbose_name=_("chủ thể"))
    order = models.ForeignKey("shop.Order", on_delete=models.PROTECT, related_name="ledger_entries",
                              verbose_name=_("đơn hàng"))
    suborder = models.ForeignKey("shop.SubOrder", on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(_("khoản"), max_length=12, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    base = models.BigIntegerField(_("trên số tiền"), default=0, help_text="What a rate was applied to.")
    basis_points = models.PositiveIntegerField(default=0)
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals",
                                 help_text="A refund's entry: the sale entry it takes back (in part).")
    refund = models.ForeignKey("shop.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("bút toán")
        verbose_name_plural = _("sổ cái chủ thể")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["suborder", "kind"], condition=models.Q(reverses__isnull=True),
                                               name="ledger_sale_entry_once")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Ledger entries are never edited; write a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are never deleted; write a reversing entry.")


class Refund(models.Model):
    """Money given back to a buyer, through the order's method (a gateway's refund call, or a bank
    transfer staff make and record). Its ledger entries take back the producers' share."""

    class Status(models.TextChoices):
        DONE = "xong", _("Đã hoàn")
        FAILED = "loi", _("Không hoàn được")

    order = models.ForeignKey("shop.Order", on_delete=models.PROTECT, related_name="refunds",
                              verbose_name=_("đơn hàng"))
    suborder = models.ForeignKey("shop.SubOrder", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="refunds", help_text="Blank: the whole order.")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    goods = models.PositiveBigIntegerField(default=0, help_text="Of which goods (after discount).")
    shipping = models.PositiveBigIntegerField(default=0, help_text="Of which delivery fee.")
    method = models.CharField(_("hoàn qua"), max_length=10)
    reference = models.CharField(_("mã giao dịch hoàn"), max_length=100, blank=True)
    status = models.CharField(_("trạng thái"), max_length=5, choices=Status.choices, default=Status.DONE)
    reason = models.CharField(_("lý do"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hoàn tiền")
        verbose_name_plural = _("hoàn tiền")
        ordering = ["-created_at"]


class BankAccount(models.Model):
    """Where a producer is paid. A new account waits for a national admin's review before payouts
    use it, so a hijacked login cannot redirect the next payout; until then the old one is used."""

    class Status(models.TextChoices):
        PENDING = "cho-duyet", _("Chờ duyệt")
        ACTIVE = "dang-dung", _("Đang dùng")
        RETIRED = "ngung", _("Ngừng dùng")
        REFUSED = "tu-choi", _("Từ chối")

    producer = models.ForeignKey("catalog.ProducerPage", on_delete=models.CASCADE, related_name="bank_accounts",
                                 verbose_name=_("chủ thể"))
    bank_name = models.CharField(_("ngân hàng"), max_length=100)
    account_number = models.CharField(_("số tài khoản"), max_length=30)
    holder = models.CharField(_("chủ tài khoản"), max_length=100)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản nhận tiền")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["producer"], condition=models.Q(status="dang-dung"),
                                               name="one_active_bank_account")]

    def __str__(self):
        return f"{self.bank_name} {self.account_number} – {self.holder}"


class PayoutStatement(models.Model):
    """One producer's payout: the settled entries it gathers (`lines`), the account paid to (copied,
    so later changes do not rewrite it), and, once staff paid it, the bank's reference."""

    class Status(models.TextChoices):
        OPEN = "cho-chi", _("Chờ chi trả")
        PAID = "da-chi", _("Đã chi trả")

    number = models.CharField(_("số bảng kê"), max_length=20, unique=True)
    producer = models.ForeignKey("catalog.ProducerPage", on_delete=models.PROTECT, related_name="payouts",
                                 verbose_name=_("chủ thể"))
    settled_until = models.DateTimeField(_("gồm các khoản đến"))
    total = models.BigIntegerField(_("tổng chi (đồng)"))
    bank_name = models.CharField(_("ngân hàng"), max_length=100, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=30, blank=True)
    holder = models.CharField(_("chủ tài khoản"), max_length=100, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    bank_reference = models.CharField(_("mã giao dịch ngân hàng"), max_length=100, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    paid_at = models.DateTimeField(_("chi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bảng kê chi trả")
        verbose_name_plural = _("bảng kê chi trả")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number


class PayoutLine(models.Model):
    """A ledger entry gathered into a statement: each entry in one statement at most, so a payout run
    started twice at once cannot pay an entry twice."""

    statement = models.ForeignKey(PayoutStatement, on_delete=models.PROTECT, related_name="lines")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="payout_line")
