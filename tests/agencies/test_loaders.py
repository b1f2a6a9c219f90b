import json
from io import StringIO

import pytest
from django.core.management import call_command

from egov.agencies import loaders
from egov.agencies.models import Agency, Unit
from egov.places.models import AdminUnit

pytestmark = pytest.mark.django_db

PROVINCE_CODES = {
    "UBND": "Ủy ban nhân dân tỉnh Tây Ninh",
    "VPUBND": "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh",
    "TTPVHCC": "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh",
    "SNV": "Sở Nội vụ tỉnh Tây Ninh",
    "STP": "Sở Tư pháp tỉnh Tây Ninh",
    "STC": "Sở Tài chính tỉnh Tây Ninh",
    "SCT": "Sở Công Thương tỉnh Tây Ninh",
    "SNNMT": "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh",
    "SXD": "Sở Xây dựng tỉnh Tây Ninh",
    "SKHCN": "Sở Khoa học và Công nghệ tỉnh Tây Ninh",
    "SGDDT": "Sở Giáo dục và Đào tạo tỉnh Tây Ninh",
    "SYT": "Sở Y tế tỉnh Tây Ninh",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh",
    "SDTTG": "Sở Dân tộc và Tôn giáo tỉnh Tây Ninh",
    "TTRA": "Thanh tra tỉnh Tây Ninh",
}


def test_the_provincial_agencies_have_the_agreed_codes():
    found = dict(Agency.objects.filter(code__in=PROVINCE_CODES).values_list("code", "name"))
    assert found == PROVINCE_CODES
    province = Agency.objects.filter(level=Agency.Level.PROVINCE)
    assert set(province.values_list("place__code", flat=True)) == {"80"}
    assert set(province.exclude(code="UBND").values_list("parent__code", flat=True)) == {"UBND"}
    assert Agency.objects.get(code="TTPVHCC").kind == Agency.Kind.SERVICE_CENTRE
    assert set(Unit.objects.filter(agency__code="STP").values_list("name", flat=True)) >= {
        "Phòng Hành chính tư pháp",
        "Phòng Bổ trợ tư pháp",
    }


def test_every_commune_of_tay_ninh_has_a_committee_and_a_service_centre():
    communes = AdminUnit.objects.filter(parent__code="80", valid_to__isnull=True)
    committees = Agency.objects.filter(kind=Agency.Kind.PEOPLES_COMMITTEE, level="commune")
    centres = Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, level="commune")
    assert committees.count() == centres.count() == 96
    assert set(committees.values_list("place_id", flat=True)) == set(
        communes.values_list("id", flat=True)
    )
    assert set(committees.values_list("parent__code", flat=True)) == {"UBND"}
    for centre in centres.select_related("parent", "place"):
        assert centre.code == f"TTX{centre.place.code}"
        assert centre.parent.code == f"UBX{centre.place.code}"
        assert centre.parent.place_id == centre.place_id


def test_commune_names_and_units_follow_the_kind_of_commune():
    xa = Agency.objects.get(code="UBX25486")
    assert (xa.name, xa.place.code) == ("Ủy ban nhân dân xã Tân Biên", "25486")
    assert set(xa.units.values_list("name", flat=True)) >= {
        "Phòng Văn hóa – Xã hội",
        "Phòng Kinh tế",
    }
    phuong = Agency.objects.get(code="UBX25459")
    assert phuong.name == "Ủy ban nhân dân phường Tân Ninh"
    assert set(phuong.units.values_list("name", flat=True)) >= {
        "Phòng Văn hóa – Xã hội",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
    }
    assert not phuong.units.filter(name="Phòng Kinh tế").exists()
    centre = Agency.objects.get(code="TTX25459")
    assert centre.name == "Trung tâm phục vụ hành chính công phường Tân Ninh"


def test_codes_are_unique_in_the_data_file_and_in_the_database():
    data = json.loads((loaders.DATA_DIR / "tay_ninh.json").read_text(encoding="utf-8"))
    codes = [agency["code"] for agency in data["agencies"]]
    assert len(codes) == len(set(codes))
    assert Agency.objects.count() == len(codes) + 2 * 96
    assert Agency.objects.values("code").distinct().count() == Agency.objects.count()


def test_unconfirmed_entries_carry_a_note():
    data = json.loads((loaders.DATA_DIR / "tay_ninh.json").read_text(encoding="utf-8"))
    for agency in data["agencies"]:
        if agency.get("unconfirmed"):
            assert agency.get("note"), agency["code"]


def test_a_second_run_changes_nothing_and_repairs_a_changed_name():
    Agency.objects.filter(code="UBX25486").update(name="Sai tên")
    Unit.objects.filter(agency__code="STP", code="HCTP").update(name="Sai")
    out = StringIO()
    call_command("load_agencies", stdout=out)
    assert "load_agencies: 0 created, 1 updated, 207 unchanged, 0 failed" in out.getvalue()
    assert "load_agencies (phòng): 0 created, 1 updated" in out.getvalue()
    assert Agency.objects.get(code="UBX25486").name == "Ủy ban nhân dân xã Tân Biên"
    assert Agency.objects.get(code="UBX25486").name_folded.startswith("uy ban nhan dan xa tan bien")
    agencies, units = loaders.load_agencies(out=StringIO())
    assert (agencies.created, agencies.updated, agencies.unchanged) == (0, 0, 208)
    assert (units.created, units.updated) == (0, 0)


def test_a_loaded_address_is_kept_when_the_data_does_not_know_it():
    Agency.objects.filter(code="STP").update(address="Địa chỉ nhập tay")
    loaders.load_agencies(out=StringIO())
    assert Agency.objects.get(code="STP").address == "Địa chỉ nhập tay"


def test_another_province_gets_its_commune_agencies_without_a_data_file():
    agencies, _units = loaders.load_agencies("01", out=StringIO())
    hanoi_communes = AdminUnit.objects.filter(parent__code="01", valid_to__isnull=True).count()
    assert agencies.created == 2 * hanoi_communes
    assert agencies.failures and "ha_noi.json" in agencies.failures[0]
    assert Agency.objects.get(code="UBX00070").name == "Ủy ban nhân dân phường Hoàn Kiếm"
    assert Agency.objects.get(code="UBX00070").parent is None


def test_agencies_of_an_ended_commune_are_closed_not_deleted():
    from datetime import date

    old = AdminUnit.objects.create(
        code="25462",
        name="Phường 2",
        kind="phuong",
        level=3,
        valid_from=date(2013, 12, 29),
        valid_to=date(2025, 7, 1),
    )
    Agency.objects.create(
        code="UBX25462",
        name="Ủy ban nhân dân phường 2",
        level="commune",
        kind="peoples_committee",
        place=old,
    )
    agencies, _units = loaders.load_agencies(out=StringIO())
    assert agencies.updated == 1
    assert Agency.objects.get(code="UBX25462").is_active is False
    assert Agency.objects.get(code="UBX25486").is_active is True
