import pytest
from django.core.exceptions import ValidationError

from egov.identity.services import (
    CITIZEN_ID_PROVINCE_CODES,
    login_key,
    mask_citizen_id,
    mask_username,
    normalise_phone,
    tax_code_check_digit,
    validate_citizen_id,
    validate_tax_code,
)


@pytest.mark.parametrize(
    "raw",
    ["0912345678", "+84912345678", "84912345678", "+84 912 345 678", "0912.345.678",
     "0912-345-678", "(+84) 912 345 678", "0084912345678", "+84 0912 345 678"],
)  # fmt: skip
def test_phone_forms_normalise_to_one(raw):
    assert normalise_phone(raw) == "0912345678"


@pytest.mark.parametrize(
    "raw", ["", "091234567", "09123456789", "0212345678", "02763822123", "abc", "1912345678"]
)
def test_bad_phones_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_login_key_normalises_phone_and_email_and_keeps_staff_logins():
    assert login_key("+84 912 345 678") == "0912345678"
    assert login_key("  An.Nguyen@Example.VN ") == "an.nguyen@example.vn"
    assert login_key("STP.TiepNhan") == "stp.tiepnhan"


def test_the_province_list_has_the_63_pre_2025_provinces():
    assert len(CITIZEN_ID_PROVINCE_CODES) == 63
    assert CITIZEN_ID_PROVINCE_CODES["072"] == "Tây Ninh"
    assert CITIZEN_ID_PROVINCE_CODES["080"] == "Long An"
    assert CITIZEN_ID_PROVINCE_CODES["079"] == "Hồ Chí Minh"


def test_citizen_id_decodes_province_sex_and_year():
    info = validate_citizen_id("079203001234")
    assert (info.birth_province, info.sex, info.birth_year) == ("Hồ Chí Minh", "male", 2003)
    info = validate_citizen_id("072090001234")
    assert (info.birth_province, info.sex, info.birth_year) == ("Tây Ninh", "male", 1990)
    assert validate_citizen_id("001 185 000 001").birth_year == 1985
    assert validate_citizen_id("080301000001").sex == "female"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("07920300123", "citizen_id_format"),  # 11 digits
        ("0792030012345", "citizen_id_format"),  # 13 digits
        ("07920300123a", "citizen_id_format"),
        ("000203001234", "citizen_id_province"),
        ("003203001234", "citizen_id_province"),  # 003 is not used (Hà Giang is 002, Cao Bằng 004)
        ("097203001234", "citizen_id_province"),
        ("079499001234", "citizen_id_year"),  # born 2199
    ],
)
def test_bad_citizen_ids(raw, code):
    with pytest.raises(ValidationError) as info:
        validate_citizen_id(raw)
    assert info.value.code == code


def test_mask_citizen_id():
    assert mask_citizen_id("079203001234") == "079******234"
    assert mask_citizen_id("") == ""


def test_mask_username_keeps_little():
    assert mask_username("0912345678") == "09******78"
    assert mask_username("an.nguyen@example.vn") == "an***@example.vn"


@pytest.mark.parametrize("code", ["0100107518", "0101248141", "0100109106", "0100107518-001"])
def test_published_tax_codes_pass(code):
    assert validate_tax_code(code) == code


def test_check_digit_formula():
    assert tax_code_check_digit("010010751") == 8
    # A remainder of 0 gives 10, which is never issued.
    assert tax_code_check_digit("000000000") is None


@pytest.mark.parametrize(
    "code",
    ["0100107519", "010010751", "01001075180", "0100107518-01", "0100107518-000", "0100107518/001",
     "abcdefghij", "0000000000"],
)  # fmt: skip
def test_bad_tax_codes(code):
    with pytest.raises(ValidationError):
        validate_tax_code(code)
