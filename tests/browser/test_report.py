"""Biểu 06 in a real browser: a dossier received at the counter shows in this month's report;
the leader changes the period, drills into a number, opens the dossier and downloads the
workbook (opened with openpyxl)."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PDF, assert_accessible, screenshot
from tests.browser.test_workspace import sign_in

pytestmark = pytest.mark.browser
PEOPLE = {
    "phone": {"name": "Lý Thị Báo Cáo", "id": "072190444501", "phone": "0912444501"},
    "desktop": {"name": "Châu Văn Thống Kê", "id": "072090444502", "phone": "0912444502"},
}


def _receive_at_counter(page, live_url, person, tmp_path) -> str:
    sign_in(page, live_url, "stp.tiepnhan", "/can-bo/tiep-nhan/")
    page.get_by_label("Thủ tục").select_option("TMP-LLTP-CD")
    page.get_by_role("button", name="Chọn thủ tục").click()
    page.get_by_label("Họ và tên người nộp").fill(person["name"])
    page.get_by_label("Số định danh cá nhân (căn cước)").fill(person["id"])
    page.get_by_label("Số điện thoại", exact=True).fill(person["phone"])
    page.get_by_label("Địa chỉ", exact=True).fill("Khu phố 2, phường Tân Ninh, Tây Ninh")
    page.get_by_label("Loại phiếu").select_option(label="Phiếu số 1")
    page.get_by_label("Số lượng phiếu").fill("1")
    page.get_by_label("Mục đích sử dụng").fill("Bổ sung hồ sơ xin việc")
    page.get_by_label("Quá trình cư trú từ đủ 14 tuổi").fill("2008–2025: phường Tân Ninh")
    page.get_by_label("Họ và tên cha").fill("Lý Văn Cha")
    page.get_by_label("Họ và tên mẹ").fill("Trần Thị Mẹ")
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Nhận bản giấy trực tiếp")
    page.get_by_label("Số điện thoại liên hệ").fill(person["phone"])
    scan = tmp_path / "Tờ khai.pdf"
    scan.write_bytes(PDF)
    page.get_by_label(re.compile("^Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp")).set_input_files(
        str(scan)
    )
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    heading = page.get_by_role("heading", name=re.compile(r"Đã tiếp nhận hồ sơ STP-\d{6}-\d{4}"))
    expect(heading).to_be_visible()
    code = re.search(r"STP-\d{6}-\d{4}", heading.inner_text()).group(0)
    page.context.clear_cookies()
    return code


def _total(page, label: str) -> int:
    link = page.get_by_role("link", name=re.compile(rf"^Tổng cộng, {re.escape(label)}"))
    return int(link.inner_text())


def test_report_period_drill_down_and_workbook(live_url, page, viewport_name, tmp_path):
    code = _receive_at_counter(page, live_url, PEOPLE[viewport_name], tmp_path)

    # The agency leader opens the report from the workspace.
    sign_in(page, live_url, "stp.giamdoc")
    page.get_by_role("link", name="Báo cáo giải quyết TTHC").click()
    expect(
        page.get_by_role("heading", name="Báo cáo giải quyết thủ tục hành chính")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Sở Tư pháp"))).to_be_visible()
    direct = _total(page, "Trực tiếp, dịch vụ bưu chính (5)")
    assert direct >= 1
    assert _total(page, "Tổng số (3)") >= direct
    hint = page.get_by_text("Vuốt ngang để xem đủ các cột")
    if viewport_name == "phone":  # the table is wider than the screen: the hint says so
        expect(hint).to_be_visible()
    else:
        expect(hint).to_be_hidden()
    assert_accessible(page)
    screenshot(page, "report", viewport_name)

    # Last year: nothing received then.
    page.get_by_role("link", name="Năm trước").click()
    expect(page.get_by_text("Không có hồ sơ nào trong kỳ.")).to_be_visible()
    assert _total(page, "Tổng số (3)") == 0

    # Back to this month through the custom dates, then drill into the counter dossiers.
    page.get_by_role("link", name="Tháng này").click()
    start = page.get_by_label("Từ ngày").input_value()
    page.get_by_label("Từ ngày").fill(start)
    page.get_by_role("button", name="Xem báo cáo").click()
    assert _total(page, "Trực tiếp, dịch vụ bưu chính (5)") == direct
    page.get_by_role("link", name=re.compile(r"^Tổng cộng, Trực tiếp, dịch vụ bưu chính")).click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Trực tiếp, dịch vụ bưu chính \(5\)"))
    ).to_be_visible()
    expect(page.get_by_text(f"{direct} hồ sơ", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "report-dossiers", viewport_name)
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", name=re.compile(code))).to_be_visible()
    page.go_back()

    # The workbook: the same number in the same cell.
    page.get_by_role("link", name="‹ Về báo cáo").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về Excel (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("bieu-06-STP-")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["B10"].value == "Lý lịch tư pháp"
    totals = next(r for r in range(10, 40) if sheet.cell(r, 2).value == "Tổng cộng")
    assert sheet.cell(totals, 5).value == direct
