"""The catalog and a procedure's page in a real browser, on the seeded catalog."""

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


def _open_filters(page) -> None:
    # On a phone the filters sit in a fold; on a wide screen they always show.
    summary = page.locator(".more-filters > summary")
    if summary.is_visible():
        summary.click()


def test_search_without_diacritics(page, live_url, viewport_name):
    page.goto(live_url + "/thu-tuc/")
    page.get_by_label("Tìm thủ tục").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    results = page.locator(".procedure-item h3")
    expect(results.first).to_be_visible()
    names = [n.lower() for n in results.all_inner_texts()]
    assert names and all("giấy phép xây dựng" in n for n in names[:5]), names
    expect(page.locator(".results-count")).to_contain_text("giay phep xay dung")
    assert_accessible(page)
    screenshot(page, "catalog-search", viewport_name)


def test_filter_by_sector_and_level(page, live_url, viewport_name):
    page.goto(live_url + "/thu-tuc/")
    _open_filters(page)
    page.get_by_label("Lĩnh vực").select_option(label="Hộ tịch")
    page.get_by_label("Cấp thực hiện").select_option("commune")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"level=commune"))
    items = page.locator(".procedure-item")
    expect(items.first).to_be_visible()
    for text in items.all_inner_texts():
        assert "Hộ tịch" in text and "Cấp xã" in text
    expect(page.locator(".procedure-list")).to_contain_text("Đăng ký khai sinh")
    assert_accessible(page)
    screenshot(page, "catalog-filtered", viewport_name)


def test_empty_result_is_kind(page, live_url, viewport_name):
    page.goto(live_url + "/thu-tuc/?q=khai+sinh&level=province&online_level=none")
    expect(page.locator(".empty")).to_contain_text("Không tìm thấy thủ tục nào phù hợp.")
    page.get_by_role("link", name="Tìm lại mà không dùng bộ lọc").click()
    expect(page.locator(".procedure-list")).to_contain_text("Đăng ký khai sinh")
    assert_accessible(page)
    screenshot(page, "catalog-empty", viewport_name)


def test_procedure_page_shows_time_fees_and_components(page, live_url, viewport_name):
    page.goto(live_url + "/thu-tuc/?q=khai+sinh")
    page.locator(".procedure-list").get_by_role(
        "link", name="Đăng ký khai sinh", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    facts = page.locator(".facts")
    expect(facts).to_contain_text("Thời hạn giải quyết")
    time_text = facts.locator("div", has_text="Thời hạn giải quyết").locator("dd").inner_text()
    assert re.search(r"Trong ngày|ngày làm việc|giờ làm việc|\d+ ngày", time_text), time_text
    expect(facts).to_contain_text("Ủy ban nhân dân")
    fees = page.locator(".fees, section:has(#fees-title) p").first
    assert re.search(r"Miễn phí|\d+(\.\d{3})* đồng", fees.inner_text())
    rows = page.locator("table.components tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 1
    expect(page.get_by_role("heading", name="Tờ khai điện tử (xem trước)")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "procedure", viewport_name)
    # Online submission comes later: the button leads to sign-in, with the way back.
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next=/thu-tuc/1\.001193/"))


def test_paging(page, live_url):
    page.goto(live_url + "/thu-tuc/")
    pager = page.locator(".pager")
    if not pager.count():
        pytest.skip("the seeded catalog fits on one page")
    first = page.locator(".procedure-item h3").first.inner_text()
    pager.get_by_role("link", name=re.compile("Trang sau")).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    assert page.locator(".procedure-item h3").first.inner_text() != first
