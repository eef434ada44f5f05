"""Producers join without anyone touching code.

- An officer (or national admin) invites a person to act for a producer of its province: the person
  gets an account linked to the producer and an e-mail link to set a password (Django's reset token).
- A producer registers itself at /dang-ky-chu-the/: an account, a draft producer page it owns and the
  link, submitted to its province's review workflow; the province's officers are e-mailed.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login, password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited
from wagtail.admin import messages

from catalog import emails, roles
from catalog.addresses import AddressFields, normalise_phone
from catalog.models import ProducerMember, ProducerPage
from catalog.tree import producer_index, unique_child_slug

User = get_user_model()


# --- Invitations ---------------------------------------------------------------------------------

class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email người được mời"))
    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    producer = forms.ModelChoiceField(label=gettext_lazy("Chủ thể"), queryset=ProducerPage.objects.none(),
                                      empty_label=gettext_lazy("— Chọn chủ thể —"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = roles.scoped(ProducerPage.objects.order_by("title"), user)


def can_invite(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user)


@transaction.atomic
def invite(*, email: str, name: str, producer: ProducerPage, invited_by) -> User:
    """Link the person (a new account when the e-mail is new) to the producer and e-mail them."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        first, _sep, last = name.rpartition(" ")
        user = User(username=email.lower(), email=email.lower(), first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
    ProducerMember.objects.get_or_create(user=user, producer=producer)
    emails.invitation_later(user, producer, invited_by, name, created)
    return user


def invite_view(request):
    if not can_invite(request.user):
        raise PermissionDenied
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invite(email=data["email"], name=data["name"], producer=data["producer"], invited_by=request.user)
        messages.success(request, _("Đã gửi lời mời tới %(email)s để quản lý “%(producer)s”.") % {
            "email": data["email"], "producer": data["producer"].title})
        return redirect("catalog_invite")
    members = roles.scoped(ProducerMember.objects.select_related("user", "producer"), request.user, "producer")
    return render(request, "catalog/onboarding/invite.html", {
        "form": form, "members": members.order_by("-created_at")[:50], "page_title": _("Mời chủ thể"),
    })


# --- Self-registration ---------------------------------------------------------------------------

class ProducerSignupForm(AddressFields):
    """The person (name, phone, e-mail, password) and the producer (name, legal form, address)."""

    producer_title = forms.CharField(label=gettext_lazy("Tên chủ thể (HTX, doanh nghiệp, hộ kinh doanh)"),
                                     max_length=200)
    legal_form = forms.ChoiceField(label=gettext_lazy("Loại hình"), choices=ProducerPage.LegalForm.choices)
    email = forms.EmailField(label=gettext_lazy("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label=gettext_lazy("Mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=gettext_lazy("Nhập lại mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["producer_title", "legal_form", "name", "phone", "email", "province", "commune", "street",
                   "password1", "password2"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
            raise forms.ValidationError(_("Email này đã có tài khoản. Hãy đăng nhập hoặc đặt lại mật khẩu."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        elif data.get("password1"):
            probe = User(username=data.get("email", ""), email=data.get("email", ""), first_name=data.get("name", ""))
            try:
                password_validation.validate_password(data["password1"], probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


@transaction.atomic
def register_producer(data) -> tuple[User, ProducerPage]:
    """The account, the draft page and the link, then the page goes to its province's review."""
    first, _sep, last = data["name"].rpartition(" ")
    user = User.objects.create_user(data["email"], data["email"], data["password1"], first_name=first, last_name=last)
    page = producer_index().add_child(instance=ProducerPage(
        title=data["producer_title"], slug=unique_child_slug(producer_index(), data["producer_title"]), legal_form=data["legal_form"],
        province=data["province"], commune=data["commune"], street_address=data["street"],
        phone=normalise_phone(data["phone"]), email=data["email"], representative=data["name"],
        live=False, owner=user,
    ))
    ProducerMember.objects.create(user=user, producer=page)
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    emails.registration_notice_later(page, user)
    return user, page


def producer_signup(request):
    form = ProducerSignupForm(request.POST or None)
    if request.method == "POST" and "recalculate" not in request.POST and form.is_valid():
        # Registrations per client address (RATE_LIMITS): each makes an account and a page and e-mails officers.
        if is_ratelimited(request, group="producer_signup", key="ip", rate=settings.RATE_LIMITS["producer_signup"],
                          increment=True):
            form.add_error(None, _("Bạn đã thao tác quá nhiều lần trong một thời gian ngắn. "
                                   "Vui lòng đợi một lúc rồi thử lại."))
            return render(request, "catalog/onboarding/signup.html", {"form": form}, status=429)
        user, page = register_producer(form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return render(request, "catalog/onboarding/registered.html", {"page": page})
    if "recalculate" in request.POST:
        form.errors.clear()
    return render(request, "catalog/onboarding/signup.html", {"form": form})
