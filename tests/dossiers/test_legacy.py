"""Importing a legacy system's dossiers: the sample files in data/legacy/, read, checked, stored."""

import json
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from egov.dossiers import access, actions, deadlines, legacy
from egov.dossiers.legacy import import_file, parse_moment
from egov.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    LegacyDossier,
    Status,
)

from .conftest import FORM, at, local

DATA = Path(__file__).parent / "data" / "legacy"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def by_code() -> dict[str, Dossier]:
    return {d.code: d for d in Dossier.objects.select_related("legacy", "procedure", "agency")}


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- good files ---------------------------------------------------------------------------------


def test_a_csv_with_bom_and_semicolons_stores_every_outcome_as_the_workflow_would():
    report = import_file(DATA / "semicolon_bom.csv")

    assert report.errors == []
    assert (report.read, report.valid, report.stored, report.skipped) == (9, 9, 9, 0)
    dossiers = by_code()
    assert {code: d.status for code, d in dossiers.items()} == {
        "MC-2025-000101": Status.RETURNED,
        "MC-2025-000102": Status.RESOLVED,
        "MC-2025-000103": Status.RETURNED,
        "MC-2025-000104": Status.REFUSED,
        "MC-2025-000105": Status.WITHDRAWN,
        "MC-2025-000106": Status.STOPPED,
        # "mc/2025/107" cannot be a code (lower case): the next code of STP that day, after the
        # 0007 the file itself keeps, so the live workflow never issues either again.
        "STP-251110-0008": Status.RECEIVED,
        "MC-2025-000108": Status.SUPPLEMENT,
        "STP-251110-0007": Status.RECEIVED,
    }
    assert DailySequence.objects.get(agency__code="STP", day="2025-11-10").last_number == 8
    first = dossiers["MC-2025-000101"]
    assert (first.legacy.source, first.legacy.legacy_id) == ("motcua-cu", "MC-2025-000101")
    assert first.channel == Dossier.Channel.ONLINE
    assert first.applicant_id_number == "072090000101"
    assert first.accepted_at == first.submitted_at == local(2025, 11, 3, 8, 15)
    assert first.due_at == first.sort_due == local(2025, 11, 13, 17, 0)
    assert first.resolved_at == local(2025, 11, 12, 10, 0)
    assert first.returned_at == local(2025, 11, 13, 9, 0)
    assert first.national_status() == 10
    assert dossiers["STP-251110-0008"].legacy.legacy_id == "mc/2025/107"
    # The national portal's full code stands for the catalog's 1.001193; "post" is kept.
    birth = dossiers["MC-2025-000103"]
    assert (birth.procedure.code, birth.agency.code) == ("1.001193", "UBX25486")
    assert birth.channel == Dossier.Channel.POST
    assert birth.accepted_at == local(2025, 11, 4, 14, 30)  # 07:30Z
    refused = dossiers["MC-2025-000104"]
    assert refused.outcome_note == "Không đủ điều kiện cấp phiếu"
    assert refused.national_status() == 9  # refused after acceptance ends with a result


def test_the_history_is_the_live_actions_story_marked_imported():
    import_file(DATA / "semicolon_bom.csv")
    dossiers = by_code()

    def story(code):
        events = dossiers[code].events.order_by("at", "pk")
        return [(e.action, e.from_status, e.to_status, e.at) for e in events]

    assert story("MC-2025-000102") == [
        ("accept", "submitted", "received", local(2025, 11, 3, 9, 0)),
        ("request_supplement", "received", "supplement", local(2025, 11, 5, 8, 0)),
        ("answer_supplement", "supplement", "received", local(2025, 11, 6, 8, 0)),
        ("attach_result", "received", "resolved", local(2025, 11, 17, 15, 0)),
    ]
    assert [a for a, *_ in story("MC-2025-000105")] == ["accept", "withdraw"]
    assert story("MC-2025-000106")[-1] == (
        "stop",
        "received",
        "stopped",
        local(2025, 11, 10, 10, 0),
    )
    assert [a for a, *_ in story("MC-2025-000101")] == ["accept", "attach_result", "return_result"]
    assert not DossierEvent.objects.filter(imported=False).exists()
    assert not DossierEvent.objects.filter(actor__isnull=False).exists()
    # The stopped clock: 24 hours of waiting = one working day (8 working hours) not counted.
    assert dossiers["MC-2025-000102"].stopped_working_seconds == 8 * 3600
    assert dossiers["MC-2025-000102"].supplement_round == 1


def test_pending_dossiers_wait_at_the_first_step_after_reception_with_their_clock():
    import_file(DATA / "semicolon_bom.csv")
    dossiers = by_code()
    waiting = dossiers["STP-251110-0007"]
    assert waiting.current_step.code == "handling"
    assert waiting.step_started_at == waiting.accepted_at
    assert waiting.step_due_at is not None and waiting.step_due_at <= waiting.due_at
    assert waiting.assignee is None
    paused = dossiers["MC-2025-000108"]
    assert paused.stopped_at == local(2025, 11, 12, 8, 0)
    assert paused.supplement_phase == Dossier.SupplementPhase.HANDLING
    # The clock is frozen where it stopped: long after the due moment it is still in time.
    assert deadlines.deadline_state(paused, local(2025, 12, 1, 8, 0)) == "in_time"
    assert deadlines.deadline_state(waiting, local(2025, 11, 13, 8, 0)) == "overdue"
    assert deadlines.deadline_state(dossiers["MC-2025-000102"], local(2025, 12, 1)) == "overdue"


def test_dd_mm_yyyy_with_vietnamese_headers_and_values_takes_the_source_option():
    report = import_file(DATA / "ddmmyyyy.csv", source="motcua-xa")

    assert (report.read, report.stored, report.errors) == (3, 3, [])
    dossiers = by_code()
    first = dossiers["DN-0001"]
    assert first.legacy.source == "motcua-xa"
    assert first.accepted_at == local(2025, 11, 3, 8, 0)
    assert first.status == Status.RETURNED and first.channel == Dossier.Channel.ONLINE
    assert dossiers["DN-0002"].status == Status.RESOLVED
    assert dossiers["DN-0002"].channel == Dossier.Channel.COUNTER
    assert dossiers["DN-0002"].outcome_note == "Trễ hẹn, chưa trả"
    assert dossiers["DN-0003"].channel == Dossier.Channel.POST
    assert dossiers["DN-0003"].status == Status.RECEIVED


def test_without_a_source_every_row_says_so_and_nothing_is_stored():
    report = import_file(DATA / "ddmmyyyy.csv")
    assert report.errors == [
        f"dòng {n}: thiếu source (cột source hoặc tùy chọn --source)" for n in (2, 3, 4)
    ]
    assert report.stored == 0 and not Dossier.objects.exists()


def test_a_json_export_with_supplement_periods():
    report = import_file(DATA / "dossiers.json")

    assert (report.read, report.stored, report.errors) == (3, 3, [])
    dossiers = by_code()
    assert dossiers["HCC-2020-00001"].stopped_working_seconds == 8 * 3600
    assert dossiers["HCC-2020-00002"].status == Status.REFUSED
    paused = dossiers["HCC-2020-00003"]
    assert paused.status == Status.SUPPLEMENT and paused.channel == Dossier.Channel.POST
    assert paused.stopped_at == local(2025, 10, 7, 8, 0)


def test_a_plain_json_list_is_read_too(tmp_path):
    rows = json.loads((DATA / "dossiers.json").read_text())["dossiers"]
    report = import_file(write(tmp_path, "export.json", json.dumps(rows)))
    assert (report.stored, report.errors) == (3, [])


# --- importing twice ----------------------------------------------------------------------------


def test_importing_the_same_file_twice_adds_nothing_and_says_so():
    import_file(DATA / "semicolon_bom.csv")
    counts = (Dossier.objects.count(), DossierEvent.objects.count(), LegacyDossier.objects.count())

    again = import_file(DATA / "semicolon_bom.csv")

    assert (again.read, again.valid, again.stored, again.skipped, again.errors) == (9, 9, 0, 9, [])
    assert "Mọi hồ sơ trong tệp đã được nhập trước đó; không thêm gì." in again.lines()
    assert counts == (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        LegacyDossier.objects.count(),
    )
    assert DailySequence.objects.get(agency__code="STP", day="2025-11-10").last_number == 8


def test_the_same_dossiers_written_in_another_format_are_the_same_rows(tmp_path):
    import_file(DATA / "dossiers.json")
    rows = json.loads((DATA / "dossiers.json").read_text())["dossiers"]
    rows[0]["received_at"] = "01/10/2025 08:00"  # the same moment, the Vietnamese way
    again = import_file(write(tmp_path, "again.json", json.dumps(rows)))
    assert (again.stored, again.skipped, again.errors) == (0, 3, [])


def test_a_changed_row_is_a_conflict_and_the_file_stores_nothing(tmp_path):
    import_file(DATA / "semicolon_bom.csv")
    text = (DATA / "semicolon_bom.csv").read_text(encoding="utf-8-sig")
    text = text.replace("Trần Thị Bình", "Trần Thị Bình An")
    text += "MC-2025-000199;motcua-cu;TMP-LLTP-CD;STP;online;Mới;;;;;2025-11-20 08:00;"
    text += "2025-12-04 17:00;;;;pending;;\n"
    before = Dossier.objects.count()

    report = import_file(write(tmp_path, "changed.csv", text))

    assert report.errors == [
        "dòng 3: xung đột — hồ sơ MC-2025-000102 của motcua-cu đã được nhập trước đó với nội "
        "dung khác; sửa trực tiếp trên hệ thống hoặc bỏ dòng này khỏi tệp"
    ]
    assert (report.stored, report.skipped) == (0, 8)
    assert Dossier.objects.count() == before
    assert by_code()["MC-2025-000102"].applicant_name == "Trần Thị Bình"


def test_the_same_legacy_id_from_another_source_is_another_dossier(tmp_path):
    import_file(DATA / "semicolon_bom.csv")
    text = (DATA / "semicolon_bom.csv").read_text(encoding="utf-8-sig")
    report = import_file(write(tmp_path, "other.csv", text.replace(";motcua-cu;", ";khac;")))
    assert (report.stored, report.errors) == (9, [])
    # Codes already taken (by the first source's dossiers) are generated anew.
    twin = LegacyDossier.objects.get(source="khac", legacy_id="MC-2025-000101").dossier
    assert twin.code == "STP-251103-0001"


# --- bad files ----------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_line_and_reason_and_nothing_is_stored():
    report = import_file(DATA / "bad.csv")

    assert report.errors == [
        "dòng 2: không có thủ tục mã 9.999999 trong danh mục",
        "dòng 3: không có cơ quan mã XYZ",
        "dòng 4: cơ quan STP không giải quyết thủ tục 1.001193",
        "dòng 5: received_at: “31/02/2025 08:00” không phải ngày giờ "
        "(cần YYYY-MM-DD HH:MM hoặc dd/mm/yyyy hh:mm)",
        "dòng 6: hạn trả (due_at) trước ngày tiếp nhận",
        "dòng 7: ngày có kết quả (resolved_at) trước ngày tiếp nhận",
        "dòng 8: hồ sơ đang giải quyết (pending) không được có resolved_at, returned_at, closed_at",
        "dòng 9: kết quả resolved cần ngày có kết quả (resolved_at)",
        "dòng 10: kết quả withdrawn cần ngày kết thúc (closed_at)",
        "dòng 11: kênh nộp “fax” không hợp lệ (online, direct hoặc post)",
        "dòng 12: thiếu applicant_name",
        "dòng 14: mã hồ sơ B-13 của cu trùng với dòng 13",
        "dòng 15: received_at ở tương lai",
        "dòng 16: lần bổ sung 1: kết thúc không sau lúc bắt đầu",
        "dòng 17: thư điện tử “khong-phai-email” không hợp lệ",
        "dòng 18: có 6 ô, tiêu đề có 13 cột",
    ]
    assert (report.read, report.valid, report.stored) == (17, 1, 0)
    assert "Không lưu hồ sơ nào vì tệp có lỗi." in report.lines()
    assert not Dossier.objects.exists() and not DailySequence.objects.exists()


def test_one_row_lists_all_its_problems(tmp_path):
    path = write(
        tmp_path,
        "many.csv",
        "legacy_id,procedure,agency,channel,applicant_name,received_at,due_at,outcome\n"
        ",9.9,XYZ,fax,,hôm qua,,xong\n",
    )
    report = import_file(path, source="cu")
    assert report.errors == [
        "dòng 2: thiếu legacy_id",
        "dòng 2: không có thủ tục mã 9.9 trong danh mục",
        "dòng 2: không có cơ quan mã XYZ",
        "dòng 2: kênh nộp “fax” không hợp lệ (online, direct hoặc post)",
        "dòng 2: thiếu applicant_name",
        "dòng 2: kết quả “xong” không hợp lệ (resolved, refused, withdrawn, stopped, pending)",
        "dòng 2: received_at: “hôm qua” không phải ngày giờ "
        "(cần YYYY-MM-DD HH:MM hoặc dd/mm/yyyy hh:mm)",
        "dòng 2: thiếu due_at",
    ]


def test_json_rows_are_named_by_their_index(tmp_path):
    good = json.loads((DATA / "dossiers.json").read_text())["dossiers"][0]
    rows = [
        good,
        "not an object",
        {**good, "legacy_id": "J-2", "colour": "blue"},
        {**good, "legacy_id": "J-3", "applicant_phone": 903000001},
        {**good, "legacy_id": "J-4", "supplement_periods": [["2025-10-02 08:00"]]},
        {**good, "legacy_id": "J-5", "supplement_periods": [{"from": "2025-10-02 08:00"}]},
    ]
    report = import_file(write(tmp_path, "bad.json", json.dumps(rows)))
    assert report.errors == [
        "phần tử [1]: mỗi hồ sơ phải là một đối tượng JSON",
        "phần tử [2]: trường không xác định: colour",
        "phần tử [3]: applicant_phone phải là chuỗi (số sẽ mất chữ số 0 ở đầu)",
        "phần tử [4]: supplement_periods không hợp lệ (cần “bắt đầu~kết thúc|bắt đầu~kết thúc”)",
        "phần tử [5]: lần bổ sung 1: chỉ lần bổ sung cuối của hồ sơ đang giải quyết được để "
        "trống kết thúc",
    ]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("latin1.csv", b"legacy_id\n\xf0\xe3", "tệp không phải UTF-8"),
        ("broken.json", b'{"dossiers": [', "tệp JSON không hợp lệ (dòng 1, cột 15)"),
        ("object.json", b'{"rows": []}', "tệp JSON phải là một danh sách hồ sơ"),
        ("empty.csv", b"", "dòng 1: tệp rỗng"),
        (
            "header.csv",
            "legacy_id,procedure,màu\n".encode(),
            "dòng 1: cột không xác định “màu”; thiếu cột agency, channel, applicant_name, "
            "received_at, due_at, outcome.",
        ),
    ],
)
def test_an_unreadable_file_is_one_clear_error(tmp_path, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    report = import_file(path)
    assert len(report.errors) == 1 and report.errors[0].startswith(error), report.errors
    assert report.read == 0


def test_a_dry_run_checks_everything_and_stores_nothing():
    report = import_file(DATA / "semicolon_bom.csv", dry_run=True)
    assert (report.read, report.valid, report.stored, report.errors) == (9, 9, 0, [])
    assert "Chạy thử: không lưu gì; chạy lại không có --dry-run để nhập." in report.lines()
    assert not Dossier.objects.exists() and not DailySequence.objects.exists()


# --- moments and codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-03T08:15:00+07:00", datetime(2025, 11, 3, 8, 15, tzinfo=ZONE)),
        ("2025-11-03T01:15:00Z", datetime(2025, 11, 3, 8, 15, tzinfo=ZONE)),
        ("2025-11-03 08:15", datetime(2025, 11, 3, 8, 15, tzinfo=ZONE)),
        ("3/11/2025 8:15", datetime(2025, 11, 3, 8, 15, tzinfo=ZONE)),
        ("03/11/2025 08:15:30", datetime(2025, 11, 3, 8, 15, 30, tzinfo=ZONE)),
    ],
)
def test_moments_in_every_accepted_form(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text", ["2025-11-03", "03/11/2025", "11/31/2025 08:00", "08:00"])
def test_a_moment_needs_a_valid_date_and_a_time(text):
    with pytest.raises(ValueError, match="không phải ngày giờ"):
        parse_moment(text)


def test_a_legacy_id_held_by_a_live_dossier_gets_a_generated_code(cast, tmp_path):
    live = actions.do_receive_at_counter(
        cast.reception, cast.procedure, cast.agency, applicant_name="Người Thật", form_data=FORM
    )
    text = (DATA / "semicolon_bom.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    row = lines[1].replace("MC-2025-000101", live.code, 1)
    report = import_file(write(tmp_path, "clash.csv", "\n".join([lines[0], row]) + "\n"))
    assert report.errors == []
    imported = LegacyDossier.objects.get(legacy_id=live.code).dossier
    assert imported.code == "STP-251103-0001"


# --- the officials' view ------------------------------------------------------------------------


def test_imported_dossiers_are_seen_by_their_agency_only(cast):
    import_file(DATA / "semicolon_bom.csv")
    dossiers = by_code()
    stp, commune = dossiers["STP-251110-0007"], dossiers["MC-2025-000103"]

    assert access.get_dossier_for(cast.reception, stp.public_id) == stp
    assert access.get_dossier_for(cast.auditor, stp.public_id) == stp
    for outsider in (cast.outsider, cast.citizen):
        with pytest.raises(access.DossierNotFound):
            access.get_dossier_for(outsider, stp.public_id)
    with pytest.raises(access.DossierNotFound):
        access.get_dossier_for(cast.reception, commune.public_id)


def test_the_inbox_holds_imported_pending_dossiers_with_their_deadline_state(cast):
    import_file(DATA / "semicolon_bom.csv")
    now = local(2025, 11, 20, 9, 0)

    def codes(user, **filters):
        rows, _cursor = access.queue_for(user, access.QueueFilter(now=now, **filters))
        return [d.code for d in rows]

    # The desk distributes the received ones (due order) and returns the resolved one.
    assert codes(cast.reception) == ["STP-251110-0007", "MC-2025-000102", "STP-251110-0008"]
    assert codes(cast.reception, deadline="overdue") == ["STP-251110-0007"]
    assert codes(cast.agency_leader, scope="agency", deadline="overdue") == ["STP-251110-0007"]
    with_time_left = codes(cast.agency_leader, scope="agency", status="supplement")
    assert with_time_left == ["MC-2025-000108"]


def test_the_workflow_goes_on_from_an_imported_pending_dossier(cast):
    import_file(DATA / "semicolon_bom.csv")
    dossier = Dossier.objects.get(code="STP-251110-0007")
    with at(local(2025, 11, 11, 9, 0)):
        actions.do_assign(cast.reception, dossier, cast.specialist)
    rows, _ = access.queue_for(cast.specialist, access.QueueFilter(now=local(2025, 11, 11, 10)))
    assert [d.code for d in rows] == ["STP-251110-0007"]
    assert rows[0].status == Status.PROCESSING
    assert rows[0].events.filter(imported=False).get().action == "assign"


def test_the_times_stored_are_aware_and_in_order():
    import_file(DATA / "semicolon_bom.csv")
    for dossier in Dossier.objects.all():
        moments = [dossier.accepted_at, dossier.resolved_at, dossier.returned_at]
        present = [m for m in moments if m is not None]
        assert present == sorted(present)
        assert dossier.due_at - dossier.accepted_at >= timedelta(0)


def test_the_bulk_insert_hook_gets_exactly_this_imports_dossiers_in_its_transaction():
    import_file(DATA / "dossiers.json")
    seen = {}

    def hook(dossiers):
        seen["codes"] = sorted(dossiers.values_list("code", flat=True))
        seen["in_transaction"] = transaction.get_connection().in_atomic_block

    with mock.patch.object(legacy, "_stored", hook):
        import_file(DATA / "ddmmyyyy.csv", source="motcua-xa")
    assert seen == {"codes": ["DN-0001", "DN-0002", "DN-0003"], "in_transaction": True}
