"""OCOP recognition decisions: stars, score, issuing body and level, 36 months of validity."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.admin_form import FormByPath
from catalog.roles import Scope

VALIDITY_MONTHS = 36
# Decision 1489/QĐ-TTg: from July 2025 there is no district level of recognition.
NO_DISTRICT_LEVEL_FROM = datetime.date(2025, 7, 1)
# Decision 148/QĐ-TTg: stars by score out of 100 (1★ and 2★ are not OCOP certified).
STAR_SCORE_RANGES = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stars_for_score(score: int) -> int:
    """Stars that a score out of 100 earns under Decision 148 (1 to 5)."""
    if score >= 90:
        return 5
    if score >= 70:
        return 4
    if score >= 50:
        return 3
    return 2 if score >= 30 else 1


# --- The rule: which certificate a product stands on ---------------------------------------------
# One rule for pages, listings, campaigns, search records and hits. The functions read attributes
# (`decision_date`, `expires_on`, `revoked_on`, `pk`, `stars`), so they take model instances and
# named rows (`values_list(..., named=True)`) alike; `CertificateQuerySet.valid_on` and
# `current_stars` below are their SQL twins.

def is_revoked_on(certificate, day: datetime.date) -> bool:
    return certificate.revoked_on is not None and certificate.revoked_on <= day


def is_valid_on(certificate, day: datetime.date) -> bool:
    """In force on `day`: decided, not expired, not revoked."""
    return certificate.decision_date <= day <= certificate.expires_on and not is_revoked_on(certificate, day)


def newest_first(certificates) -> list:
    return sorted(certificates, key=lambda c: (c.decision_date, c.pk), reverse=True)


def current_certificate(certificates, day: datetime.date):
    """The latest decision valid on `day`, or None: only it may show stars and the OCOP mark."""
    return next((c for c in newest_first(certificates) if is_valid_on(c, day)), None)


def lapse(certificates, day: datetime.date) -> str:
    """Why a product with a certificate history shows no stars on `day`: "revoked" when its latest
    decision was revoked, else "expired"; "" when it has a current certificate or no history."""
    history = newest_first(certificates)
    if not history or current_certificate(history, day) is not None:
        return ""
    return "revoked" if is_revoked_on(history[0], day) else "expired"


LAPSE_LABELS = {
    "revoked": _("Chứng nhận OCOP đã bị thu hồi"),
    "expired": _("Chứng nhận OCOP đã hết hạn"),
}


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """SQL twin of `is_valid_on`."""
        return self.filter(decision_date__lte=day, expires_on__gte=day).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)
        )

    def current_stars(self, product, day: datetime.date):
        """SQL twin of `current_certificate(...).stars`: a subquery for annotating products
        (`product` is usually `OuterRef("pk")`)."""
        latest_valid = self.valid_on(day).filter(product=product).order_by("-decision_date", "-pk")
        return Subquery(latest_valid.values("stars")[:1])

    def expiring_within(self, days: int, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.valid_on(today).filter(expires_on__lte=today + datetime.timedelta(days=days))


class Certificate(models.Model):
    """One recognition decision for one product; a product's current rating is its latest valid one."""

    class Level(models.TextChoices):
        DISTRICT = "huyen", _("Cấp huyện (trước 7/2025)")
        PROVINCE = "tinh", _("Cấp tỉnh")
        CENTRAL = "trung_uong", _("Cấp trung ương")

    product = models.ForeignKey(
        "catalog.ProductPage", on_delete=models.CASCADE, related_name="certificates", verbose_name=_("sản phẩm")
    )
    stars = models.PositiveSmallIntegerField(
        _("số sao"), choices=[(3, _("3 sao")), (4, _("4 sao")), (5, _("5 sao"))]
    )
    score = models.PositiveSmallIntegerField(
        _("điểm"), null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text=_("Điểm đánh giá trên thang 100: 3 sao 50–69, 4 sao 70–89, 5 sao 90–100."),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100, help_text=_("Ví dụ: 1234/QĐ-UBND"))
    decision_date = models.DateField(_("ngày quyết định"))
    issuing_body = models.CharField(
        _("cơ quan ban hành"), max_length=200, help_text=_("Ghi đúng như trên quyết định, ví dụ: UBND tỉnh Hải Dương")
    )
    level = models.CharField(_("cấp công nhận"), max_length=20, choices=Level.choices)
    expires_on = models.DateField(
        _("ngày hết hạn"), blank=True, help_text=_("Để trống để tự tính: 36 tháng kể từ ngày quyết định.")
    )
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)
    scan = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("bản quét quyết định"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()
    ocop_scope = Scope(producer="product__producer")
    base_form_class = FormByPath("catalog.forms.ScopedModelForm")

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("chứng nhận OCOP")
        verbose_name_plural = _("chứng nhận OCOP")
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | Q(stars=3, score__gte=50, score__lte=69)
                | Q(stars=4, score__gte=70, score__lte=89)
                | Q(stars=5, score__gte=90, score__lte=100),
                name="certificate_score_matches_stars",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("decision_date")), name="certificate_expires_after_decision"
            ),
            models.UniqueConstraint(
                fields=["product", "decision_number"], name="certificate_decision_unique_per_product"
            ),
        ]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self):
        return _("%(stars)s sao – QĐ %(number)s") % {"stars": self.stars, "number": self.decision_number}

    def save(self, *args, **kwargs):
        if self.decision_date and not self.expires_on:
            self.expires_on = add_months(self.decision_date, VALIDITY_MONTHS)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.stars is not None and self.stars not in STAR_SCORE_RANGES:
            errors["stars"] = _("Sản phẩm OCOP chỉ được công nhận từ 3 đến 5 sao.")
        if self.score is not None and self.stars in STAR_SCORE_RANGES:
            low, high = STAR_SCORE_RANGES[self.stars]
            if not low <= self.score <= high:
                errors["score"] = _("Điểm %(score)s tương ứng %(earned)s sao, không phải %(stars)s sao (cần %(low)s–%(high)s).") % {
                    "score": self.score, "earned": stars_for_score(self.score), "stars": self.stars,
                    "low": low, "high": high,
                }
        if self.decision_date:
            if self.decision_date > timezone.localdate():
                errors["decision_date"] = _("Ngày quyết định không được ở tương lai.")
            if self.expires_on and self.expires_on <= self.decision_date:
                errors["expires_on"] = _("Ngày hết hạn phải sau ngày quyết định.")
            if self.level == self.Level.DISTRICT and self.decision_date >= NO_DISTRICT_LEVEL_FROM:
                errors["level"] = _("Từ tháng 7/2025 không còn cấp huyện: UBND tỉnh công nhận 3 và 4 sao.")
        if self.stars == 5 and self.level and self.level != self.Level.CENTRAL:
            errors["level"] = _("Sản phẩm 5 sao do cấp trung ương công nhận.")
        if self.revoked_on and self.decision_date and self.revoked_on < self.decision_date:
            errors["revoked_on"] = _("Ngày thu hồi không được trước ngày quyết định.")
        if errors:
            raise ValidationError(errors)

    def is_revoked_on(self, day: datetime.date) -> bool:
        return is_revoked_on(self, day)

    def is_valid_on(self, day: datetime.date) -> bool:
        return is_valid_on(self, day)

    @property
    def days_left(self) -> int:
        return (self.expires_on - timezone.localdate()).days

    @property
    def status(self) -> str:
        """A word for editors: valid, expiring soon, expired, revoked."""
        today = timezone.localdate()
        if self.is_revoked_on(today):
            return "revoked"
        if self.expires_on < today:
            return "expired"
        if self.decision_date > today:
            return "pending"
        if self.days_left <= settings.OCOP_CERTIFICATE_WARNING_DAYS:
            return "expiring"
        return "valid"

    def get_status_display(self) -> str:
        return {
            "revoked": _("Đã thu hồi"),
            "expired": _("Đã hết hạn"),
            "pending": _("Chưa có hiệu lực"),
            "expiring": _("Sắp hết hạn (còn %(days)s ngày)") % {"days": self.days_left},
            "valid": _("Còn hiệu lực"),
        }[self.status]


class CertificateReminder(models.Model):
    """An expiry reminder already e-mailed for a certificate, so the daily job never repeats it."""

    class DaysBefore(models.IntegerChoices):
        NINETY = 90, _("90 ngày trước khi hết hạn")
        THIRTY = 30, _("30 ngày trước khi hết hạn")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("chứng nhận")
    )
    days_before = models.PositiveSmallIntegerField(_("nhắc trước (ngày)"), choices=DaysBefore.choices)
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    recipients = models.TextField(_("người nhận"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("nhắc hạn chứng nhận")
        verbose_name_plural = _("nhắc hạn chứng nhận")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="certificate_reminder_once"),
        ]

    def __str__(self):
        return f"{self.certificate} – {self.days_before}"
