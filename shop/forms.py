import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.addresses import AddressFields
from shop.models import DeliveryMethod
from shop.order_rules import PaymentMethod
from shop.payments import available_methods

class CheckoutForm(AddressFields):
    email = forms.EmailField(label=_("Email"), help_text=_("Để nhận xác nhận và theo dõi đơn hàng."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    note = forms.CharField(label=_("Ghi chú cho người bán"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    delivery_method = forms.ChoiceField(label=_("Cách giao hàng"), choices=DeliveryMethod.choices,
                                        initial=DeliveryMethod.STANDARD, widget=forms.RadioSelect)
    payment_method = forms.ChoiceField(label=_("Cách thanh toán"), widget=forms.RadioSelect)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    save_address = forms.BooleanField(label=_("Lưu địa chỉ này vào tài khoản"), required=False)

    field_order = ["name", "phone", "email", "province", "commune", "street", "note", "delivery_method",
                   "payment_method"]

    def __init__(self, *args, bookings_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings_only = bookings_only
        if bookings_only:  # stays and tours ship nothing: name, phone and e-mail are enough
            for name in ("province", "commune", "street", "delivery_method"):
                self.fields[name].required = False
        methods = available_methods()
        self.fields["payment_method"].choices = [(m.value, m.label) for m in methods]
        self.fields["payment_method"].initial = PaymentMethod.COD
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class SavedAddressForm(AddressFields):
    pass
