"""The home page in a real browser: search box, counts, sector links, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from egov.catalog.loaders import DEFAULT_FILE
from tests.browser.conftest import assert_accessible, screenshot

# These pages are tested on the real seeded catalog; until its data file is written (by the
# seed-data work), there is nothing to browse, so say so rather than test an empty site.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not DEFAULT_FILE.exists(), reason="catalog/data/procedures.json not written yet"
    ),
]


def test_home_page(page, live_url, viewport_name):
    page.goto(live_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cổng dịch vụ công")
    expect(page.locator(".stats")).to_contain_text("thủ tục hành chính")
    total = int(page.locator(".stats li").first.locator("strong").inner_text())
    assert total > 0
    expect(page.get_by_role("heading", name="Bạn có thể làm gì ở đây")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký tài khoản")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home", viewport_name)


def test_home_search_without_diacritics_finds_birth_registration(page, live_url):
    page.goto(live_url + "/")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang"))
    # The exact name ranks first, before "Đăng ký khai sinh có yếu tố nước ngoài" and others.
    expect(page.locator(".procedure-item h3").first).to_have_text("Đăng ký khai sinh")


def test_home_sector_link_filters_the_catalog(page, live_url):
    page.goto(live_url + "/")
    link = page.locator(".sector-links a").first
    sector = link.inner_text().splitlines()[0].strip()
    link.click()
    expect(page).to_have_url(re.compile(r"sector="))
    items = page.locator(".procedure-item")
    expect(items.first).to_be_visible()
    for text in items.all_inner_texts()[:10]:
        assert sector in text
