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
   Also "hộ", "gia đình" and "người báo/gửi/phản ánh/liên hệ" (with or without a colon).
5. Full names without a cue: a common family name (Nguyễn, Trần, Lê …) followed by one to three
   capitalised syllables ("Lê Thị Mai"), except after a place or street word ("đường Trần Hưng
   Đạo", "phường Lê Lợi"), inside a capitalised name ("THCS Nguyễn Du"), right after a house number
   ("nhà 12 Nguyễn Trãi") and for a few well-known non-persons ("Cao Đài", "Hồ Chí Minh").
6. House numbers: ``số 12``, ``nhà số 12``, ``nhà 12``, ``12/3`` (``12/3A``, ``12/3/5``) and a bare
   ``45`` before a street word (đường, phố, hẻm, kiệt, ngõ, ngách, tổ, khu phố) — the bare number
   only when the street has a name or number ("45 đường Trần Hưng Đạo", not "3 đường bị ngập")
   and is not itself the number of an alley ("hẻm 45 đường …"); ``nhà 12`` also before a street
   name without a street word ("nhà 12 Nguyễn Trãi"). The street name stays.
7. Landlines with the area code in brackets: "(0276) 3822 123"; ID numbers written in groups
   ("072 090 000 999", "072.090.000.999") — 9 or 12 digits, not money.
8. The item's own details (``known``: the contact's name, phone and e-mail, the author's citizen
   ID), wherever they appear, even where no pattern matches; numbers in any grouping.
"""

import re
from collections.abc import Iterable

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
_CUES = (
    "ông|bà|anh|chị|em|cô|chú|bác|cháu|hộ|gia đình|người báo|người gửi|người phản ánh|người liên hệ"
)
_SELF_CUES = r"tôi là|tôi tên là|tôi tên|tên tôi là|tên là|mình là|mình tên là"
# A cue inside a sentence is lower case; at the start (of the text, or after . ! ? : or a line
# break) it may be capitalised.
_CUE_NAME = re.compile(
    rf"(?:(?<=[.!?:\n]\s)|(?<=[.!?:\n])|^)(?P<cap>(?i:{_CUES}|{_SELF_CUES})):?\s+(?P<name>{_NAME})"
    rf"|\b(?P<cue>{_CUES}|{_SELF_CUES}):?\s+(?P<name2>{_NAME})",
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
    rf"(?P<lead>\b(?:nhà\s+số|số\s+nhà|nhà|số)\s+)\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*(?=,?\s+{_STREET}\b)"
    rf"|(?<!ngày )(?<![\d/])\d+[A-Za-z]?(?:/\d+[A-Za-z]?)+(?=,?\s+{_STREET}\b)",
    re.IGNORECASE,
)
# A bare number before a named street ("45 đường Trần Hưng Đạo"), or after "nhà" before a street
# name without a street word ("nhà 12 Nguyễn Trãi"); checked further in ``_mask_bare_house``.
_BARE_HOUSE = re.compile(
    rf"(?<![\w/.,])(?P<number>\d+[A-Za-z]?)(?=,?\s+{_STREET}\s+(?P<street>\w))",
    re.IGNORECASE,
)
_HOUSE_BEFORE_NAME = re.compile(
    r"(?P<lead>\b(?:nhà\s+số|số\s+nhà|nhà)\s+)\d+[A-Za-z]?(?=\s+(?P<street>[^\W\d_]))",
    re.IGNORECASE,
)
# Words after which a number is not a house number: an alley's number, a date, a distance.
_NOT_HOUSE_BEFORE = {
    "đường",
    "phố",
    "hẻm",
    "kiệt",
    "ngõ",
    "ngách",
    "tổ",
    "ấp",
    "khu",
    "ngày",
    "tháng",
    "năm",
    "km",
    "lộ",
    "tỉnh",
    "số",
    "nhà",
}
_LANDLINE = re.compile(r"\((?:\+84|0)\d{2,3}\)[\s.\-]*\d{3,4}[\s.\-]?\d{3,4}(?!\d)")
_GROUPED_NUMBER = re.compile(r"(?<![\d/.,])\d{2,4}(?:[ .]\d{2,4}){2,5}(?![\d/]|[.,]\d)")
_MONEY_AFTER = re.compile(r"\s*(?:đồng|đ\b|vnđ|vnd|triệu|tỷ|nghìn|ngàn)", re.IGNORECASE)

# The common Vietnamese family names (about a hundred), capitalised as written.
FAMILY_NAMES = frozenset(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương
    Trịnh Trương Lâm Phùng Mai Tô Tạ Lưu Hà Châu Cao Thái Lương Quách Triệu Từ Hứa Mạc Thân
    Tăng Diệp Kiều Khổng Ông Tôn Nghiêm Chu Chung Quan Lục Giang Kha Hồng Âu La Lạc Lã Lò Mã
    Ninh Phó Phí Phương Quang Quản Thạch Thiều Tiêu Trang Trình Trà Ung Viên Yên Nông Đàm Đinh
    Đồng Hầu Hàn Khúc Kim Lại Lạng Lữ Mẫn Nhan Tất Thi Thủy Trác Vi Vưu Cù Cái Bạch
    Biện Doãn Giáp Hạ Khương Khuất Liêu Lều""".split()  # noqa: SIM905 (a list to read)
)
_PERSON = re.compile(
    rf"(?<!\w)(?P<family>{'|'.join(sorted(FAMILY_NAMES))})(?P<given>(?:[ \t]+[^\W\d_]+){{1,3}})"
)
# After these words a capitalised name is a place, street or institution, not a person.
_PLACE_WORDS = {
    "đường",
    "phố",
    "xã",
    "phường",
    "tỉnh",
    "huyện",
    "ấp",
    "quận",
    "thị",
    "trấn",
    "thành",
    "hẻm",
    "kiệt",
    "ngõ",
    "cầu",
    "chợ",
    "trường",
    "sông",
    "kênh",
    "núi",
    "hồ",
    "tư",
    "ba",
    "khu",
    "tuyến",
    "bến",
    "đình",
    "chùa",
    "viện",
    "công",
    "lộ",
    "tổ",
    "ngã",
    "nhà",
    "số",
    "thôn",
    "làng",
    "khóm",
    "bản",
    "vùng",
    "đoàn",
    "đội",
    "hội",
    "lớp",
    "học",
    "tiểu",
    "ban",
    "sở",
    "phòng",
    "ủy",
    "uỷ",
    "tâm",
    "ty",
}
_NOT_PERSONS = {
    "cao đài",
    "hồ chí minh",
    "hà nội",
    "châu thành",
    "lâm đồng",
    "hà tiên",
    "hồ dầu tiếng",
    "giang sơn",
    "hà giang",
    "đồng nai",
    "đồng tháp",
    "kim sơn",
    "lý sơn",
    "hồ gươm",
}


def _mask_name(match: re.Match) -> str:
    cue = match.group("cap") or match.group("cue")
    name = "name" if match.group("name") is not None else "name2"
    words = match.group(name).split()
    count = 0
    while count < len(words) and words[count][0].isupper():
        count += 1
    if count == 0 or words[0].lower() in _NOT_NAMES:
        return match.group(0)
    if f"{cue} {words[0]}".lower() in _PLACE_NAMES:
        return match.group(0)
    lead = match.string[match.start() : match.start(name)]
    rest = " ".join(words[count:])
    return f"{lead}{MASK}" + (f" {rest}" if rest else "")


def _words_before(text: str, position: int) -> list[str]:
    return text[:position].split()


def _mask_person(match: re.Match) -> str:
    """A family name and one to three capitalised syllables, unless the context says place."""
    given = match.group("given").split()
    count = 0
    while count < len(given) and given[count][0].isupper():
        count += 1
    if count == 0:
        return match.group(0)
    name = " ".join([match.group("family"), *given[:count]])
    if any(name.lower().startswith(known) for known in _NOT_PERSONS):
        return match.group(0)
    before = _words_before(match.string, match.start())
    if before:
        previous = before[-1]
        at_sentence_start = previous[-1] in ".!?:;,"
        if previous == MASK or previous.lower().strip(",") in _PLACE_WORDS or previous[0].isdigit():
            return match.group(0)
        if previous[0].isupper() and not at_sentence_start and len(before) > 1:
            return match.group(0)  # inside a longer proper name: "THCS Nguyễn Du"
    rest = " ".join(given[count:])
    return MASK + (f" {rest}" if rest else "")


def _mask_house(match: re.Match) -> str:
    return f"{match.group('lead') or ''}{MASK}"


def _mask_bare_house(match: re.Match) -> str:
    street = match.group("street")
    before = _words_before(match.string, match.start())
    if before and before[-1].lower().strip(",") in _NOT_HOUSE_BEFORE:
        return match.group(0)
    if not (street.isupper() or street.isdigit()):
        return match.group(0)
    return MASK


def _mask_house_before_name(match: re.Match) -> str:
    if not match.group("street").isupper():
        return match.group(0)
    return f"{match.group('lead')}{MASK}"


def _mask_grouped_number(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) not in (9, 12) or _MONEY_AFTER.match(match.string, match.end()):
        return match.group(0)
    return MASK


def _known_pattern(value: str) -> str | None:
    """A pattern for one known detail: numbers in any grouping, text as written (any case)."""
    value = (value or "").strip()
    digits = re.sub(r"\D", "", value)
    if value and len(digits) >= 6 and len(digits) >= len(value.replace(" ", "")) - 4:
        if digits.startswith("0"):
            digits = digits[1:]
            lead = r"(?:\+84|0084|84|0)[\s.\-]?"
        else:
            lead = ""
        return r"(?<!\d)" + lead + r"[\s.\-]?".join(digits) + r"(?!\d)"
    if len(value) < 3:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in value.split()) + r"(?!\w)"


def mask_personal_details(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with names, phone numbers, ID numbers, e-mails and house numbers replaced, and
    every occurrence of the ``known`` details (the item's own contact and author)."""
    if not text:
        return ""
    patterns = [p for p in map(_known_pattern, known) if p]
    if patterns:
        text = re.sub("|".join(patterns), MASK, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(MASK, text)
    text = _LANDLINE.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    text = _ID_NUMBER.sub(MASK, text)
    text = _GROUPED_NUMBER.sub(_mask_grouped_number, text)
    text = _HOUSE_NUMBER.sub(_mask_house, text)
    text = _BARE_HOUSE.sub(_mask_bare_house, text)
    text = _HOUSE_BEFORE_NAME.sub(_mask_house_before_name, text)
    text = _CUE_NAME.sub(_mask_name, text)
    return _PERSON.sub(_mask_person, text)
