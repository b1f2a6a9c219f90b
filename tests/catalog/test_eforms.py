import datetime

import pytest

from egov.catalog.eforms import validate_eform_schema, validate_form_data

BIRTH = {
    "fields": [
        {
            "name": "child_full_name",
            "label": "Họ tên",
            "type": "text",
            "required": True,
            "max_length": 20,
        },
        {
            "name": "child_birth_date",
            "label": "Ngày sinh",
            "type": "date",
            "required": True,
            "max": "today",
        },
        {
            "name": "child_sex",
            "label": "Giới tính",
            "type": "select",
            "required": True,
            "choices": [["nam", "Nam"], ["nu", "Nữ"]],
        },
        {"name": "father_citizen_id", "label": "Số định danh của cha", "type": "citizen_id"},
        {"name": "children", "label": "Số con", "type": "integer", "min": 0, "max": 20},
        {"name": "area", "label": "Diện tích", "type": "decimal", "min": 0.5},
        {"name": "phone", "label": "Điện thoại", "type": "phone"},
        {"name": "email", "label": "Thư điện tử", "type": "email"},
        {"name": "tax", "label": "Mã số thuế", "type": "tax_code"},
        {
            "name": "plot",
            "label": "Số thửa",
            "type": "text",
            "pattern": "[0-9]{1,6}",
            "pattern_message": "Số thửa gồm 1 đến 6 chữ số.",
        },
        {"name": "agree", "label": "Cam đoan", "type": "checkbox", "required": True},
    ]
}
VALID = {
    "child_full_name": "  Nguyễn   Văn An ",
    "child_birth_date": "2025-01-31",
    "child_sex": "nam",
    "agree": True,
}


def test_the_sample_definition_is_sound():
    assert validate_eform_schema(BIRTH) == []
    assert validate_eform_schema({}) == []


@pytest.mark.parametrize(
    ("eform", "fragment"),
    [
        ([], "đối tượng JSON"),
        ({"fields": "x"}, "fields"),
        ({"fields": [], "extra": 1}, "extra"),
        ({"fields": [{"name": "Bad Name", "label": "x", "type": "text"}]}, "snake_case"),
        ({"fields": [{"name": "a", "label": "", "type": "text"}]}, "nhãn"),
        ({"fields": [{"name": "a", "label": "A", "type": "colour"}]}, "colour"),
        ({"fields": [{"name": "a", "label": "A", "type": "text"}] * 2}, "trùng"),
        ({"fields": [{"name": "a", "label": "A", "type": "select"}]}, "choices"),
        ({"fields": [{"name": "a", "label": "A", "type": "select", "choices": [["x"]]}]}, "cặp"),
        ({"fields": [{"name": "a", "label": "A", "type": "text", "pattern": "("}]}, "pattern"),
        ({"fields": [{"name": "a", "label": "A", "type": "integer", "min": 5, "max": 1}]}, "min"),
        ({"fields": [{"name": "a", "label": "A", "type": "date", "max": "31/12/2025"}]}, "ISO"),
        ({"fields": [{"name": "a", "label": "A", "type": "text", "colour": "red"}]}, "colour"),
        ({"fields": [{"name": "a", "label": "A", "type": "text", "required": "yes"}]}, "required"),
        (
            {"fields": [{"name": "a", "label": "A", "type": "integer", "max_length": 3}]},
            "max_length",
        ),
    ],
)
def test_broken_definitions_are_named(eform, fragment):
    problems = validate_eform_schema(eform)
    assert problems, eform
    assert any(fragment in p for p in problems), problems


def test_valid_data_is_cleaned():
    cleaned, errors = validate_form_data(BIRTH, VALID)
    assert errors == {}
    assert cleaned == {
        "child_full_name": "Nguyễn Văn An",
        "child_birth_date": "2025-01-31",
        "child_sex": "nam",
        "agree": True,
    }


def test_required_fields_and_unknown_keys():
    cleaned, errors = validate_form_data(BIRTH, {"child_full_name": " ", "spy": "x"})
    assert errors["child_full_name"] == "Trường này là bắt buộc."
    assert errors["child_birth_date"] == "Trường này là bắt buộc."
    assert errors["agree"] == "Bạn cần đánh dấu ô này."
    assert errors["spy"] == "Trường này không có trong biểu mẫu."
    assert "child_full_name" not in cleaned


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("father_citizen_id", "07909200123", "Số định danh cá nhân gồm đúng 12 chữ số."),
        ("father_citizen_id", "07909200123a", "Số định danh cá nhân gồm đúng 12 chữ số."),
        ("child_birth_date", "31/01/2025", "Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        ("child_birth_date", "2025-02-30", "Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        ("child_sex", "khac", "Lựa chọn không hợp lệ."),
        ("children", "2.5", "Giá trị phải là số nguyên."),
        ("children", True, "Giá trị phải là số nguyên."),
        ("children", 21, "Giá trị không được vượt quá 20."),
        ("children", -1, "Giá trị phải từ 0 trở lên."),
        ("area", "0.1", "Giá trị phải từ 0.5 trở lên."),
        ("area", "1,5", "Giá trị phải là số (dùng dấu chấm cho phần thập phân)."),
        ("email", "not-an-email", "Địa chỉ thư điện tử không hợp lệ."),
        ("tax", "12345", "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số."),
        ("plot", "12a", "Số thửa gồm 1 đến 6 chữ số."),
        ("child_full_name", "x" * 21, "Tối đa 20 ký tự."),
        ("child_full_name", 12, "Giá trị phải là chuỗi ký tự."),
    ],
)
def test_bad_values_get_a_vietnamese_message(field, value, message):
    _, errors = validate_form_data(BIRTH, {**VALID, field: value})
    assert errors == {field: message}


def test_a_future_birth_date_is_refused():
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    _, errors = validate_form_data(BIRTH, {**VALID, "child_birth_date": tomorrow})
    assert "child_birth_date" in errors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("0276.3822.123", "02763822123"),
    ],
)
def test_phone_numbers_are_normalised(value, expected):
    cleaned, errors = validate_form_data(BIRTH, {**VALID, "phone": value})
    assert errors == {}
    assert cleaned["phone"] == expected


@pytest.mark.parametrize("value", ["0123456789", "091234567", "12345"])
def test_bad_phone_numbers(value):
    _, errors = validate_form_data(BIRTH, {**VALID, "phone": value})
    assert "phone" in errors


def test_typed_values_from_strings_and_json():
    data = {
        **VALID,
        "children": "3",
        "area": 12.25,
        "tax": "0312345678-001",
        "father_citizen_id": "079092001234",
        "agree": "on",
    }
    cleaned, errors = validate_form_data(BIRTH, data)
    assert errors == {}
    assert cleaned["children"] == 3
    assert cleaned["area"] == "12.25"
    assert cleaned["tax"] == "0312345678-001"
    assert cleaned["agree"] is True


def test_data_must_be_an_object():
    _, errors = validate_form_data(BIRTH, ["x"])
    assert "__all__" in errors


def test_place_must_be_a_current_commune_of_the_province(communes):
    eform = {"fields": [{"name": "ward", "label": "Xã, phường", "type": "place", "required": True}]}
    cleaned, errors = validate_form_data(eform, {"ward": communes[0].code})
    assert errors == {} and cleaned == {"ward": communes[0].code}
    _, errors = validate_form_data(eform, {"ward": "99999"})
    assert errors == {"ward": "Xã, phường không thuộc tỉnh hoặc không còn hiệu lực."}
