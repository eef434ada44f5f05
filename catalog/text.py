"""Vietnamese text helpers shared by the catalogue, the shop and both search backends."""

import unicodedata

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import get_language


def strip_diacritics(text: str) -> str:
    """`text` without Vietnamese tone and vowel marks, case kept: 'Đơn hàng' → 'Don hang'.

    NFD splits the marks off their letters; 'đ' has no decomposition, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", decomposed.translate(_COMBINING_MARKS))


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics: 'Vải Thiều Đại Hợp' → 'vai thieu dai hop'."""
    return strip_diacritics(text).lower()


# The combining diacritical mark blocks (Vietnamese tone and vowel marks are all in U+0300–036F),
# deleted by str.translate: far cheaper than testing each character (search folds every query and
# result title).
_COMBINING_MARKS = dict.fromkeys(
    c for start, end in ((0x0300, 0x0370), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100), (0xFE20, 0xFE30))
    for c in range(start, end) if unicodedata.combining(chr(c))
)


def vietnamese_slug(text: str) -> str:
    """A URL slug that keeps đ as d: 'Đắk Lắk' → 'dak-lak' (Django's slugify alone drops it)."""
    return slugify(fold(text))


def grouped(number: int, language: str | None = None) -> str:
    """A whole number grouped in thousands as `language` (default: the active one) writes it:
    1250000 → "1.250.000" in Vietnamese, "1,250,000" in English. Django's localisation does the
    work; `storefront.formats.vi` gives Vietnamese the NUMBER_GROUPING that Django's locale lacks."""
    language = language or get_language()
    return numberformat.format(
        number, get_format("DECIMAL_SEPARATOR", language), grouping=get_format("NUMBER_GROUPING", language),
        thousand_sep=get_format("THOUSAND_SEPARATOR", language), force_grouping=True,
    )


def format_vnd(amount: int) -> str:
    """Whole đồng with Vietnamese thousands dots, whatever the active language: 1250000 → "1.250.000 ₫"."""
    return f"{grouped(amount, 'vi')} ₫"
