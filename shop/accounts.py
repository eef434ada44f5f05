"""Buyer accounts: sign up, sign in and out, password reset by e-mail, order history, saved
addresses, and claiming the orders a buyer placed as a guest.

An account's username is its e-mail in lower case, so each e-mail has at most one account.
Signing in, out and resetting the password are Django's own views with our templates. Sign-in is
throttled by django-axes (the settings' throttling block); reset and claim e-mails are rate-limited
(RATE_LIMITS).

Claiming guest orders: the account page e-mails a signed link (valid three days) to the account's
address. Opening it, signed in as that account, proves the buyer reads that mailbox; then every
order placed without an account under that e-mail (any case) joins the account.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    SetPasswordForm,
    SetPasswordMixin,
    UsernameField,
)
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_tasks import task

from shop.forms import SavedAddressForm
from shop.models import BuyerConsent, Order, SavedAddress

User = get_user_model()

CLAIM_SALT = "shop.accounts.claim-guest-orders"
CLAIM_MAX_AGE = datetime.timedelta(days=3)
ADDRESS_FIELDS = ("name", "phone", "street", "commune", "province")


# Forms ------------------------------------------------------------------------------------------

class VietnamesePasswordErrors:
    """Password validation as Django does it, but Django 5.2's "too short" message (its msgid changed
    to "%d") is missing from Django's Vietnamese catalogue, so that one is ours."""

    @sensitive_variables("password")
    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(password_field_name, [self._ours(e) for e in error.error_list])

    @staticmethod
    def _ours(error):
        if error.code == "password_too_short" and error.params:
            n = error.params["min_length"]
            return ValidationError(ngettext("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
                                            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.", n)
                                   % {"min_length": n}, code=error.code)
        return error


class SignInForm(AuthenticationForm):
    """Django's sign-in form, by e-mail (any case); staff may still type their username."""

    username = UsernameField(label=gettext_lazy("Email"),
                             widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "email"}))
    password = forms.CharField(label=gettext_lazy("Mật khẩu"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": gettext_lazy("Email hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, "
                                      "chữ thường."),
        "inactive": gettext_lazy("Tài khoản này đã bị khoá."),
    }

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        if User.objects.filter(username=value).exists():
            return value
        matches = list(User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
                       .values_list("username", flat=True)[:2])
        return matches[0] if len(matches) == 1 else value


class SignUpForm(VietnamesePasswordErrors, BaseUserCreationForm):
    """E-mail (the username, in lower case), full name and the password twice, checked by
    AUTH_PASSWORD_VALIDATORS (also against the name and e-mail)."""

    email = forms.EmailField(label=gettext_lazy("Email"), max_length=150,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=gettext_lazy("Mật khẩu"), label2=gettext_lazy("Nhập lại mật khẩu"))
    # Separate from the account and unticked (Law 91/2025: consent per purpose); withdrawn on
    # "Dữ liệu của tôi" (shop.data_rights).
    marketing = forms.BooleanField(label=gettext_lazy("Nhận email giới thiệu sản phẩm và khuyến mãi"),
                                   required=False)
    error_messages = {"password_mismatch": gettext_lazy("Hai mật khẩu không giống nhau.")}

    class Meta:
        model = User
        fields = ()

    field_order = ["email", "full_name", "password1", "password2", "marketing"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password2"].help_text = _("Nhập lại đúng mật khẩu trên để kiểm tra.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise ValidationError(self.taken_message(), code="unique")
        return email

    @staticmethod
    def taken_message():
        return _("Email này đã có tài khoản. Hãy đăng nhập, hoặc đặt lại mật khẩu nếu bạn quên.")

    def _post_clean(self):
        # The password validators compare the password with these, so they are set first.
        data = self.cleaned_data
        if data.get("email"):
            self.instance.username = self.instance.email = data["email"]
        if data.get("full_name"):
            self.instance.first_name = data["full_name"].strip()  # Vietnamese names: one field, family name first
        super()._post_clean()


class NewPasswordForm(VietnamesePasswordErrors, SetPasswordForm):
    """Setting a new password from the reset link."""


# Sign in, out, up; password reset ---------------------------------------------------------------

class SignInView(auth_views.LoginView):
    template_name = "shop/account/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True  # the guest cart joins the account's through shop.signals


class SignOutView(auth_views.LogoutView):  # POST only
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Bạn đã đăng xuất."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, but each client address and each e-mail address may ask for only so many e-mails
    (RATE_LIMITS): past that the form comes back saying so, status 429, and nothing is sent."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].lower()
        over = [is_ratelimited(self.request, group=group, key=key, rate=settings.RATE_LIMITS[group], increment=True)
                for group, key in (("password_reset_ip", "ip"), ("password_reset_email", lambda _g, _r: email))]
        if any(over):
            form.add_error("email", _("Bạn đã thao tác quá nhiều lần trong một thời gian ngắn. "
                                      "Vui lòng đợi một lúc rồi thử lại."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


sign_in = SignInView.as_view()
sign_out = SignOutView.as_view()
password_reset = PasswordResetView.as_view(
    template_name="shop/account/password_reset_form.html",
    email_template_name="shop/account/password_reset_email.txt",
    subject_template_name="shop/account/password_reset_subject.txt",
    success_url=reverse_lazy("shop:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="shop/account/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="shop/account/password_reset_confirm.html",
    form_class=NewPasswordForm,
    success_url=reverse_lazy("shop:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="shop/account/password_reset_complete.html")


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("shop:account")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    user = form.save()
                    BuyerConsent.objects.create(user=user, marketing=form.cleaned_data["marketing"])
            except IntegrityError:  # the same e-mail signed up a moment ago
                form.add_error("email", SignUpForm.taken_message())
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Chào mừng %(name)s! Tài khoản của bạn đã được tạo.") % {
                    "name": user.first_name})
                return redirect(_next_url(request) or "shop:account")
    else:
        form = SignUpForm()
    return render(request, "shop/account/signup.html", {"form": form, "next": _next_url(request)})


# The account page and saved addresses -----------------------------------------------------------

@login_required
@require_GET
def account(request):
    return render(request, "shop/account/account.html", {
        "orders": Order.objects.filter(user=request.user).only(
            "number", "status", "total", "created_at", "payment_method"),
        "addresses": SavedAddress.objects.filter(user=request.user).select_related("commune", "province"),
    })


@login_required
def address_add(request):
    if request.method == "POST" and "recalculate" in request.POST:
        # Without JavaScript: show the chosen province's communes, no errors yet.
        form = SavedAddressForm(initial={key: request.POST.get(key, "") for key in ADDRESS_FIELDS})
    elif request.method == "POST":
        form = SavedAddressForm(request.POST)
        if form.is_valid():
            SavedAddress.objects.create(user=request.user, **{key: form.cleaned_data[key] for key in ADDRESS_FIELDS})
            messages.success(request, _("Đã lưu địa chỉ giao hàng."))
            return redirect("shop:account")
    else:
        form = SavedAddressForm(initial={"name": request.user.get_full_name()})
    return render(request, "shop/account/address_form.html", {"form": form})


@login_required
@require_POST
def address_delete(request, pk):
    address = get_object_or_404(SavedAddress, pk=pk, user=request.user)  # someone else's: 404
    address.delete()
    messages.success(request, _("Đã xoá địa chỉ."))
    return redirect("shop:account")


# Claiming guest orders --------------------------------------------------------------------------

def claim_token(user) -> str:
    return signing.TimestampSigner(salt=CLAIM_SALT).sign_object({"u": user.pk, "e": user.email.lower()})


@task()
def send_claim_email(user_id: int, language: str) -> bool:
    """E-mail the account's own address a link that attaches its guest orders to it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(language):
        context = {"user": user, "days": CLAIM_MAX_AGE.days,
                   "claim_url": settings.SITE_URL.rstrip("/") + reverse("shop:claim_orders", args=[claim_token(user)])}
        subject = " ".join(render_to_string("shop/account/claim_subject.txt", context).split())
        body = render_to_string("shop/account/claim_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


@login_required
@require_POST
@ratelimit(group="claim_email", key="user", rate=lambda group, request: settings.RATE_LIMITS[group])  # then 429
def claim_orders_send(request):
    if not request.user.email:
        messages.error(request, _("Tài khoản của bạn chưa có email."))
        return redirect("shop:account")
    send_claim_email.enqueue(request.user.pk, translation.get_language() or settings.LANGUAGE_CODE)
    messages.success(request, _("Chúng tôi đã gửi một liên kết tới %(email)s. Mở liên kết đó (trong %(days)s ngày) "
                                "khi đang đăng nhập để nhận các đơn đã đặt bằng email này.") % {
        "email": request.user.email, "days": CLAIM_MAX_AGE.days})
    return redirect("shop:account")


@login_required
@require_GET
def claim_orders(request, token):
    try:
        data = signing.TimestampSigner(salt=CLAIM_SALT).unsign_object(token, max_age=CLAIM_MAX_AGE)
    except signing.SignatureExpired:
        messages.error(request, _("Liên kết nhận đơn đã hết hạn. Hãy bấm “Gửi liên kết” để nhận liên kết mới."))
        return redirect("shop:account")
    except signing.BadSignature:
        messages.error(request, _("Liên kết nhận đơn không hợp lệ. Hãy mở đúng liên kết trong email, hoặc gửi "
                                  "liên kết mới."))
        return redirect("shop:account")
    email = (request.user.email or "").lower()
    if not isinstance(data, dict) or data.get("u") != request.user.pk or data.get("e") != email:
        messages.error(request, _("Liên kết nhận đơn này được gửi cho một tài khoản hoặc email khác. Hãy đăng nhập "
                                  "đúng tài khoản đã yêu cầu, hoặc gửi liên kết mới."))
        return redirect("shop:account")
    count = Order.objects.filter(user__isnull=True, email__iexact=email).update(user=request.user)
    if count:
        messages.success(request, ngettext(
            "Đã thêm %(count)s đơn hàng đặt bằng %(email)s vào tài khoản của bạn.",
            "Đã thêm %(count)s đơn hàng đặt bằng %(email)s vào tài khoản của bạn.", count,
        ) % {"count": count, "email": email})
    else:
        messages.info(request, _("Không còn đơn hàng nào đặt bằng %(email)s mà chưa thuộc tài khoản.") % {
            "email": email})
    return redirect("shop:account")
