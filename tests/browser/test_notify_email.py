"""The notification e-mails as a mail client shows them: readable on a phone, accessible."""

from datetime import UTC, datetime

import pytest

from egov.notify import services
from tests.browser.conftest import assert_accessible, screenshot

CONTEXT = {
    "dossier_code": "STP-250812-0007",
    "procedure_name": "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
    "agency_name": "Sở Tư pháp tỉnh Tây Ninh",
    "applicant_name": "Trần Thị Bích Ngọc",
    "due_at": datetime(2025, 8, 15, 2, 30, tzinfo=UTC),
    "tracking_url": "/tra-cuu/STP-250812-0007/",
    "reason": "Bản sao căn cước không rõ nét",
    "missing_items": ["Bản sao căn cước công dân", "Tờ khai yêu cầu cấp phiếu"],
    "official_name": "Lê Văn Hùng",
}


@pytest.mark.parametrize("template", services.TEMPLATES)
def test_email_html_reads_well_and_is_accessible(page, viewport_name, template):
    page.set_content(services.render(template, CONTEXT).html)

    assert page.locator("html").get_attribute("lang") == "vi"
    assert "STP-250812-0007" in page.title()
    link = page.get_by_role("link", name="STP-250812-0007")
    assert link.get_attribute("href") == "http://127.0.0.1:8000/tra-cuu/STP-250812-0007/"
    # Nothing wider than a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, f"notify-{template}", viewport_name)
