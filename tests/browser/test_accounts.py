"""Accounts in a real browser: register, sign out, sign in again, masked ID, throttle."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Cay-xoai-9-nhanh"
# One account per viewport: both runs share one server and its database.
PEOPLE = {
    "phone": {"phone": "0911 111 101", "intl": "+84 911.111.101", "id": "072090111101"},
    "desktop": {"phone": "0911 111 102", "intl": "+84 911.111.102", "id": "072090111102"},
}


def test_register_sign_out_sign_in_and_see_masked_id(live_url, page, viewport_name):
    person = PEOPLE[viewport_name]
    page.goto(f"{live_url}/tai-khoan/dang-ky/")
    expect(page.get_by_role("heading", name="Đăng ký tài khoản")).to_be_visible()
    assert_accessible(page)

    # First a mistake: the errors are listed and tied to their fields.
    page.get_by_label("Họ và tên").fill("Lê Thị Hồng Nhung")
    page.get_by_label("Số định danh cá nhân").fill("12345")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("alert")).to_contain_text("Số định danh cá nhân")
    field = page.get_by_label("Số định danh cá nhân")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    assert "id_citizen_id_error" in described
    expect(page.locator("#id_citizen_id_error")).to_contain_text("12 chữ số")
    assert_accessible(page)
    screenshot(page, "accounts-register-errors", viewport_name)

    field.fill(person["id"])
    page.get_by_label("Số điện thoại di động").fill(person["phone"])
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()
    masked = person["id"][:3] + "******" + person["id"][-3:]
    expect(page.locator(".masked-id")).to_have_text(masked)
    assert person["id"] not in page.content()
    assert_accessible(page)
    screenshot(page, "accounts-my-account", viewport_name)

    page.get_by_role("main").get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text("Đăng nhập")

    page.goto(f"{live_url}/tai-khoan/dang-nhap/")
    assert_accessible(page)
    screenshot(page, "accounts-login", viewport_name)
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(person["intl"])
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_url}/tai-khoan/")
    expect(page.locator(".masked-id")).to_have_text(masked)
    expect(page.get_by_text("Lê Thị Hồng Nhung").first).to_be_visible()


def test_organisation_tab(live_url, page, viewport_name):
    page.goto(f"{live_url}/tai-khoan/dang-ky/")
    page.get_by_role("link", name="Tổ chức, doanh nghiệp").click()
    expect(page.get_by_label("Mã số thuế")).to_be_visible()
    expect(page.get_by_role("link", name="Tổ chức, doanh nghiệp")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    screenshot(page, "accounts-register-organisation", viewport_name)


def test_wrong_password_several_times_shows_the_throttle(live_url, page, viewport_name):
    username = "0900000001" if viewport_name == "phone" else "0900000002"  # demo citizens
    page.goto(f"{live_url}/tai-khoan/dang-nhap/")
    for _attempt in range(5):
        page.get_by_label("Số điện thoại hoặc thư điện tử").fill(username)
        page.get_by_label("Mật khẩu").fill("mat-khau-sai")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("alert")).to_contain_text("không đúng")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-sai")
    page.get_by_role("button", name="Đăng nhập").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Bạn đã đăng nhập sai quá nhiều lần")
    assert re.search(r"thử lại sau \d\d:\d\d:\d\d", alert.inner_text())
    assert_accessible(page)
    screenshot(page, "accounts-throttled", viewport_name)
