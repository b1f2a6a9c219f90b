import pytest
from django.core.exceptions import ValidationError

from egov.identity import services
from egov.identity.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Cay-xoai-9-nhanh"


def citizen(**overrides):
    fields = {
        "full_name": "Nguyễn  Văn An",
        "password": PASSWORD,
        "citizen_id": "072090001234",
        "phone": "+84 912 345 678",
    }
    return services.register_citizen(**(fields | overrides))


def test_citizen_registers_with_phone_as_username_and_argon2_hash():
    user = citizen()
    assert user.username == "0912345678"
    assert user.phone == "0912345678"
    assert user.kind == User.Kind.CITIZEN
    assert user.full_name == "Nguyễn Văn An"
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_superuser


def test_citizen_with_email_only_uses_lowercased_email():
    user = citizen(phone="", email="An.Nguyen@Example.VN")
    assert user.username == "an.nguyen@example.vn"


def test_phone_or_email_is_required():
    with pytest.raises(ValidationError) as info:
        citizen(phone="", email="")
    assert "phone" in info.value.message_dict
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"full_name": "  "}, "full_name"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email", "phone": ""}, "email"),
        ({"password": "12345678"}, "password"),
        ({"password": "abc"}, "password"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(overrides, field):
    with pytest.raises(ValidationError) as info:
        citizen(**overrides)
    assert field in info.value.message_dict
    assert User.objects.count() == 0


def test_password_errors_are_in_vietnamese():
    with pytest.raises(ValidationError) as info:
        citizen(password="abc")
    assert any("Mật khẩu quá ngắn" in m for m in info.value.message_dict["password"])


@pytest.mark.parametrize(
    ("second", "field"),
    [
        ({"phone": "0912 345 678", "citizen_id": "072090009999"}, "phone"),
        ({"phone": "0987654321", "citizen_id": "072090001234"}, "citizen_id"),
    ],
)
def test_duplicates_are_refused(second, field):
    citizen()
    with pytest.raises(ValidationError) as info:
        citizen(**second)
    assert field in info.value.message_dict
    assert User.objects.count() == 1


def test_duplicate_email_is_refused():
    citizen(phone="", email="an@example.vn")
    with pytest.raises(ValidationError) as info:
        citizen(phone="0987654321", email="AN@example.vn", citizen_id="072090009999")
    assert "email" in info.value.message_dict


def test_organisation_registers_with_tax_code():
    user = services.register_organisation(
        organisation_name="Công ty TNHH Ánh Dương",
        representative_name="Lê Văn Cường",
        tax_code="0100107518-001",
        password=PASSWORD,
        email="lienhe@anhduong.vn",
    )
    assert user.kind == User.Kind.ORGANISATION
    assert user.username == "lienhe@anhduong.vn"
    assert user.tax_code == "0100107518-001"
    assert user.representative_name == "Lê Văn Cường"
    assert user.full_name == "Công ty TNHH Ánh Dương"


def test_organisation_with_bad_tax_code_or_missing_representative():
    with pytest.raises(ValidationError) as info:
        services.register_organisation(
            organisation_name="Công ty",
            representative_name="",
            tax_code="0100107519",
            password=PASSWORD,
            phone="0912345678",
        )
    assert {"tax_code", "representative_name"} <= set(info.value.message_dict)
    assert User.objects.count() == 0


def test_duplicate_tax_code_is_refused():
    kwargs = {
        "organisation_name": "Công ty",
        "representative_name": "Lê Văn Cường",
        "tax_code": "0100107518",
        "password": PASSWORD,
    }
    services.register_organisation(phone="0912345678", **kwargs)
    with pytest.raises(ValidationError) as info:
        services.register_organisation(phone="0987654321", **kwargs)
    assert "tax_code" in info.value.message_dict


def test_a_staff_login_name_cannot_be_taken_by_a_registration():
    User.objects.create_user("an@example.vn", "x", kind=User.Kind.STAFF)
    with pytest.raises(ValidationError) as info:
        citizen(phone="", email="an@example.vn")
    assert "email" in info.value.message_dict


def test_registration_never_makes_staff():
    # The services have no parameter for kind or staff flags; the kind is fixed by the function.
    user = citizen()
    assert user.kind == User.Kind.CITIZEN and not user.is_staff
