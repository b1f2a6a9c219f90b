"""E-forms (biểu mẫu điện tử): a procedure's form as JSON data, checked twice.

``validate_eform_schema`` checks a definition (admin edits and the loader call it, so a broken
form is never saved); ``validate_form_data`` checks what an applicant filled in against it and
returns JSON-ready cleaned values (dates as ISO strings, decimals as strings). The portal renders
the same definition, the API validates with it, and the one-stop shop calls it at submission.

A definition is ``{"fields": [{"name", "label", "type", ...}, ...]}``; ``{}`` means "no e-form".
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD_TYPES = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "date",
    "email",
    "phone",
    "citizen_id",
    "tax_code",
    "select",
    "checkbox",
    "place",
)
TEXT_TYPES = {"text", "textarea"}
NUMBER_TYPES = {"integer", "decimal"}
FIELD_KEYS = {
    "name",
    "label",
    "type",
    "required",
    "help",
    "min_length",
    "max_length",
    "min",
    "max",
    "pattern",
    "pattern_message",
    "choices",
}
FORM_KEYS = {"fields", "title", "description"}
# Without a max_length of their own, free text is capped so a form cannot carry a novel.
DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 5000}
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_CITIZEN_ID = re.compile(r"\d{12}")
# Tax codes (mã số thuế): 10 digits, or 10 digits + "-" + 3 for a dependent unit
# (Circular 105/2020/TT-BTC, Article 5).
_TAX_CODE = re.compile(r"\d{10}(-\d{3})?")
# Mobile numbers since the 2018 renumbering start 03, 05, 07, 08, 09 (10 digits); landlines
# start 02 with an area code (11 digits).
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def fields_of(eform: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not isinstance(eform, dict):
        return []
    fields = eform.get("fields")
    return fields if isinstance(fields, list) else []


# ---------------------------------------------------------------------------------------------
# The definition


def validate_eform_schema(eform: Any) -> list[str]:
    """Return the problems in an e-form definition (empty when it is sound)."""
    if eform in (None, {}):
        return []
    if not isinstance(eform, dict):
        return [_("Biểu mẫu phải là một đối tượng JSON.")]
    problems = [
        _("Khóa không hợp lệ ở biểu mẫu: %(key)s.") % {"key": key}
        for key in sorted(set(eform) - FORM_KEYS)
    ]
    fields = eform.get("fields")
    if not isinstance(fields, list):
        return [*problems, _("Biểu mẫu phải có danh sách trường “fields”.")]
    seen: set[str] = set()
    for index, field in enumerate(fields, start=1):
        if not isinstance(field, dict):
            problems.append(_("Trường thứ %(n)d không phải là đối tượng.") % {"n": index})
            continue
        name = field.get("name")
        where = (
            _("Trường “%(name)s”") % {"name": name}
            if isinstance(name, str)
            else _("Trường thứ %(n)d") % {"n": index}
        )
        problems.extend(f"{where}: {p}" for p in _field_problems(field))
        if isinstance(name, str):
            if name in seen:
                problems.append(f"{where}: " + _("tên bị trùng."))
            seen.add(name)
    return problems


def _field_problems(field: dict[str, Any]) -> list[str]:
    problems = []
    unknown = sorted(set(field) - FIELD_KEYS)
    if unknown:
        problems.append(_("khóa không hợp lệ: %(keys)s.") % {"keys": ", ".join(unknown)})
    name, kind = field.get("name"), field.get("type")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(_("tên phải viết thường kiểu snake_case (a-z, 0-9, _)."))
    if not isinstance(field.get("label"), str) or not field["label"].strip():
        problems.append(_("thiếu nhãn (label)."))
    if kind not in FIELD_TYPES:
        problems.append(_("kiểu “%(type)s” không được hỗ trợ.") % {"type": kind})
        return problems
    if "required" in field and not isinstance(field["required"], bool):
        problems.append(_("“required” phải là true hoặc false."))
    if "help" in field and not isinstance(field["help"], str):
        problems.append(_("“help” phải là chuỗi."))
    problems.extend(_length_problems(field, kind))
    problems.extend(_bound_problems(field, kind))
    problems.extend(_pattern_problems(field, kind))
    problems.extend(_choice_problems(field, kind))
    return problems


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _length_problems(field: dict[str, Any], kind: str) -> list[str]:
    keys = [k for k in ("min_length", "max_length") if k in field]
    if not keys:
        return []
    if kind not in TEXT_TYPES:
        return [_("“min_length”/“max_length” chỉ dùng cho trường văn bản.")]
    if not all(_is_count(field[k]) for k in keys):
        return [_("“min_length”/“max_length” phải là số nguyên không âm.")]
    if len(keys) == 2 and field["min_length"] > field["max_length"]:
        return [_("“min_length” lớn hơn “max_length”.")]
    return []


def _bound(kind: str, value: Any) -> Decimal | datetime.date | None:
    """A min/max bound as a comparable value, or None when it is not valid for the type."""
    if kind == "date":
        if value == "today":
            return timezone.localdate()
        return _parse_iso_date(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if kind == "integer" and not isinstance(value, int):
        return None
    return Decimal(str(value))


def _bound_problems(field: dict[str, Any], kind: str) -> list[str]:
    keys = [k for k in ("min", "max") if k in field]
    if not keys:
        return []
    if kind not in NUMBER_TYPES | {"date"}:
        return [_("“min”/“max” chỉ dùng cho số và ngày.")]
    bounds = {k: _bound(kind, field[k]) for k in keys}
    if any(b is None for b in bounds.values()):
        if kind == "date":
            return [_("“min”/“max” của ngày phải là ngày ISO (YYYY-MM-DD) hoặc “today”.")]
        return [_("“min”/“max” phải là số đúng kiểu của trường.")]
    if len(bounds) == 2 and bounds["min"] > bounds["max"]:
        return [_("“min” lớn hơn “max”.")]
    return []


def _pattern_problems(field: dict[str, Any], kind: str) -> list[str]:
    if "pattern" not in field:
        if "pattern_message" in field:
            return [_("“pattern_message” cần đi kèm “pattern”.")]
        return []
    if kind not in TEXT_TYPES:
        return [_("“pattern” chỉ dùng cho trường văn bản.")]
    if not isinstance(field["pattern"], str):
        return [_("“pattern” phải là chuỗi.")]
    try:
        re.compile(field["pattern"])
    except re.error as exc:
        return [_("biểu thức “pattern” không hợp lệ: %(error)s.") % {"error": exc}]
    if "pattern_message" in field and not isinstance(field["pattern_message"], str):
        return [_("“pattern_message” phải là chuỗi.")]
    return []


def _choice_problems(field: dict[str, Any], kind: str) -> list[str]:
    if kind != "select":
        return [_("“choices” chỉ dùng cho trường chọn.")] if "choices" in field else []
    choices = field.get("choices")
    if not isinstance(choices, list) or not choices:
        return [_("trường chọn cần danh sách “choices” không rỗng.")]
    values = []
    for choice in choices:
        if (
            not isinstance(choice, list | tuple)
            or len(choice) != 2
            or not all(isinstance(part, str) and part for part in choice)
        ):
            return [_("mỗi lựa chọn phải là cặp [giá trị, nhãn] bằng chuỗi.")]
        values.append(choice[0])
    if len(set(values)) != len(values):
        return [_("giá trị lựa chọn bị trùng.")]
    return []


# ---------------------------------------------------------------------------------------------
# The data


class _Invalid(Exception):
    """One field's value is wrong; the message is what the applicant reads."""


def validate_form_data(eform: dict[str, Any], data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Check ``data`` against the e-form; return ``(cleaned, errors)``.

    ``errors`` maps a field name (or ``"__all__"``) to a Vietnamese message; ``cleaned`` holds
    only valid, non-empty values, typed for JSON. Keys that the form does not define are
    rejected rather than ignored, so nothing unchecked reaches a dossier.
    """
    if not isinstance(data, dict):
        return {}, {"__all__": _("Dữ liệu biểu mẫu phải là một đối tượng JSON.")}
    fields = fields_of(eform)
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {field["name"] for field in fields}
    for key in data:
        if key not in known:
            errors[str(key)] = _("Trường này không có trong biểu mẫu.")
    for field in fields:
        name = field["name"]
        value = data.get(name)
        if field["type"] == "checkbox":
            try:
                checked = _clean_checkbox(value)
            except _Invalid as exc:
                errors[name] = str(exc)
                continue
            if field.get("required") and not checked:
                errors[name] = _("Bạn cần đánh dấu ô này.")
            else:
                cleaned[name] = checked
            continue
        if _is_empty(value):
            if field.get("required"):
                errors[name] = _("Trường này là bắt buộc.")
            continue
        try:
            cleaned[name] = _CLEANERS[field["type"]](field, value)
        except _Invalid as exc:
            errors[name] = str(exc)
    return cleaned, errors


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(_("Giá trị phải là chuỗi ký tự."))
    return value.strip()


def _clean_text(field: dict[str, Any], value: Any) -> str:
    text = _as_text(value)
    if field["type"] == "text":
        text = re.sub(r"\s+", " ", text)
    max_length = field.get("max_length", DEFAULT_MAX_LENGTH[field["type"]])
    if len(text) > max_length:
        raise _Invalid(_("Tối đa %(n)d ký tự.") % {"n": max_length})
    if len(text) < field.get("min_length", 0):
        raise _Invalid(_("Tối thiểu %(n)d ký tự.") % {"n": field["min_length"]})
    if "pattern" in field and not re.fullmatch(field["pattern"], text):
        raise _Invalid(field.get("pattern_message") or _("Giá trị không đúng định dạng."))
    return text


def _check_bounds(field: dict[str, Any], value: Any, shown: Callable[[Any], str]) -> None:
    low = _bound(field["type"], field["min"]) if "min" in field else None
    high = _bound(field["type"], field["max"]) if "max" in field else None
    if low is not None and value < low:
        raise _Invalid(_("Giá trị phải từ %(min)s trở lên.") % {"min": shown(low)})
    if high is not None and value > high:
        raise _Invalid(_("Giá trị không được vượt quá %(max)s.") % {"max": shown(high)})


def _clean_integer(field: dict[str, Any], value: Any) -> int:
    if isinstance(value, bool):
        raise _Invalid(_("Giá trị phải là số nguyên."))
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise _Invalid(_("Giá trị phải là số nguyên."))
    _check_bounds(field, Decimal(value), lambda d: str(int(d)))
    return value


def _clean_decimal(field: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Invalid(_("Giá trị phải là số."))
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d{1,18}(\.\d{1,6})?", text):
        raise _Invalid(_("Giá trị phải là số (dùng dấu chấm cho phần thập phân)."))
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        raise _Invalid(_("Giá trị phải là số.")) from None
    _check_bounds(field, number, lambda d: f"{d.normalize():f}")
    return f"{number:f}"


def _parse_iso_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _clean_date(field: dict[str, Any], value: Any) -> str:
    day = _parse_iso_date(value)
    if day is None:
        raise _Invalid(_("Ngày không hợp lệ (định dạng YYYY-MM-DD)."))
    _check_bounds(field, day, lambda d: d.strftime("%d/%m/%Y"))
    return day.isoformat()


def _clean_email(field: dict[str, Any], value: Any) -> str:
    text = _as_text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise _Invalid(_("Địa chỉ thư điện tử không hợp lệ.")) from None
    return text


def _clean_phone(field: dict[str, Any], value: Any) -> str:
    number = _PHONE_SEPARATORS.sub("", _as_text(value))
    if number.startswith("+84"):
        number = "0" + number[3:]
    elif number.startswith("84") and len(number) in (11, 12):
        number = "0" + number[2:]
    if not (_MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number)):
        raise _Invalid(_("Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc 02763822xxx)."))
    return number


def _clean_citizen_id(field: dict[str, Any], value: Any) -> str:
    # Personal identification numbers have 12 digits (Decree 137/2015/NĐ-CP, Article 13).
    text = _as_text(value).replace(" ", "")
    if not _CITIZEN_ID.fullmatch(text):
        raise _Invalid(_("Số định danh cá nhân gồm đúng 12 chữ số."))
    return text


def _clean_tax_code(field: dict[str, Any], value: Any) -> str:
    text = _as_text(value).replace(" ", "")
    if not _TAX_CODE.fullmatch(text):
        raise _Invalid(_("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số."))
    return text


def _clean_select(field: dict[str, Any], value: Any) -> str:
    if not isinstance(value, str) or value not in {choice[0] for choice in field["choices"]}:
        raise _Invalid(_("Lựa chọn không hợp lệ."))
    return value


def _clean_checkbox(value: Any) -> bool:
    if value is None or value is False or value == "":
        return False
    if value is True:
        return True
    if isinstance(value, str) and value.lower() in {"on", "true", "1"}:
        return True
    if isinstance(value, str) and value.lower() in {"off", "false", "0"}:
        return False
    raise _Invalid(_("Giá trị phải là có hoặc không."))


def _clean_place(field: dict[str, Any], value: Any) -> str:
    code = _as_text(value)
    if code not in province_commune_codes():
        raise _Invalid(_("Xã, phường không thuộc tỉnh hoặc không còn hiệu lực."))
    return code


def province_commune_codes() -> set[str]:
    """Codes of the communes (xã, phường, đặc khu) of the configured province in force today."""
    return set(province_communes().values_list("code", flat=True))


def province_communes():
    from egov.places.models import AdminUnit

    return AdminUnit.objects.filter(
        level=AdminUnit.Level.COMMUNE,
        valid_to__isnull=True,
        parent__code=str(settings.EGOV_PROVINCE_CODE),
        parent__valid_to__isnull=True,
    ).order_by("name")


_CLEANERS: dict[str, Callable[[dict[str, Any], Any], Any]] = {
    "text": _clean_text,
    "textarea": _clean_text,
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "date": _clean_date,
    "email": _clean_email,
    "phone": _clean_phone,
    "citizen_id": _clean_citizen_id,
    "tax_code": _clean_tax_code,
    "select": _clean_select,
    "place": _clean_place,
}
