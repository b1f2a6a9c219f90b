"""The one-stop shop end to end (issue 3, "Done when"), with real accounts through real pages.

A citizen applies online for the criminal-record certificate of Sở Tư pháp (TMP-LLTP-CD) with
two files; the demo officials of STP take it through the default process: the desk accepts
(the receipt PDF is issued and downloads as a PDF) and assigns, the specialist and the unit
leader forward, the director approves, the desk attaches and returns the result; the citizen
downloads the result and rates the service. Then a supplement round (the desk asks, the citizen
answers on the portal, the desk accepts) and a refusal.

The citizen registers per viewport rather than using demo 0900000001: the accounts test locks
the demo citizens with wrong passwords earlier in the same server session.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PDF, PHONE, assert_accessible, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Sen-hong-9-nở-rộ"
PEOPLE = {
    "phone": {"name": "Đoàn Thị Mỹ Duyên", "phone": "0933444501", "id": "072190444501"},
    "desktop": {"name": "Phan Văn Hậu", "phone": "0933444502", "id": "072090444502"},
}
PROCEDURE = "TMP-LLTP-CD"


def sign_in(page, live_url, username, password, next_path="/") -> None:
    page.goto(f"{live_url}/tai-khoan/dang-nhap/?next={next_path}")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def register(page, live_url, person) -> None:
    page.goto(f"{live_url}/tai-khoan/dang-ky/")
    page.get_by_label("Họ và tên").fill(person["name"])
    page.get_by_label("Số định danh cá nhân").fill(person["id"])
    page.get_by_label("Số điện thoại di động").fill(person["phone"])
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()


def apply_online(page, live_url, person, tmp_path, purpose: str, shots: str = "") -> str:
    """The citizen's online application with two files; returns the dossier's public id.

    ``shots`` (the viewport name) asks for a screenshot of the files page.
    """
    page.goto(f"{live_url}/thu-tuc/{PROCEDURE}/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
    page.get_by_label("Loại phiếu").select_option(label="Phiếu số 1")
    page.get_by_label("Số lượng phiếu").fill("1")
    page.get_by_label("Mục đích sử dụng").fill(purpose)
    page.get_by_label("Quá trình cư trú từ đủ 14 tuổi").fill("2009–2025: xã Hòa Hội, Tây Ninh")
    page.get_by_label("Họ và tên cha").fill("Đoàn Văn Phước")
    page.get_by_label("Họ và tên mẹ").fill("Nguyễn Thị Lệ")
    page.get_by_label("Hình thức nhận kết quả").select_option(label="Phiếu điện tử")
    page.get_by_label("Số điện thoại liên hệ").fill(person["phone"])
    page.get_by_role("button", name="Tiếp tục").click()
    form = tmp_path / "Tờ khai lý lịch tư pháp.pdf"
    form.write_bytes(PDF)
    card = tmp_path / "Căn cước công dân.pdf"
    card.write_bytes(PDF)
    page.get_by_label("Chọn tệp: Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp").set_input_files(
        str(form)
    )
    page.get_by_label(re.compile("^Chọn tệp: Giấy tờ tùy thân")).set_input_files(str(card))
    page.get_by_role("button", name="Tải lên các tệp đã chọn").click()
    expect(page.get_by_role("link", name="Căn cước công dân.pdf")).to_be_visible()
    if shots:
        screenshot(page, "oss-citizen-files", shots)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ")
    return re.search(r"/ho-so/([0-9a-f-]{36})/", page.url).group(1)


class Officials:
    """One signed-in browser context per demo official, at the test's viewport."""

    def __init__(self, browser, live_url, viewport_name) -> None:
        self.browser, self.live_url, self.viewport_name = browser, live_url, viewport_name
        self.pages: dict = {}

    def __getitem__(self, username: str):
        from egov.identity.demo import demo_password

        if username not in self.pages:
            size = PHONE if self.viewport_name == "phone" else DESKTOP
            context = self.browser.new_context(
                viewport=size, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            sign_in(page, self.live_url, username, demo_password(), "/can-bo/")
            expect(page.get_by_role("heading", name="Bàn làm việc", exact=True)).to_be_visible()
            self.pages[username] = page
        return self.pages[username]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


def act(page, action: str, fields: dict | None = None, button: str | None = None) -> None:
    box = page.locator(f"#action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for label, value in (fields or {}).items():
        box.get_by_label(label).fill(value)
    box.locator("button[type=submit]").click()


def open_dossier(page, live_url, dossier_id) -> None:
    page.goto(f"{live_url}/can-bo/ho-so/{dossier_id}/")


@pytest.fixture
def officials(browser, live_url, viewport_name):
    cast = Officials(browser, live_url, viewport_name)
    yield cast
    cast.close()


def test_the_whole_path_with_a_supplement_round_and_a_refusal(
    live_url, page, viewport_name, officials, tmp_path
):
    person, vp = PEOPLE[viewport_name], viewport_name
    register(page, live_url, person)
    dossier_id = apply_online(page, live_url, person, tmp_path, "Bổ sung hồ sơ xin việc", vp)
    assert_accessible(page)
    screenshot(page, "oss-citizen-submitted", vp)

    # The desk finds it waiting, accepts it: code, appointment, the receipt as a PDF.
    desk = officials["stp.tiepnhan"]
    desk.goto(f"{live_url}/can-bo/")
    desk.locator(f'a[href="/can-bo/ho-so/{dossier_id}/"]').click()
    expect(desk.locator(".badge.status")).to_have_text("Chờ tiếp nhận")
    expect(desk.get_by_role("main")).to_contain_text(person["id"])  # checked at reception
    assert_accessible(desk)
    screenshot(desk, "oss-desk-submitted", vp)
    act(desk, "accept", {"Ghi chú": "Hồ sơ đầy đủ, hợp lệ"})
    expect(desk.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ.")
    code = re.search(r"STP-\d{6}-\d{4}", desk.get_by_role("heading", level=1).inner_text()).group(0)
    receipt = desk.get_by_role("link", name=re.compile("^Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
    pdf = desk.context.request.get(live_url + receipt.get_attribute("href"))
    assert (
        pdf.ok
        and pdf.body().startswith(b"%PDF")
        and pdf.headers["content-type"] == "application/pdf"
    )
    desk.locator("#action-assign").get_by_label("Chuyên viên xử lý").select_option(
        label="Hoàng Văn Em"
    )
    act(desk, "assign")
    expect(desk.get_by_role("main")).to_contain_text("Hoàng Văn Em")
    assert_accessible(desk)
    screenshot(desk, "oss-desk-assigned", vp)

    # The specialist, the unit leader and the director.
    specialist = officials["stp.chuyenvien"]
    expect(specialist.locator(".ws-queue")).to_contain_text(code)
    assert_accessible(specialist)
    screenshot(specialist, "oss-specialist-inbox", vp)
    specialist.get_by_role("link", name=code).click()
    expect(specialist.locator("#action-accept")).to_have_count(0)
    act(specialist, "forward", {"Ghi chú": "Đủ điều kiện cấp phiếu"})
    expect(specialist.get_by_role("main")).to_contain_text("Lãnh đạo phòng xem xét")
    screenshot(specialist, "oss-specialist-forwarded", vp)

    leader = officials["stp.truongphong"]
    open_dossier(leader, live_url, dossier_id)
    act(leader, "forward", {"Ghi chú": "Đồng ý, trình lãnh đạo Sở"})
    expect(leader.get_by_role("main")).to_contain_text("Lãnh đạo cơ quan phê duyệt")

    director = officials["stp.giamdoc"]
    open_dossier(director, live_url, dossier_id)
    expect(director.locator("#action-forward")).to_have_count(0)
    assert_accessible(director)
    screenshot(director, "oss-director", vp)
    act(director, "approve", {"Ghi chú": "Duyệt"})
    expect(director.get_by_role("main")).to_contain_text("Trả kết quả")

    # The desk attaches the result and returns it.
    result = tmp_path / "Phiếu lý lịch tư pháp số 1.pdf"
    result.write_bytes(PDF)
    open_dossier(desk, live_url, dossier_id)
    desk.locator("#action-attach_result").get_by_label("Tệp kết quả").set_input_files(str(result))
    act(desk, "attach_result")
    expect(desk.locator(".badge.status")).to_have_text("Đã có kết quả")
    act(desk, "return_result", {"Ghi chú": "Đã gửi phiếu điện tử"})
    expect(desk.locator(".badge.status")).to_have_text("Đã trả kết quả")
    expect(desk.get_by_role("main")).to_contain_text("Mã trạng thái quốc gia: 10")
    assert_accessible(desk)
    screenshot(desk, "oss-desk-returned", vp)

    # The citizen downloads the result and rates the service.
    page.goto(f"{live_url}/ho-so/{dossier_id}/")
    download = page.get_by_role("link", name="Tải về Phiếu lý lịch tư pháp số 1.pdf")
    got = page.context.request.get(live_url + download.get_attribute("href"))
    assert got.ok and got.body() == PDF
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Nhanh, cán bộ hướng dẫn tận tình")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("main")).to_contain_text("Bạn đã đánh giá: Hài lòng")
    assert_accessible(page)
    screenshot(page, "oss-citizen-rated", vp)
    open_dossier(desk, live_url, dossier_id)
    expect(desk.get_by_role("main")).to_contain_text("Nhanh, cán bộ hướng dẫn tận tình")

    # A supplement round: the desk asks, the citizen answers on the portal, the desk accepts.
    second = apply_online(page, live_url, person, tmp_path, "Đi xuất khẩu lao động")
    open_dossier(desk, live_url, second)
    act(
        desk,
        "request_supplement",
        {
            "Giấy tờ, thông tin cần bổ sung": "Bản sao hộ chiếu còn hạn",
            "Lý do": "Mục đích đi nước ngoài cần hộ chiếu",
        },
    )
    expect(desk.locator(".badge.status")).to_have_text("Chờ bổ sung")
    expect(desk.get_by_role("link", name=re.compile("^Phiếu yêu cầu bổ sung"))).to_be_visible()
    screenshot(desk, "oss-desk-supplement", vp)
    page.goto(f"{live_url}/ho-so/{second}/")
    section = page.locator("#bo-sung")
    expect(section).to_contain_text("Bản sao hộ chiếu còn hạn")
    section.get_by_label("Ghi chú gửi cơ quan (không bắt buộc)").fill("Đã nộp bản sao hộ chiếu")
    section.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.locator(".dossier-summary")).to_contain_text("Chờ tiếp nhận")
    screenshot(page, "oss-citizen-answered", vp)
    open_dossier(desk, live_url, second)
    expect(desk.locator(".ws-history")).to_contain_text("Bổ sung hồ sơ")
    act(desk, "accept")
    expect(desk.locator(".badge.status")).to_have_text("Đã tiếp nhận")

    # A refusal, with its reason, seen by the citizen.
    third = apply_online(page, live_url, person, tmp_path, "Thử nộp lần ba")
    open_dossier(desk, live_url, third)
    act(desk, "refuse", {"Lý do": "Đã có hồ sơ cùng yêu cầu đang giải quyết"})
    expect(desk.locator(".badge.status")).to_have_text("Từ chối")
    expect(desk.get_by_role("main")).to_contain_text("Mã trạng thái quốc gia: 3")
    assert_accessible(desk)
    screenshot(desk, "oss-desk-refused", vp)
    page.goto(f"{live_url}/ho-so/{third}/")
    expect(page.locator(".dossier-summary")).to_contain_text("Từ chối")
    assert_accessible(page)
    screenshot(page, "oss-citizen-refused", vp)
