"""The applicant in a real browser: sign in, apply online for a commune-level procedure (an
e-form error first, a saved draft, a PDF and a JPEG with Vietnamese names), submit, find it in
"Hồ sơ của tôi" and on its page, then public tracking: a link carrying the phone digits (not
looked up), then a wrong and a right phone suffix posted from the form.

Each viewport registers its own applicant: the accounts test deliberately locks the demo
citizens (wrong passwords) earlier in the same server session. The dossier is accepted by
the demo commune reception officer through the API, so it has a code to track.
"""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PDF, assert_accessible, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Hoa-sen-7-thom-ngat"
PEOPLE = {
    "phone": {"name": "Lý Thị Thu Hà", "phone": "0911222301", "id": "072090222301"},
    "desktop": {"name": "Châu Văn Đức", "phone": "0911222302", "id": "072090222302"},
}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _register_and_sign_out(page, live_url, person) -> None:
    page.goto(f"{live_url}/tai-khoan/dang-ky/")
    page.get_by_label("Họ và tên").fill(person["name"])
    page.get_by_label("Số định danh cá nhân").fill(person["id"])
    page.get_by_label("Số điện thoại di động").fill(person["phone"])
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Đăng xuất").click()


def _accept_as_commune_officer(page, live_url, dossier_id: str) -> None:
    from egov.identity.demo import demo_password

    api = page.context.request
    token = api.post(
        f"{live_url}/api/v1/auth/token",
        data={"username": "ubx.tiepnhan", "password": demo_password()},
    )
    assert token.ok, token.text()
    accepted = api.post(
        f"{live_url}/api/v1/dossiers/{dossier_id}/actions",
        data={"action": "accept"},
        headers={"Authorization": f"Bearer {token.json()['token']}"},
    )
    assert accepted.ok, accepted.text()


def test_apply_online_then_follow_and_track(live_url, page, viewport_name, tmp_path):
    person = PEOPLE[viewport_name]
    _register_and_sign_out(page, live_url, person)

    # The procedure page sends the signed-out visitor to sign in, then straight on to apply.
    page.goto(f"{live_url}/thu-tuc/1.001193/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(person["phone"])
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Nộp hồ sơ trực tuyến")).to_be_visible()

    # The commune: the one whose demo reception officer will accept the dossier.
    select = page.get_by_label("Nơi nộp hồ sơ (xã, phường)")
    codes = [v for v in select.locator("option").evaluate_all("o => o.map(x => x.value)") if v]
    assert len(codes) > 50
    first = min((c for c in codes if c.startswith("UBX")), key=lambda c: int(c[3:]))
    select.select_option(first)
    assert_accessible(page)
    screenshot(page, "applicant-start", viewport_name)
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()

    # The e-form: an error first, shown in the summary and next to its field.
    expect(page.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
    page.get_by_label("Họ, chữ đệm và tên người được khai sinh").fill("Nguyễn Thị Bé Na")
    page.get_by_label("Số định danh cá nhân của mẹ").fill("0720")
    page.get_by_role("button", name="Tiếp tục").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tờ khai chưa hợp lệ")
    expect(summary).to_contain_text("Ngày sinh: Trường này là bắt buộc.")
    mother = page.get_by_label("Số định danh cá nhân của mẹ")
    expect(mother).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#eform-mother_citizen_id-error")).to_have_text(
        "Số định danh cá nhân gồm đúng 12 chữ số."
    )
    assert_accessible(page)
    screenshot(page, "applicant-form-errors", viewport_name)

    mother.fill("")
    page.get_by_label("Ngày sinh").fill("2025-12-01")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu nháp")
    expect(page.get_by_label("Họ, chữ đệm và tên người được khai sinh")).to_have_value(
        "Nguyễn Thị Bé Na"
    )
    page.get_by_label("Nơi sinh").fill("Bệnh viện Đa khoa tỉnh Tây Ninh")
    page.get_by_label("Dân tộc").fill("Kinh")
    page.get_by_label("Quan hệ của người đi khai với người được khai sinh").select_option(
        label="Mẹ"
    )
    page.get_by_label("Số điện thoại liên hệ").fill(person["phone"])
    assert_accessible(page)
    screenshot(page, "applicant-form", viewport_name)
    page.get_by_role("button", name="Tiếp tục").click()

    # The papers: a PDF and a JPEG with Vietnamese names; submitting early names what is missing.
    expect(page.get_by_role("heading", name="Tờ khai đăng ký khai sinh")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Còn thiếu thành phần hồ sơ bắt buộc")
    pdf = tmp_path / "Tờ khai đăng ký khai sinh.pdf"
    pdf.write_bytes(PDF)
    jpeg = tmp_path / "Giấy chứng sinh của bé.jpg"
    jpeg.write_bytes(_jpeg())
    page.get_by_label("Chọn tệp: Tờ khai đăng ký khai sinh").set_input_files(str(pdf))
    page.get_by_label(
        "Chọn tệp: Giấy chứng sinh hoặc giấy tờ thay giấy chứng sinh"
    ).set_input_files(str(jpeg))
    page.get_by_role("button", name="Tải lên các tệp đã chọn").click()
    expect(page.get_by_role("link", name="Tờ khai đăng ký khai sinh.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="Giấy chứng sinh của bé.jpg")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "applicant-files", viewport_name)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ")
    expect(page.locator(".dossier-summary")).to_contain_text("Chờ tiếp nhận")
    dossier_id = re.search(r"/ho-so/([0-9a-f-]{36})/", page.url).group(1)
    assert_accessible(page)
    screenshot(page, "applicant-dossier-submitted", viewport_name)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Hồ sơ của tôi"
    ).click()
    item = page.locator(".dossier-item").filter(has_text="Đăng ký khai sinh")
    expect(item).to_contain_text("Chờ tiếp nhận")
    assert_accessible(page)
    screenshot(page, "applicant-my-dossiers", viewport_name)

    # Reception accepts: the dossier gets its code, appointment and receipt.
    _accept_as_commune_officer(page, live_url, dossier_id)
    item.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(page.locator(".dossier-summary")).to_contain_text("Đã tiếp nhận")
    code = page.locator(".dossier-code").inner_text().strip()
    assert re.fullmatch(r"UBX\d+-\d{6}-\d{4}", code), code
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Tiếp nhận hồ sơ")
    assert re.search(r"\d\d/\d\d/20\d\d \d\d:\d\d", timeline.inner_text())
    expect(page.get_by_role("link", name=re.compile("Giấy tiếp nhận hồ sơ"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "applicant-dossier-accepted", viewport_name)

    # Public tracking, signed out: a wrong suffix tells nothing, the right one the status only.
    page.context.clear_cookies()
    digits = person["phone"][-4:]
    # A link that still carries the digits is not looked up: back to the form without them.
    page.goto(f"{live_url}/tra-cuu/?code={code}&phone_last4={digits}")
    assert page.url == f"{live_url}/tra-cuu/?ma={code}"
    expect(page.get_by_role("status")).to_contain_text("Việc tra cứu nay thực hiện qua biểu mẫu")
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(code)
    phone = page.get_by_label("4 số cuối điện thoại người nộp")
    expect(phone).to_have_value("")
    expect(page.locator(".track-result")).to_have_count(0)
    assert f"phone_last4={digits}" not in page.content()
    assert_accessible(page)
    screenshot(page, "applicant-track-link-notice", viewport_name)
    phone.fill("0000")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ với mã")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("Không tìm thấy hồ sơ với mã"))
    expect(phone).to_have_value("")
    assert_accessible(page)
    screenshot(page, "applicant-track-wrong", viewport_name)
    phone.fill(digits)
    with page.expect_request(lambda r: r.method == "POST" and "/tra-cuu/" in r.url) as sent:
        page.get_by_role("button", name="Tra cứu").click()
    assert (
        sent.value.url == f"{live_url}/tra-cuu/" and f"phone_last4={digits}" in sent.value.post_data
    )
    result = page.locator(".track-result")
    expect(result).to_contain_text("Đã tiếp nhận")
    expect(result).to_contain_text("Đăng ký khai sinh")
    assert page.url == f"{live_url}/tra-cuu/"
    expect(phone).to_have_value("")
    assert person["name"] not in page.content()
    assert_accessible(page)
    screenshot(page, "applicant-track", viewport_name)
