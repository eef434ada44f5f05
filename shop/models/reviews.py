"""Verified reviews: only a buyer whose parcel was delivered reviews what was in it, once per product
per order; a review shows after the product's province officers (or national admins) publish it, and
the producer may answer it once, in public. Changed only by `shop.reviews`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000


class Review(models.Model):
    class Status(models.TextChoices):
        PENDING = "cho-duyet", _("Chờ duyệt")
        PUBLISHED = "da-dang", _("Đã đăng")
        REJECTED = "tu-choi", _("Không đăng")

    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="reviews",
                                verbose_name=_("sản phẩm"))
    # The order as well as its line: "one review per product per order" is then a constraint the
    # database keeps (an order may hold two packs of one product, on two lines).
    order = models.ForeignKey("shop.Order", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("đơn hàng"))
    order_line = models.ForeignKey("shop.OrderLine", on_delete=models.CASCADE, related_name="reviews",
                                   verbose_name=_("dòng đơn hàng"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="reviews")
    display_name = models.CharField(_("tên hiển thị"), max_length=40, blank=True,
                                    help_text=_("Tên gọi của người mua (không phải họ tên đầy đủ hay email); "
                                                "để trống thì hiện “Người mua”."))
    # Law 91: a name beside a review is a purpose of its own, asked for unticked on the review form.
    shows_name = models.BooleanField(_("hiện tên cùng đánh giá"), default=False)
    rating = models.PositiveSmallIntegerField(_("số sao"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("nội dung"), max_length=TEXT_MAX)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("người duyệt"))
    moderated_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reply = models.TextField(_("trả lời của chủ thể"), max_length=TEXT_MAX, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    replied_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    bought_at = models.DateTimeField(_("mua lúc"), help_text=_("Ngày đặt đơn hàng."))
    created_at = models.DateTimeField(_("viết lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "order"], name="review_once_per_product_per_order"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["product", "status"], name="review_product_status")]

    def __str__(self):
        return f"{self.display_name or _('Người mua')} · {self.rating}★"


class ReviewPhoto(models.Model):
    """A buyer's photo, re-encoded without EXIF (`shop.return_photos.clean`), at a random public name."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="danh-gia/%Y/%m/")

    class Meta:
        ordering = ["pk"]


class ReviewReport(models.Model):
    """Someone thinks a review should not be shown: one per review and client (or account)."""

    class Reason(models.TextChoices):
        SPAM = "quang-cao", _("Quảng cáo, spam")
        ABUSE = "xuc-pham", _("Lời lẽ xúc phạm")
        FALSE = "sai-su-that", _("Thông tin sai sự thật")
        PRIVATE = "rieng-tu", _("Lộ thông tin cá nhân")
        OTHER = "khac", _("Lý do khác")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("lý do"), max_length=12, choices=Reason.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    client_hash = models.CharField(max_length=64, blank=True,
                                   help_text="A keyed hash of the client's address: never the address itself.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
