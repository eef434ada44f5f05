"""Validators shared by the catalogue's models and forms."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(body: str) -> int:
    """GS1 check digit for the digits before it: weights 3,1,3,… from the right."""
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_gtin(value: str) -> None:
    """A GTIN-8/12/13/14 (EAN/UPC barcode number) whose last digit is its GS1 check digit."""
    if not value.isdigit() or len(value) not in GTIN_LENGTHS:
        raise ValidationError(
            _("Mã GTIN phải gồm 8, 12, 13 hoặc 14 chữ số."), code="gtin_format"
        )
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(
            _("Mã GTIN %(value)s sai số kiểm tra (chữ số cuối phải là %(expected)s)."),
            code="gtin_check_digit",
            params={"value": value, "expected": gtin_check_digit(value[:-1])},
        )


MAX_ID = 2**63 - 1  # the largest id a row can have (a 64-bit integer)


def parse_id(raw) -> int | None:
    """A row id from a query string or a form, or None. ASCII digits only (`str.isdigit` also takes
    "²", which `int` refuses) and within a 64-bit integer: a larger number reaches SQLite as an
    OverflowError, a 500 instead of "not found"."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
