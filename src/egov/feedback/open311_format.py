"""Open311 GeoReport v2 wire format: the JSON and XML renderings, times and the error list.

The specification defines XML and maps JSON onto it by the Spark convention: an XML list element
(``<services>``) becomes a JSON array of its children (``<service>``), every other element a key.
So the views build one plain structure (dicts, lists, strings, numbers, booleans, None) and this
module writes it either way; the element names of the list items come from ``LIST_ITEMS``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")
CONTENT_TYPES: dict[Format, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# The child element of each list element in the specification's XML.
LIST_ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all (C0 controls other than tab, newline, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# W3C-DTF (the profile of ISO 8601 the specification names): a complete date, or a date and a
# time to the minute, second or fraction, which must then carry Z or a ±hh:mm offset.
_W3C = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<zone>Z|[+-]\d{2}:\d{2}))?"
)


def w3c(moment: datetime | None) -> str | None:
    """An aware moment as W3C-DTF in the province's time, e.g. ``2026-12-03T14:05:00+07:00``."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def parse_w3c(text: str) -> datetime:
    """Read a W3C-DTF date or moment; a bare date is midnight in the province's time.

    Raises ``ValueError`` for anything else, including a time without its zone (the
    specification requires one: a local time alone names no instant).
    """
    match = _W3C.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    if match["time"] is None:
        day = date.fromisoformat(match["date"])
        return timezone.make_aware(datetime.combine(day, time.min))
    zone = "+00:00" if match["zone"] == "Z" else match["zone"]
    return datetime.fromisoformat(f"{match['date']}T{match['time']}{zone}").astimezone(UTC)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ElementTree.Element, name: str, value: Any) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _append(element, LIST_ITEMS[name], child)
    else:
        element.text = _text(value) or None


def to_xml(root: str, payload: Any) -> bytes:
    """``payload`` under the element ``root``; a list's items are named by ``LIST_ITEMS``."""
    holder = ElementTree.Element("holder")
    _append(holder, root, payload)
    return XML_DECLARATION + ElementTree.tostring(holder[0], encoding="unicode").encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, default=_json_default).encode()


def render(fmt: Format, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """The response for ``payload``: ``root`` names the XML root (JSON has none)."""
    body = to_json(payload) if fmt == "json" else to_xml(root, payload)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: Format, status: int, descriptions: list[str]) -> HttpResponse:
    """The specification's error list; each error's code is the HTTP status, as it recommends."""
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", errors, status=status)
