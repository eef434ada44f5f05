"""Today's two-level address (province → one of its communes) and a Vietnamese mobile number: the
fields every form that asks where someone is shares (checkout, saved addresses, producer sign-up)."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from catalog.models import Commune, Province
from catalog.text import strip_diacritics
from catalog.validators import parse_id

MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalise_phone(raw: str) -> str:
    """A Vietnamese mobile number as 10 digits: '+84 912 345 678' → '0912345678'; else
    ValidationError. `phonenumbers` (Google's libphonenumber data, region VN) knows which prefixes
    are mobile (03x, 05x, 07x, 08x, 09x as allocated)."""
    try:
        number = phonenumbers.parse(raw or "", "VN")
    except phonenumbers.NumberParseException:
        number = None
    if (number is None or number.country_code != 84 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in MOBILE_TYPES):
        raise ValidationError(gettext_lazy("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
                                           "(hoặc +84 rồi bỏ số 0 đầu)."))
    return f"0{number.national_number}"


# --- Places as people say them -------------------------------------------------------------------

# The kind of unit that starts an official name: "Thành phố Hà Nội", "Phường Ba Đình", "Đặc khu Phú Quốc".
PLACE_PREFIX = re.compile(r"^(Thành phố|Tỉnh|Phường|Xã|Đặc khu)\s+(?=\S)", re.IGNORECASE)


def split_place(name: str) -> tuple[str, str]:
    """('Phường', 'Ba Đình') from 'Phường Ba Đình'; ('', name) when it has no known prefix."""
    match = PLACE_PREFIX.match(name)
    return (match.group(1), name[match.end():]) if match else ("", name)


def place_sort_key(name: str) -> tuple:
    """Sort by the place's own name, as people say it: "Hà Nội" < "Hải Phòng" < "Hưng Yên", a
    "Xã An…" before a "Phường Bình…". Diacritics are stripped for the first key (so "Đà Nẵng" sits
    among the D's and "Ấp" beside "Ap"), the accented form breaks ties; numbers sort as numbers."""
    bare = split_place(name)[1]
    folded = strip_diacritics(bare).casefold()
    natural = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", folded) if part)
    return natural, bare.casefold(), name


def place_label(name: str) -> str:
    """The name first, its kind after: 'Ba Đình (Phường)'; a name without a known prefix as it is."""
    kind, bare = split_place(name)
    return f"{bare} ({kind})" if kind else name


def sorted_places(places) -> list:
    """Provinces or communes (anything with a `name`) in the order people look for them."""
    return sorted(places, key=lambda place: place_sort_key(place.name))


class PlaceChoiceIterator(forms.models.ModelChoiceIterator):
    """A ModelChoiceField's options sorted by `place_sort_key` (in Python: no database collates
    Vietnamese this way) and labelled name first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for place in sorted_places(self.queryset):
            yield self.choice(place)


class PlaceChoiceField(forms.ModelChoiceField):
    iterator = PlaceChoiceIterator

    def label_from_instance(self, obj):
        return getattr(obj, "short_name", "") or place_label(obj.name)


class AddressFields(forms.Form):
    """Name, phone and today's two-level address: province, then one of its communes."""

    name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=100)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    province = PlaceChoiceField(label=gettext_lazy("Tỉnh/thành phố"), queryset=Province.objects.all(),
                                empty_label=gettext_lazy("— Chọn tỉnh/thành phố —"))
    commune = PlaceChoiceField(
        label=gettext_lazy("Xã/phường/đặc khu"), queryset=Commune.objects.none(), empty_label=gettext_lazy("— Chọn xã/phường —"),
        error_messages={"invalid_choice": gettext_lazy("Xã/phường này không thuộc tỉnh/thành phố đã chọn.")},
    )
    street = forms.CharField(label=gettext_lazy("Số nhà, tên đường, thôn/xóm"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = self.data.get(self.add_prefix("province")) if self.is_bound else self.initial.get("province")
        province_id = parse_id(getattr(province_id, "pk", province_id))
        if province_id is not None:
            self.fields["commune"].queryset = Commune.objects.filter(province_id=province_id)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        province, commune = data.get("province"), data.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error("commune", gettext_lazy("Xã/phường này không thuộc tỉnh/thành phố đã chọn."))
        return data
