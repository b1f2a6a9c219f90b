"""The Biểu 06 workbook and PDF, opened as files and read back cell by cell."""

import io
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from egov.agencies.models import Agency
from egov.reports import exports
from egov.reports.procedure_report import COLUMNS, Cell, procedure_report
from tests.dossiers.conftest import cast, local  # noqa: F401
from tests.reports.report_scenario import build
from tests.reports.test_procedure_report import AFTER, STP_MARCH

GENERATED = local(2026, 4, 2, 9, 30)


@pytest.fixture
def report(cast):  # noqa: F811
    build(cast)
    stp = Agency.objects.get(code="STP").pk
    return procedure_report(date(2026, 3, 1), date(2026, 3, 31), [stp], at=AFTER)


@pytest.fixture
def sheet(report):
    content = exports.workbook(report, "Sở Tư pháp tỉnh Tây Ninh", generated_at=GENERATED)
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_the_title_block_names_the_form_the_period_and_the_agency(sheet):
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert "01/2020/TT-VPCP" in sheet["A2"].value
    assert sheet["D1"].value == (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    )
    assert sheet["D3"].value == "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert sheet["M1"].value == "Đơn vị báo cáo: Sở Tư pháp tỉnh Tây Ninh"
    assert sheet["M4"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert sheet["D1"].font.bold


def test_the_header_cells_are_merged_as_in_the_form(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A6:A8", "B6:B8", "C6:F6", "G6:J6", "K6:M6", "N6:O6"} <= merged
    assert {"C7:C8", "D7:E7", "F7:F8", "G7:G8", "L7:L8", "O7:O8"} <= merged
    assert sheet["A6"].value == "STT"
    assert sheet["B6"].value == "Lĩnh vực, công việc giải quyết theo cấp"
    assert sheet["C6"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["G6"].value == "Số hồ sơ đã giải quyết"
    assert sheet["K6"].value == "Số hồ sơ đang giải quyết"
    assert sheet["D7"].value == "Trong đó" and sheet["F7"].value == "Từ kỳ trước"
    assert sheet["D8"].value == "Trực tuyến"
    assert sheet["E8"].value == "Trực tiếp, dịch vụ bưu chính"
    assert [sheet["H7"].value, sheet["I7"].value, sheet["J7"].value] == [
        "Trước hạn", "Đúng hạn", "Quá hạn"
    ]  # fmt: skip
    assert [sheet.cell(9, c).value for c in range(1, 16)] == [f"({n})" for n in range(1, 16)]


def test_the_numbers_are_numbers_and_the_totals_row_adds_up(sheet):
    expected = [len(STP_MARCH[c.cell]) for c in COLUMNS]
    row = [sheet.cell(10, c).value for c in range(1, 16)]
    assert row == [1, "Lý lịch tư pháp", *expected]
    assert all(isinstance(v, int) for v in row[2:])
    total = [sheet.cell(11, c).value for c in range(1, 16)]
    assert total == [None, "Tổng cộng", *expected]
    assert sheet.cell(11, 2).font.bold
    assert sheet.cell(10, 3).number_format == "#,##0"


def test_the_sheet_is_laid_out_for_reading_and_printing(sheet):
    assert sheet.freeze_panes == "C10"
    assert sheet.column_dimensions["B"].width == 42
    assert sheet.column_dimensions["C"].width == 11
    assert sheet.page_setup.orientation == "landscape"
    assert "(3) = (4) + (5) + (6)" in sheet["A13"].value
    assert "02/04/2026" in sheet["A14"].value


def test_an_empty_report_still_has_its_header_and_a_zero_total(cast):  # noqa: F811
    empty = procedure_report(date(2026, 3, 1), date(2026, 3, 31), [], at=AFTER)
    content = exports.workbook(empty, "—", generated_at=GENERATED)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["B10"].value == "Tổng cộng" and sheet["C10"].value == 0


def test_the_pdf_is_a_landscape_a4_table_with_the_same_figures(report):
    content = exports.pdf(report, "Sở Tư pháp tỉnh Tây Ninh", generated_at=GENERATED)
    reader = PdfReader(io.BytesIO(content))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = " ".join(page.extract_text().split())
    for phrase in (
        "Biểu số 06/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC",
        "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Đơn vị báo cáo: Sở Tư pháp tỉnh Tây Ninh",
        "Số hồ sơ nhận giải quyết",
        "Trực tiếp, dịch vụ bưu chính",
        "Lý lịch tư pháp",
        "Tổng cộng",
        "(15)",
    ):
        assert phrase in text, phrase
    figures = " ".join(str(len(STP_MARCH[c.cell])) for c in COLUMNS)
    assert f"Lý lịch tư pháp {figures}" in text
    assert reader.metadata.title.startswith("TÌNH HÌNH")


def test_file_names_carry_the_scope_and_the_period(report):
    assert exports.file_name(report, "STP,SYT", "pdf") == "bieu-06-STP-SYT-20260301-20260331.pdf"
    assert report.totals[Cell.RECEIVED] == 12
