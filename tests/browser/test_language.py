"""The language switcher in a real browser: Vietnamese by default, English on request, and back."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.browser


def switch(page, select_label: str, option: str, button: str) -> None:
    page.get_by_label(select_label).select_option(label=option)
    page.get_by_role("button", name=button, exact=True).click()


def test_switch_to_english_and_back(page, live_url, viewport_name):
    page.goto(live_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng dịch vụ công Tây Ninh")

    switch(page, "Ngôn ngữ", "English", "Đổi")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tây Ninh Public Service Portal")
    expect(page.get_by_role("heading", name="What you can do here")).to_be_visible()
    expect(page.get_by_label("Find an administrative procedure")).to_be_visible()
    expect(page.get_by_role("link", name="Register an account")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
    assert_accessible(page)
    screenshot(page, "language-home-en", viewport_name)

    # The choice is kept (cookie) on the next page.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Administrative procedures"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrative procedures")
    expect(page.locator(".results-count")).to_contain_text(re.compile(r"\d+ procedures"))
    # Procedure names are data, not msgids: Vietnamese on an English page.
    first = page.locator(".procedure-item h3").first.inner_text()
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", first, re.I)
    expect(page.locator(".procedure-item .meta").first).to_contain_text("Processing time:")
    assert_accessible(page)
    screenshot(page, "language-catalog-en", viewport_name)

    # Switching back returns to the same page, in Vietnamese.
    switch(page, "Language", "Tiếng Việt", "Change")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(re.compile(r"/thu-tuc/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục hành chính")
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng dịch vụ công Tây Ninh")
    expect(page.get_by_role("heading", name="Bạn có thể làm gì ở đây")).to_be_visible()
