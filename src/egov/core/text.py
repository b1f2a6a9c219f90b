"""Text folding for search: the same key for any Unicode normalisation form, with or without
Vietnamese diacritics, in any case."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, with đ → d and single spaces.

    NFD first splits precomposed letters (NFC) and composed sequences alike into base letter
    plus combining marks, so "Khai sinh" typed in NFC or NFD folds to one key.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()
