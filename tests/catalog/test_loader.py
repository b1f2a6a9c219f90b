import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from egov.catalog.loaders import LoadError, load_procedures
from egov.catalog.models import DocumentComponent, Fee, Procedure, Sector

from .conftest import FIXTURE


def _write(tmp_path, records):
    path = tmp_path / "procedures.json"
    path.write_text(json.dumps({"source_note": "t", "procedures": records}), encoding="utf-8")
    return path


def _records():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["procedures"]


def test_load_creates_everything(agencies):
    summary = load_procedures(FIXTURE, out=io.StringIO())
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.sector.name == "Hộ tịch" and birth.sector.code == "ho-tich"
    assert birth.same_day_cutoff.strftime("%H:%M") == "15:00"
    assert birth.search_key == "1.001193 dang ky khai sinh"
    # @commune = every commune People's Committee of the province, and nothing else.
    assert sorted(birth.agencies.values_list("code", flat=True)) == ["UBX99001", "UBX99002"]
    notary = Procedure.objects.get(code="2.000815")
    assert sorted(notary.agencies.values_list("code", flat=True)) == [
        "STP",
        "UBX99001",
        "UBX99002",
    ]
    permit = Procedure.objects.get(code="1.009994")
    assert permit.components.first().name == "Đơn đề nghị cấp giấy phép xây dựng"
    assert permit.fees.get().amount_vnd == 150000 and permit.fees.get().unconfirmed
    assert permit.unconfirmed_fields == ["fees"]


def test_second_run_changes_nothing(agencies, django_assert_max_num_queries):
    load_procedures(FIXTURE, out=io.StringIO())
    fee_ids = list(Fee.objects.values_list("id", flat=True))
    with django_assert_max_num_queries(15):
        summary = load_procedures(FIXTURE, out=io.StringIO())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert list(Fee.objects.values_list("id", flat=True)) == fee_ids


def test_a_changed_record_is_updated(agencies, tmp_path):
    load_procedures(FIXTURE, out=io.StringIO())
    records = _records()
    records[1]["fees"][0]["amount_vnd"] = 200000
    records[1]["processing_time"]["amount"] = 15
    summary = load_procedures(_write(tmp_path, records), out=io.StringIO())
    assert (summary.updated, summary.unchanged) == (1, 2)
    permit = Procedure.objects.get(code="1.009994")
    assert permit.processing_time_amount == 15
    assert permit.fees.get().amount_vnd == 200000


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda r: r.update(level="district"), "level"),
        (lambda r: r.update(agencies=["NOPE"]), "NOPE"),
        (lambda r: r["processing_time"].update(unit="same_day", cutoff=None), "cutoff"),
        (lambda r: r["components"][0].update(form="scan"), "scan"),
        (lambda r: r["fees"][0].update(amount_vnd="50.000"), "amount_vnd"),
        (lambda r: r.update(eform={"fields": [{"name": "x", "type": "text"}]}), "eform"),
        (lambda r: r.pop("name"), "missing"),
        (lambda r: r.update(colour="red"), "colour"),
    ],
)
def test_a_bad_record_is_named_and_nothing_is_loaded(agencies, tmp_path, change, reason):
    records = _records()
    change(records[1])
    with pytest.raises(LoadError) as caught:
        load_procedures(_write(tmp_path, records), out=io.StringIO())
    assert len(caught.value.failures) == 1
    failure = caught.value.failures[0]
    assert failure.startswith("1.009994 (#1)") and reason in failure
    assert not Procedure.objects.exists() and not Sector.objects.exists()


def test_duplicate_codes_are_refused(agencies, tmp_path):
    records = _records()
    records.append(records[0])
    with pytest.raises(LoadError, match="twice"):
        load_procedures(_write(tmp_path, records), out=io.StringIO())


def test_commune_procedures_need_the_communes_loaded(province, tmp_path):
    with pytest.raises(LoadError, match="@commune"):
        load_procedures(_write(tmp_path, _records()[:1]), out=io.StringIO())


def test_command_reports_progress_and_summary(agencies):
    out = io.StringIO()
    call_command("load_procedures", file=FIXTURE, stdout=out)
    text = out.getvalue()
    assert "procedures: 3/3" in text
    assert "procedures: 3 created, 0 updated, 0 unchanged, 0 failed" in text


def test_command_fails_loudly_on_a_bad_file(agencies, tmp_path):
    records = _records()
    records[0]["online_level"] = "maybe"
    with pytest.raises(CommandError, match=r"1\.001193 \(#0\): online_level"):
        call_command("load_procedures", file=_write(tmp_path, records), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_procedures", file=tmp_path / "missing.json", stdout=io.StringIO())


def test_admin_cannot_save_a_broken_eform(catalog):
    procedure = Procedure.objects.get(code="1.001193")
    procedure.eform = {"fields": [{"name": "x", "label": "X", "type": "select"}]}
    with pytest.raises(ValidationError) as caught:
        procedure.full_clean()
    assert "eform" in caught.value.message_dict


def test_uploaded_template_survives_a_reload(catalog, tmp_path):
    component = DocumentComponent.objects.get(name="Tờ khai đăng ký khai sinh")
    component.template.name = "catalog/templates/to-khai.pdf"
    component.save()
    records = _records()
    records[0]["components"][1]["note"] = "changed"
    load_procedures(_write(tmp_path, records), out=io.StringIO())
    reloaded = DocumentComponent.objects.get(name="Tờ khai đăng ký khai sinh")
    assert reloaded.template.name == "catalog/templates/to-khai.pdf"
