"""Words as both backends match them: folded, and exact where a shopper typed diacritics.

A word typed with diacritics ("chè") matches that accented word only, not every word it folds to
("chế", "che"); a word typed without them ("che") matches the folded words. So the index keeps each
word's folded form ([a-z0-9]+) and, for words with diacritics, its exact form (lower case, NFC, any
other letters): the two never collide, since an exact form always has a letter outside a-z.
"""

import re
import unicodedata
from functools import lru_cache

from catalog.text import fold

TOKEN = re.compile(r"[^\W_]+")
FOLDED = re.compile(r"[a-z0-9]+")
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
# Old and new spelling put the tone of these open endings on a different vowel ("hòa"/"hoà",
# "thủy"/"thuỷ"); the exact form always puts it on the last one, so both spellings match.
MOVABLE_TONE = ("oa", "oe", "uy")
NAME_START_WORDS = 12  # the query's own bound (search.query.MAX_QUERY_WORDS)


def exact_form(word: str) -> str:
    """The key of an accented, lower-case word: NFC, the tone of -oa/-oe/-uy on the last vowel."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((c for c in decomposed if c in TONES), "")
    if tone:
        base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
        if base.endswith(MOVABLE_TONE):
            return unicodedata.normalize("NFC", base + tone)
    return unicodedata.normalize("NFC", decomposed)


def terms_of(text: str) -> list[tuple[str, str]]:
    """(folded, key) per word in order; the key is the exact form of a word with diacritics, else the
    folded word: 'Chè Shan tuyết' → [('che', 'chè'), ('shan', 'shan'), ('tuyet', 'tuyết')]."""
    found = []
    for token in TOKEN.findall(unicodedata.normalize("NFC", (text or "").lower())):
        found.extend(token_terms(token))
    return found


@lru_cache(maxsize=100_000)
def token_terms(token: str) -> tuple[tuple[str, str], ...]:
    """`terms_of` one lower-case word; Vietnamese has a few thousand syllables, so a reindex mostly hits
    the cache."""
    folded = FOLDED.findall(fold(token))
    if len(folded) == 1 and folded[0] != token:
        return ((folded[0], exact_form(token)),)
    return tuple((word, word) for word in folded)


def is_exact(term: str) -> bool:
    """An exact (accented) key rather than a folded word."""
    return not term.isascii()


def exact_words(text: str) -> set[str]:
    """The exact keys of the words of `text` that have diacritics."""
    return {key for _folded, key in terms_of(text) if is_exact(key)}


def all_keys(text: str) -> set[str]:
    """Every key a query term may take for the words of `text`: folded and exact."""
    return {key for pair in terms_of(text) for key in pair}


def name_start(text: str) -> list[str]:
    """Position-tagged keys of a name's first words ("0:chè", "0:che", "1:shan"…): a name starts with
    the query when its term i is among the keys of position i."""
    return sorted({f"{i}:{key}" for i, pair in enumerate(terms_of(text)[:NAME_START_WORDS]) for key in pair})
