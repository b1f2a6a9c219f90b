"""Removing personal details from what the public sees of an item: names, phone numbers, ID
numbers, e-mail addresses and house numbers. Each is replaced by ``***``.

The rules are patterns, not understanding: they remove what Vietnamese writers usually put in a
complaint, and they leave alone what must stay readable (place names such as "núi Bà Đen",
agency names, dates, decision numbers, money amounts). Staff always see the original text.

1. E-mail addresses.
2. Phone numbers: ``0`` or ``+84``/``84`` followed by 9 or 10 digits, with optional spaces,
   dots or dashes between groups (mobiles have 10 digits, landlines 11).
3. ID numbers: a run of exactly 9 (old ID card) or 12 digits (citizen ID), unless a currency
   word follows ("500000000 đồng").
4. Names: one to four capitalised words after a personal cue — ``ông``, ``bà``, ``anh``,
   ``chị``, ``em``, ``cô``, ``chú``, ``bác``, ``cháu`` — or after "tôi là", "tôi tên", "tên
   tôi là", "tên là". A cue at the start of the text or a sentence may be capitalised; in the
   middle of a sentence a capitalised "Bà"/"Ông" is part of a proper name ("núi Bà Đen", "cầu
   Ông Lãnh") and is left alone, as are a few place names that start with a cue and the titles
   that often follow one ("ông Chủ tịch", "bà Trưởng phòng").
5. House numbers: ``số 12``, ``nhà số 12``, ``nhà 12`` and ``12/3`` (``12/3A``, ``12/3/5``)
   before a street word (đường, phố, hẻm, kiệt, ngõ, ngách, tổ, khu phố); the street name stays.
"""

import re

MASK = "***"

# Up to four words after a cue; the callback keeps only the leading capitalised ones (Python's
# str.isupper knows every Vietnamese capital, a character range would not).
_NAME = r"[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,3}"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\d/])(?:\+84|0084|84|0)(?:[\s.\-]?\d){9,10}(?![\d/])")
_ID_NUMBER = re.compile(
    r"(?<![\d/])(?<!\d[.,])(?:\d{12}|\d{9})(?![\d/]|[.,]\d)(?!\s*(?:đồng|đ\b|vnđ|vnd|triệu|tỷ))",
    re.IGNORECASE,
)
_CUES = "ông|bà|anh|chị|em|cô|chú|bác|cháu"
_SELF_CUES = r"tôi là|tôi tên là|tôi tên|tên tôi là|tên là|mình là|mình tên là"
# A cue inside a sentence is lower case; at the start (of the text, or after . ! ? : or a line
# break) it may be capitalised.
_CUE_NAME = re.compile(
    rf"(?:(?<=[.!?:\n]\s)|(?<=[.!?:\n])|^)(?P<cap>(?i:{_CUES}|{_SELF_CUES}))\s+(?P<name>{_NAME})"
    rf"|\b(?P<cue>{_CUES}|{_SELF_CUES})\s+(?P<name2>{_NAME})",
    re.MULTILINE,
)
# Words that follow a cue but are not names: titles, and place names that start with a cue.
_NOT_NAMES = {
    "chủ",
    "phó",
    "giám",
    "trưởng",
    "bí",
    "tổ",
    "cán",
    "công",
    "chánh",
    "thanh",
    "chuyên",
    "lãnh",
    "đại",
    "ủy",
    "uỷ",
    "bác",
    "sĩ",
    "giáo",
    "kiểm",
}
_PLACE_NAMES = {"bà rịa", "bà đen", "bà chiểu", "bà điểm", "ông lãnh", "bà quẹo", "bà hom"}
_STREET = r"(?:đường|phố|hẻm|kiệt|ngõ|ngách|tổ|khu phố)"
_HOUSE_NUMBER = re.compile(
    rf"(?P<lead>\b(?:nhà\s+số|nhà|số)\s+)\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*(?=,?\s+{_STREET}\b)"
    rf"|(?<!ngày )(?<![\d/])\d+[A-Za-z]?(?:/\d+[A-Za-z]?)+(?=,?\s+{_STREET}\b)",
    re.IGNORECASE,
)


def _mask_name(match: re.Match) -> str:
    cue = match.group("cap") or match.group("cue")
    words = (match.group("name") or match.group("name2")).split()
    count = 0
    while count < len(words) and words[count][0].isupper():
        count += 1
    if count == 0 or words[0].lower() in _NOT_NAMES:
        return match.group(0)
    if f"{cue} {words[0]}".lower() in _PLACE_NAMES:
        return match.group(0)
    rest = " ".join(words[count:])
    return f"{cue} {MASK}" + (f" {rest}" if rest else "")


def _mask_house(match: re.Match) -> str:
    return f"{match.group('lead') or ''}{MASK}"


def mask_personal_details(text: str) -> str:
    """``text`` with names, phone numbers, ID numbers, e-mails and house numbers replaced."""
    if not text:
        return ""
    text = _EMAIL.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    text = _ID_NUMBER.sub(MASK, text)
    text = _HOUSE_NUMBER.sub(_mask_house, text)
    return _CUE_NAME.sub(_mask_name, text)
