"""Who acts for which producer: a user linked to a producer sees and ships that producer's
sub-orders in the Wagtail admin ("Đơn của tôi"). Staff manage these links."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from catalog.admin_form import FormByPath
from catalog.roles import Scope


class ProducerMember(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="producer_memberships", verbose_name=_("tài khoản"))
    producer = models.ForeignKey("catalog.ProducerPage", on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("chủ thể"))
    created_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("producer")]
    ocop_scope = Scope(producer="producer")
    base_form_class = FormByPath("catalog.forms.ScopedModelForm")

    class Meta:
        verbose_name = _("thành viên chủ thể")
        verbose_name_plural = _("thành viên chủ thể")
        ordering = ["producer__title", "user__username"]
        unique_together = [("user", "producer")]

    def __str__(self):
        return f"{self.user} · {self.producer.title}"


class ProvinceOfficer(models.Model):
    """A province's OCOP officer (cán bộ OCOP tỉnh): reviews and publishes its producers' listings,
    records certificates, runs the province's campaigns and sees its figures (see catalog.roles)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="province_offices", verbose_name=_("tài khoản"))
    province = models.ForeignKey("catalog.Province", on_delete=models.CASCADE, related_name="officers",
                                 verbose_name=_("tỉnh/thành phố"))
    created_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("province")]

    class Meta:
        verbose_name = _("cán bộ OCOP tỉnh")
        verbose_name_plural = _("cán bộ OCOP tỉnh")
        ordering = ["province__short_name", "user__username"]
        unique_together = [("user", "province")]

    def __str__(self):
        return f"{self.user} · {self.province}"
