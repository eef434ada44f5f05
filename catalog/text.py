"""Vietnamese text helpers shared by the catalogue and both search backends."""

import unicodedata

from django.utils.text import slugify


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics: 'Vải Thiều Đại Hợp' → 'vai thieu dai hop'.

    NFD splits tone and vowel marks off their letters; 'đ' has no decomposition, so it is mapped
    by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def vietnamese_slug(text: str) -> str:
    """A URL slug that keeps đ as d: 'Đắk Lắk' → 'dak-lak' (Django's slugify alone drops it)."""
    return slugify(fold(text))
