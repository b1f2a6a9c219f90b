"""The leaders' dashboard in a real browser: a dossier received at the counter shows in this
month's figures; the leader changes the period, follows the link into the report and opens
the Decision 766 index; axe on each page; screenshots on a phone and a desktop."""

import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_report import _receive_at_counter
from tests.browser.test_workspace import sign_in

pytestmark = pytest.mark.browser
PEOPLE = {
    "phone": {"name": "Hà Thị Điều Hành", "id": "072190555501", "phone": "0912555501"},
    "desktop": {"name": "Quách Văn Chỉ Số", "id": "072090555502", "phone": "0912555502"},
}


def test_dashboard_period_report_and_index(live_url, page, viewport_name, tmp_path):
    _receive_at_counter(page, live_url, PEOPLE[viewport_name], tmp_path)

    sign_in(page, live_url, "stp.giamdoc")
    page.get_by_role("link", name="Bảng điều hành").click()
    expect(page.get_by_role("heading", name="Bảng điều hành", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("Sở Tư pháp")).first).to_be_visible()
    # The last twelve months hold at least the dossier just received, which came in at the
    # counter: the received bars sum to at least one, the online share is below 100 %.
    chart = page.locator("svg.chart").first
    root = ET.fromstring(chart.evaluate("e => e.outerHTML"))
    bars = root.findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")
    assert len(bars) == 12 and sum(int(b.get("data-value")) for b in bars) >= 1
    expect(page.locator("#target-online_submissions")).to_contain_text("Chưa đạt")
    assert_accessible(page)
    screenshot(page, "dashboard", viewport_name)

    # The table behind the chart, for those who cannot see it.
    page.get_by_text("Xem số liệu dạng bảng").first.click()
    expect(page.locator("#table-received")).to_be_visible()

    # A past month: nothing was received then.
    page.get_by_label("Từ tháng").fill("2024-01")
    page.get_by_label("Đến tháng").fill("2024-01")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text(re.compile(r"tháng 01/2024 – 01/2024"))).to_be_visible()
    assert page.locator("svg.chart rect.bar").count() == 1
    expect(page.locator("#target-online_submissions")).to_contain_text("chưa có số liệu")

    # This month again, then into the periodic report for the same period.
    page.get_by_role("link", name="Tháng này").click()
    expect(page.locator("svg.chart rect.bar")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Báo cáo tình hình giải quyết")).click()
    expect(
        page.get_by_role("heading", name="Báo cáo giải quyết thủ tục hành chính")
    ).to_be_visible()

    # The service-quality index.
    page.go_back()
    page.get_by_role("link", name=re.compile("Quyết định 766")).click()
    expect(
        page.get_by_role("heading", name="Bộ chỉ số phục vụ người dân, doanh nghiệp")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("^Tiến độ, kết quả giải quyết"))
    ).to_be_visible()
    expect(page.locator("#indicator-4\\.3")).to_contain_text("Không đo được")
    assert_accessible(page)
    screenshot(page, "quality-index", viewport_name)
