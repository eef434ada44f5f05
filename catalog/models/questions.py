"""Questions buyers ask on a product page and the producer's answers. A question is public only once
the producer has answered it and no moderator (the product's province officers, national admins)
has hidden it; hiding keeps the text and says who hid it, when and why (see `catalog.questions`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 1000


class ProductQuestionQuerySet(models.QuerySet):
    def shown(self):
        """What the product page lists: answered and not hidden, newest first."""
        return self.filter(hidden=False).exclude(answer="").order_by("-created_at", "-pk")


class ProductQuestion(models.Model):
    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="questions",
                                verbose_name=_("sản phẩm"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="product_questions", verbose_name=_("người hỏi"))
    text = models.TextField(_("câu hỏi"), max_length=TEXT_MAX)
    answer = models.TextField(_("câu trả lời"), max_length=TEXT_MAX, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người trả lời"))
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    hidden = models.BooleanField(_("đã ẩn"), default=False)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("người ẩn"))
    hidden_at = models.DateTimeField(_("ẩn lúc"), null=True, blank=True)
    hidden_reason = models.CharField(_("lý do ẩn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("hỏi lúc"), auto_now_add=True, db_index=True)

    objects = ProductQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi về sản phẩm")
        verbose_name_plural = _("câu hỏi về sản phẩm")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]
