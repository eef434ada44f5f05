"""The public "Báo cáo vi phạm" form of a product or producer page: anyone may send one (signed in
or not), rate-limited per client address. A page of its own, never from the shared page cache, so
its form carries the visitor's CSRF token. The report itself is `catalog.takedowns.report`."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from catalog import takedowns
from catalog.models import ListingReport, ProducerPage, ProductPage
from catalog.models.reports import DETAILS_MAX


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Vi phạm"), choices=ListingReport.Reason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": gettext_lazy("Hãy chọn lý do báo cáo.")})
    details = forms.CharField(
        label=gettext_lazy("Mô tả"), max_length=DETAILS_MAX, min_length=10, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Điều bạn thấy sai, và nếu có: đường dẫn, số giấy chứng nhận, nhãn hiệu bị sao chép."),
        error_messages={"required": gettext_lazy("Hãy mô tả vi phạm để cán bộ kiểm tra được."),
                        "min_length": gettext_lazy("Hãy mô tả vi phạm (ít nhất 10 ký tự) để cán bộ kiểm tra được.")})
    email = forms.EmailField(label=gettext_lazy("Email của bạn (không bắt buộc)"), required=False,
                             help_text=gettext_lazy("Để cán bộ hỏi thêm nếu cần; không hiện công khai."))


KINDS = {"san-pham": ProductPage, "chu-the": ProducerPage}


def _page(kind, pk):
    """The live page reported; a page already taken down is a 404 like any page that is not there."""
    if kind not in KINDS:
        raise Http404
    return get_object_or_404(KINDS[kind].objects.live(), pk=pk)


def report_view(request, kind, pk):
    page = _page(kind, pk)
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = ReportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if is_ratelimited(request, group="listing_report", key="ip", rate=settings.RATE_LIMITS["listing_report"],
                          increment=True):
            raise Ratelimited  # the 429 page
        if form.is_valid():
            try:
                found = takedowns.report(page, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"],
                                         user=request.user, email=form.cleaned_data["email"])
            except takedowns.TakedownError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã nhận báo cáo %(number)s. Cán bộ quản lý OCOP sẽ xem xét trong "
                                            "24 giờ.") % {"number": found.number})
                return redirect(page.get_url(request))
        status = 400
    return render(request, "catalog/takedowns/report_form.html", {"form": form, "page": page}, status=status)
