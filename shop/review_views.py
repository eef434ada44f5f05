"""The buyer's pages of verified reviews: the form for one delivered line of an order, and the
"Báo cáo" button under a published review on a product page.

Who is the buyer: the order's signed-in owner, or whoever holds the order's secret link (`?t=`), as
on the order page; anyone else gets the same 404 as for an order that does not exist (staff, who may
open any order page, do not write reviews in a buyer's name). Parse, call `shop.reviews`, render."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from storefront.security import client_ip

from shop import return_photos, reviews
from shop.models import Order, OrderLine, Review
from shop.models.reviews import TEXT_MAX
from shop.return_views import PhotosField, is_buyer

STARS = [(5, gettext_lazy("5 sao – Rất hài lòng")), (4, gettext_lazy("4 sao – Hài lòng")),
         (3, gettext_lazy("3 sao – Bình thường")), (2, gettext_lazy("2 sao – Chưa hài lòng")),
         (1, gettext_lazy("1 sao – Rất không hài lòng"))]


def _rate(group, request):
    return settings.RATE_LIMITS[group]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(label=gettext_lazy("Bạn chấm mấy sao?"), choices=STARS, coerce=int,
                                    widget=forms.RadioSelect,
                                    error_messages={"invalid_choice": gettext_lazy("Hãy chọn từ 1 đến 5 sao."),
                                                    "required": gettext_lazy("Hãy chọn từ 1 đến 5 sao.")})
    text = forms.CharField(label=gettext_lazy("Nhận xét của bạn"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=gettext_lazy("Chất lượng, hương vị, đóng gói, giao hàng. Chỉ chữ thường: "
                                                  "thẻ HTML và liên kết hiện nguyên văn."))
    photos = PhotosField(label=gettext_lazy("Ảnh (tối đa 3 ảnh JPEG, PNG hoặc WebP)"), required=False)
    # Law 91: a name beside a review is a purpose of its own, asked for unticked.
    shows_name = forms.BooleanField(label=gettext_lazy("Hiện tên gọi của tôi cùng đánh giá"), required=False,
                                    help_text=gettext_lazy("Không đánh dấu thì đánh giá hiện tên “Người mua”. Bạn "
                                                           "rút lại được bất cứ lúc nào ở trang “Dữ liệu của tôi” "
                                                           "(hoặc “Dữ liệu cá nhân” nếu mua không cần tài khoản)."))

    def __init__(self, *args, given_name="", **kwargs):
        super().__init__(*args, **kwargs)
        if given_name:
            self.fields["shows_name"].label = _("Hiện tên gọi của tôi (“%(name)s”) cùng đánh giá") % {
                "name": given_name}

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > return_photos.MAX_PHOTOS:
            raise forms.ValidationError(_("Chỉ gửi được tối đa %(count)s ảnh.") % {"count": return_photos.MAX_PHOTOS})
        return photos


@ratelimit(group="review", key="ip", rate=_rate, method="POST")
def write(request, number, line_id):
    order = get_object_or_404(Order, number=number)
    if not is_buyer(request, order):
        raise Http404  # the same answer for "no such order" and "not yours"
    line = get_object_or_404(OrderLine.objects.select_related("suborder__producer", "variant__product"),
                             pk=line_id, suborder__order=order)
    token = request.GET.get("t", "")
    problem = reviews.refusal(line)
    given_name = reviews.display_name(order, request.user)
    form = (ReviewForm(request.POST, request.FILES, given_name=given_name) if request.method == "POST"
            else ReviewForm(given_name=given_name))
    if request.method == "POST" and not problem and form.is_valid():
        data = form.cleaned_data
        try:
            reviews.write(line, user=request.user, rating=data["rating"], text=data["text"], photos=data["photos"],
                          shows_name=data["shows_name"])
        except reviews.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Cảm ơn bạn! Đánh giá sẽ hiện trên trang sản phẩm sau khi được kiểm duyệt."))
            return redirect(order.get_absolute_url())
    return render(request, "shop/reviews/write.html", {
        "order": order, "line": line, "form": form, "problem": problem, "token": token,
        "product": line.variant.product if line.variant_id else None,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@ratelimit(group="review_report", key="ip", rate=_rate, method="POST")
def report(request, pk):
    review = get_object_or_404(Review.objects.select_related("product"), pk=pk, status=Review.Status.PUBLISHED)
    try:
        fresh = reviews.report(review, reason=request.POST.get("reason", ""), client_ip=client_ip(request),
                               user=request.user)
    except reviews.ReviewError as error:
        messages.error(request, str(error))
    else:
        if fresh:
            messages.success(request, _("Cảm ơn bạn đã báo cáo; cán bộ OCOP sẽ xem lại đánh giá này."))
        else:
            messages.info(request, _("Bạn đã báo cáo đánh giá này rồi."))
    return redirect((review.product.get_url(request) or "/") + f"#danh-gia-{review.pk}")

