"""Who is selling: a producer's legal details and the province officer's check of them.

The E-commerce Law (122/2025/QH15) asks a platform to identify its domestic sellers, and Article 37
of the Consumer Protection Law 2023 lists what a distance seller shows: name, address, phone,
business registration number or tax code. A producer sells only once these are complete and an
officer of its province (or a national admin) has checked them; changing any of them afterwards
clears the check. `OCOP_REQUIRE_SELLER_CHECK = False` lets an operator upgrade first and check
producers after.

The owner's ID number (CCCD) of a household business is personal data: it is kept for the officer
and never shown on public pages.

The model imports this module, so it imports no models at the top.
"""

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import roles

TAX_CODE = re.compile(r"\d{10}(-\d{3})?")
CITIZEN_ID = re.compile(r"\d{12}")
HOUSEHOLD_NUMBER = re.compile(r"[0-9A-Z][0-9A-Z./-]{3,19}")

# The details the check vouches for: changing one of them clears it (model field names).
LEGAL_FIELDS = ("legal_name", "legal_form", "registration_number", "owner_id_number", "street_address",
                "commune", "province", "phone", "email")
CHECK_FIELDS = ("identity_checked_by", "identity_checked_at")

# Sent after commit with `producer` once `check` recorded a check: it writes with `update()`, so no
# page signal fires, and the cached producer and product pages (storefront.signals) must know.
identity_checked = Signal()


class IdentityIncomplete(Exception):
    """The details cannot be checked yet; the message lists what is missing."""


# --- Validation -------------------------------------------------------------------------------

def validate_tax_code(value: str) -> None:
    if not TAX_CODE.fullmatch(value or ""):
        raise ValidationError(gettext_lazy(
            "Mã số doanh nghiệp/mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số "
            "(đơn vị phụ thuộc), ví dụ 0201234567 hoặc 0201234567-001."))


def validate_citizen_id(value: str) -> None:
    if not CITIZEN_ID.fullmatch(value or ""):
        raise ValidationError(gettext_lazy("Số căn cước công dân (CCCD) gồm đúng 12 chữ số."))


def validate_household_number(value: str) -> None:
    """A household business's registration number: its format varies by district and year
    (e.g. 02A8001234), and since 7/2025 many use the owner's 12-digit ID; letters and digits."""
    if not HOUSEHOLD_NUMBER.fullmatch((value or "").upper()):
        raise ValidationError(gettext_lazy(
            "Số đăng ký hộ kinh doanh gồm 4–20 chữ cái hoặc chữ số (có thể có “-”, “/”, “.”), "
            "ví dụ 02A8001234."))


def normalise_contact_phone(raw: str) -> str:
    """A seller's phone as its digits with the leading 0: a mobile as `catalog.addresses.normalise_phone`
    takes it, or a fixed line with its area code (0220 3851 234 → 02203851234). Else ValidationError."""
    from catalog.addresses import normalise_phone  # it imports the models

    try:
        return normalise_phone(raw)
    except ValidationError:
        pass
    try:
        number = phonenumbers.parse(raw or "", "VN")
    except phonenumbers.NumberParseException:
        number = None
    if (number is None or number.country_code != 84 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.FIXED_LINE):
        raise ValidationError(gettext_lazy(
            "Số điện thoại không hợp lệ: số di động 10 chữ số (bắt đầu bằng 03, 05, 07, 08, 09) hoặc số "
            "cố định kèm mã vùng (bắt đầu bằng 02)."))
    return f"0{number.national_number}"


def field_errors(producer) -> dict:
    """The model's `clean`: the formats of what is filled in (completeness is `missing`). Normalises
    the phone and the registration number in place."""
    errors = {}
    household = producer.legal_form == producer.LegalForm.HOUSEHOLD
    number = (producer.registration_number or "").strip().upper()
    producer.registration_number = number
    if number:
        try:
            (validate_household_number if household else validate_tax_code)(number)
        except ValidationError as error:
            errors["registration_number"] = error.messages
    if producer.owner_id_number and not household:
        errors["owner_id_number"] = [_("Chỉ hộ kinh doanh cần số CCCD của chủ hộ; hãy để trống.")]
    if producer.phone:
        try:
            producer.phone = normalise_contact_phone(producer.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    return errors


# --- Completeness and the check ---------------------------------------------------------------

def missing(producer) -> list[str]:
    """Labels of the details still to fill in before an officer can check them (e-mail is
    optional: Article 37 asks for a phone and "other contact, if any")."""
    household = producer.legal_form == producer.LegalForm.HOUSEHOLD
    wanted = [
        (producer.legal_name, _("Tên đăng ký")),
        (producer.registration_number,
         _("Số đăng ký hộ kinh doanh") if household else _("Mã số doanh nghiệp / mã số thuế")),
    ]
    if household:
        wanted.append((producer.owner_id_number, _("Số CCCD của chủ hộ")))
    wanted += [
        (producer.street_address, _("Số nhà, đường, thôn/xóm")),
        (producer.commune_id, _("Xã/phường")),
        (producer.province_id, _("Tỉnh/thành phố")),
        (producer.phone, _("Điện thoại")),
    ]
    return [label for value, label in wanted if not (value.strip() if isinstance(value, str) else value)]


def is_complete(producer) -> bool:
    return not missing(producer)


def is_checked(producer) -> bool:
    return producer.identity_checked_at is not None


def can_sell(producer) -> bool:
    """May this producer's products be put in a cart and ordered?"""
    if not settings.OCOP_REQUIRE_SELLER_CHECK:
        return True
    return producer is not None and is_checked(producer) and is_complete(producer)


def may_check(user, producer) -> bool:
    """Officers of the producer's province and national admins (never the producer's members)."""
    return roles.can_act_for_province(user, producer.province_id)


def check(producer, user, now=None):
    """Record that `user` checked the producer's legal details now. PermissionDenied outside the
    user's provinces; IdentityIncomplete while details are missing. Written with `update()`, not a
    page save: no revision, and nothing the producer has in draft is published."""
    if not may_check(user, producer):
        raise PermissionDenied
    model = type(producer)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=producer.pk)
        if gaps := missing(current):
            raise IdentityIncomplete(_("Chưa thể xác nhận: còn thiếu %(fields)s.") % {"fields": ", ".join(gaps)})
        checked_at = now or timezone.now()
        model.objects.filter(pk=producer.pk).update(identity_checked_by=user, identity_checked_at=checked_at)
        transaction.on_commit(lambda: identity_checked.send(sender=model, producer=producer))
    producer.identity_checked_by, producer.identity_checked_at = user, checked_at
    return producer


def clear_check_if_changed(producer, update_fields=None) -> set:
    """Called by the model's `save`: a checked producer whose legal details differ from the stored
    ones loses its check. Returns the fields to add to `update_fields` (empty when nothing cleared)."""
    if producer.pk is None or producer.identity_checked_at is None:
        return set()
    if update_fields is not None and not set(update_fields) & set(LEGAL_FIELDS):
        return set()
    attnames = [producer._meta.get_field(name).attname for name in LEGAL_FIELDS]
    stored = type(producer).objects.filter(pk=producer.pk).values(*attnames).first()
    if stored is None or all(stored[name] == getattr(producer, name) for name in attnames):
        return set()
    producer.identity_checked_by, producer.identity_checked_at = None, None
    return set(CHECK_FIELDS)


def status(producer) -> str:
    """"checked", "complete" (waiting for the officer) or "incomplete"."""
    if is_checked(producer):
        return "checked"
    return "complete" if is_complete(producer) else "incomplete"


def refusal_message() -> str:
    return _("Chủ thể đang được xác minh; chưa nhận đặt hàng.")
