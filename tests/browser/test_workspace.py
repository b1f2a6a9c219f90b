"""The officials' workspace in a real browser: the inbox (tabs, search), counter intake with
a scanned component and the receipt PDF, and the dossier page with its action forms."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PDF, assert_accessible, screenshot

pytestmark = pytest.mark.browser
PEOPLE = {
    "phone": {"name": "Huỳnh Thị Ngọc Ánh", "id": "072190333401", "phone": "0912333401"},
    "desktop": {"name": "Trương Văn Đạt", "id": "072090333402", "phone": "0912333402"},
}


def sign_in(page, live_url: str, username: str, next_path: str = "/can-bo/") -> None:
    from egov.identity.demo import demo_password

    page.goto(f"{live_url}/tai-khoan/dang-nhap/?next={next_path}")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill(demo_password())
    page.get_by_role("button", name="Đăng nhập").click()


def test_inbox_counter_intake_and_dossier_page(live_url, page, viewport_name, tmp_path):
    person = PEOPLE[viewport_name]
    sign_in(page, live_url, "stp.tiepnhan")
    expect(page.get_by_role("heading", name="Bàn làm việc", exact=True)).to_be_visible()
    tabs = page.get_by_role("navigation", name="Hộp hồ sơ")
    expect(tabs.get_by_role("link", name=re.compile(r"Chờ tôi xử lý \(\d+\+?\)"))).to_be_visible()
    expect(tabs.get_by_role("link", name=re.compile(r"Quá hạn"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "workspace-inbox", viewport_name)

    # Counter intake: pick the procedure, enter the person and the e-form, scan a paper.
    page.get_by_role("link", name="Tiếp nhận tại quầy").click()
    expect(page.get_by_role("heading", name="Tiếp nhận hồ sơ tại quầy")).to_be_visible()
    page.get_by_label("Thủ tục").select_option("TMP-LLTP-CD")
    page.get_by_role("button", name="Chọn thủ tục").click()
    page.get_by_label("Họ và tên người nộp").fill(person["name"])
    page.get_by_label("Số định danh cá nhân (căn cước)").fill(person["id"])
    page.get_by_label("Số điện thoại", exact=True).fill(person["phone"])
    page.get_by_label("Địa chỉ", exact=True).fill("Khu phố 1, phường Tân Ninh, Tây Ninh")
    page.get_by_label("Loại phiếu").select_option(label="Phiếu số 1")
    page.get_by_label("Số lượng phiếu").fill("1")
    page.get_by_label("Mục đích sử dụng").fill("Bổ sung hồ sơ xin việc")
    page.get_by_label("Quá trình cư trú từ đủ 14 tuổi").fill("2008–2025: phường Tân Ninh")
    page.get_by_label("Họ và tên cha").fill("Trương Văn Phúc")
    page.get_by_label("Họ và tên mẹ").fill("Lê Thị Hồng")
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Nhận bản giấy trực tiếp")
    page.get_by_label("Số điện thoại liên hệ").fill(person["phone"])
    scan = tmp_path / "Tờ khai đã ký.pdf"
    scan.write_bytes(PDF)
    page.get_by_label(re.compile("^Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp")).set_input_files(
        str(scan)
    )
    assert_accessible(page)
    screenshot(page, "workspace-counter", viewport_name)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    heading = page.get_by_role("heading", name=re.compile(r"Đã tiếp nhận hồ sơ STP-\d{6}-\d{4}"))
    expect(heading).to_be_visible()
    receipt = page.get_by_role("link", name="In giấy tiếp nhận và hẹn trả kết quả (PDF)")
    response = page.context.request.get(live_url + receipt.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert_accessible(page)
    screenshot(page, "workspace-counter-done", viewport_name)

    # The dossier page: facts, the scanned paper, the receipt, history, and the desk's actions.
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.locator(".badge.status")).to_have_text("Đã tiếp nhận")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Mã trạng thái quốc gia: 2")
    expect(main).to_contain_text("Trương Văn Phúc")
    expect(main.get_by_role("link", name="Tờ khai đã ký.pdf")).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("^Giấy tiếp nhận hồ sơ"))).to_be_visible()
    expect(page.locator(".ws-history")).to_contain_text("Nhận hồ sơ tại quầy")
    actions = page.get_by_role("complementary")
    expect(actions.get_by_role("button", name="Phân công xử lý")).to_be_visible()
    expect(actions.get_by_role("button", name="Tiếp nhận hồ sơ")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "workspace-dossier", viewport_name)

    # The inbox finds it by the name typed without diacritics.
    page.goto(f"{live_url}/can-bo/")
    folded = {"phone": "huynh thi ngoc anh", "desktop": "truong van dat"}[viewport_name]
    page.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh").fill(folded)
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator(".ws-queue tbody tr")).to_have_count(1)
    expect(page.locator(".ws-queue")).to_contain_text(person["name"])
    assert_accessible(page)
    screenshot(page, "workspace-inbox-search", viewport_name)
