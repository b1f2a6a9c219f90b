"""The Open311 wire format on its own: element names, JSON/XML mapping, times, errors."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from egov.feedback.open311_format import parse_w3c, render, render_errors, to_xml, w3c


def test_w3c_writes_province_time_with_its_offset() -> None:
    moment = datetime(2026, 12, 3, 7, 5, 9, 123456, tzinfo=UTC)
    assert w3c(moment) == "2026-12-03T14:05:09+07:00"
    assert w3c(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010-01-01T00:00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
        ("2026-12-03T14:05:09+07:00", datetime(2026, 12, 3, 7, 5, 9, tzinfo=UTC)),
        ("2026-12-03T14:05+07:00", datetime(2026, 12, 3, 7, 5, tzinfo=UTC)),
        ("2026-12-03T14:05:09.5-05:00", datetime(2026, 12, 3, 19, 5, 9, 500000, tzinfo=UTC)),
        ("2026-12-03", datetime(2026, 12, 2, 17, 0, tzinfo=UTC)),  # midnight in Tây Ninh
    ],
)
def test_parse_w3c_reads_the_profile(text: str, expected: datetime) -> None:
    assert parse_w3c(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "yesterday", "2026-12-03T14:05:09", "2026-13-03", "2026-12-03 14:05:09Z", "03/12/2026"],
)
def test_parse_w3c_refuses_the_rest(text: str) -> None:
    with pytest.raises(ValueError):
        parse_w3c(text)


def test_xml_uses_the_specifications_list_items_and_declaration() -> None:
    body = to_xml(
        "service_definition",
        {
            "service_code": "0007",
            "attributes": [
                {
                    "variable": True,
                    "code": "kind",
                    "required": False,
                    "datatype_description": None,
                    "values": [{"key": "a", "name": "Ổ gà"}],
                }
            ],
        },
    )
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<service_definition>')
    root = ElementTree.fromstring(body)
    attribute = root.find("attributes/attribute")
    assert root.findtext("service_code") == "0007"
    assert attribute.findtext("variable") == "true"
    assert attribute.findtext("required") == "false"
    assert attribute.find("datatype_description").text is None
    assert attribute.findtext("values/value/name") == "Ổ gà"


def test_xml_drops_characters_xml_cannot_carry() -> None:
    root = ElementTree.fromstring(to_xml("service_requests", [{"description": "a\x00b\x1fc\nd"}]))
    assert root.findtext("request/description") == "abc\nd"


def test_json_is_the_same_structure_in_utf8() -> None:
    response = render("json", "service_requests", [{"lat": Decimal("11.3"), "x": None}])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == [{"lat": 11.3, "x": None}]


def test_errors_are_a_list_of_code_and_description() -> None:
    response = render_errors("json", 403, ["Khóa API không hợp lệ."])
    assert response.status_code == 403
    assert json.loads(response.content) == [{"code": 403, "description": "Khóa API không hợp lệ."}]
    response = render_errors("xml", 400, ["một", "hai"])
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors"
    assert [e.findtext("code") for e in root.findall("error")] == ["400", "400"]
    assert [e.findtext("description") for e in root.findall("error")] == ["một", "hai"]
