"""load_places: today's units from vietnam-provinces, legacy units and successions from CSV.

The CSV files in ``data/`` are small samples for these tests (codes and dates illustrative).
"""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.places import loaders
from egov.places.models import AdminUnit, UnitSuccession

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
REFORM = date(2025, 7, 1)


def current() -> "AdminUnit.objects":
    return AdminUnit.objects.filter(valid_to__isnull=True)


def test_it_loads_34_provinces_and_3321_communes_from_the_reform_date():
    assert current().filter(level=AdminUnit.Level.PROVINCE).count() == 34
    assert current().filter(level=AdminUnit.Level.COMMUNE).count() == 3321
    assert not current().exclude(valid_from=REFORM).exists()


def test_codes_are_zero_padded_strings():
    assert current().get(code="01").name == "Hà Nội"
    assert current().get(code="01").kind == AdminUnit.Kind.CENTRAL_CITY
    assert current().get(code="01").full_name == "Thành phố Hà Nội"
    assert current().get(code="00070").full_name == "Phường Hoàn Kiếm"
    assert current().get(code="00070").parent.code == "01"


def test_new_tay_ninh_has_96_communes_82_xa_and_14_phuong():
    tay_ninh = current().get(code="80")
    assert (tay_ninh.name, tay_ninh.kind, tay_ninh.level) == ("Tây Ninh", "tinh", 1)
    communes = current().filter(parent=tay_ninh)
    assert communes.count() == 96
    assert communes.filter(kind=AdminUnit.Kind.COMMUNE).count() == 82
    assert communes.filter(kind=AdminUnit.Kind.WARD).count() == 14
    assert communes.get(code="25486").name == "Tân Biên"


def test_special_zones_are_mapped():
    assert current().filter(kind=AdminUnit.Kind.SPECIAL_ZONE).count() == 13


def test_a_second_run_changes_nothing():
    summary = loaders.load_current_units(out=StringIO())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3355)
    assert not summary.failures


def test_a_run_repairs_a_changed_unit_and_prints_a_summary():
    AdminUnit.objects.filter(code="25486", valid_to__isnull=True).update(name="Sai tên")
    out = StringIO()
    call_command("load_places", stdout=out)
    assert current().get(code="25486").name == "Tân Biên"
    assert current().get(code="25486").name_folded == "xa tan bien"
    assert "load_places: 0 created, 1 updated, 3354 unchanged, 0 failed" in out.getvalue()
    assert "đơn vị hành chính: 3355/3355" in out.getvalue()


def test_legacy_units_and_successions_load_from_csv_and_again_idempotently():
    out = StringIO()
    call_command(
        "load_places",
        legacy=str(DATA / "legacy_sample.csv"),
        succession=str(DATA / "succession_sample.csv"),
        stdout=out,
    )
    assert "load_places --legacy: 6 created" in out.getvalue()
    assert "load_places --succession: 4 created" in out.getvalue()
    old_province = AdminUnit.objects.get(code="72")
    assert (old_province.valid_from, old_province.valid_to) == (date(1976, 2, 20), REFORM)
    district = AdminUnit.objects.get(code="705")
    assert (district.kind, district.level, district.parent) == ("huyen", 2, old_province)
    old_ward = AdminUnit.objects.get(code="25459", valid_to=REFORM)
    assert old_ward.full_name == "Phường 1"
    assert old_ward.parent.code == "703"
    tan_bien = current().get(code="25486")
    merged = UnitSuccession.objects.filter(new_unit=tan_bien)
    assert {s.old_unit.full_name for s in merged} == {"Thị trấn Tân Biên", "Xã Tân Lập"}
    assert [u.code for u in [s.new_unit for s in old_province.successors.all()]] == ["80"]

    again = StringIO()
    call_command(
        "load_places",
        legacy=str(DATA / "legacy_sample.csv"),
        succession=str(DATA / "succession_sample.csv"),
        stdout=again,
    )
    assert "load_places --legacy: 0 created, 0 updated, 6 unchanged" in again.getvalue()
    assert "load_places --succession: 0 created, 0 updated, 4 unchanged" in again.getvalue()


def test_a_bad_legacy_file_names_each_bad_line_and_loads_nothing():
    before = AdminUnit.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("load_places", legacy=str(DATA / "legacy_bad.csv"), stdout=StringIO())
    message = str(raised.value)
    assert "dòng 3: cột kind" in message
    assert "dòng 4: không có đơn vị cấp trên mã 999" in message
    assert "dòng 5: cột valid_from: ngày không hợp lệ" in message
    assert "dòng 2" not in message
    assert AdminUnit.objects.count() == before
    assert not AdminUnit.objects.filter(code="72").exists()


def test_a_bad_succession_file_names_the_line_and_loads_nothing():
    bad = StringIO(
        "old_code,old_valid_from,new_code,effective_on,source\n"
        "80,2025-07-01,25486,2025-07-01,ok\n"
        "99999,2000-01-01,80,2025-07-01,x\n"
        "80,2025-07-01,80,2025-13-01,x\n"
    )
    with pytest.raises(loaders.LoadError) as raised:
        loaders.load_successions(bad, out=StringIO())
    assert raised.value.errors[0].startswith("dòng 3: không có đơn vị cũ mã 99999")
    assert raised.value.errors[1].startswith("dòng 4: cột effective_on")
    assert not UnitSuccession.objects.exists()


def test_a_file_with_the_wrong_header_is_rejected():
    with pytest.raises(loaders.LoadError) as raised:
        loaders.load_legacy_units(StringIO("ma,ten\n1,x\n"), out=StringIO())
    assert raised.value.errors[0].startswith("dòng 1: tiêu đề cột")
