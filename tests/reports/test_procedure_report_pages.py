"""The report page /can-bo/bao-cao/, its drill-down lists and downloads."""

import io
import re

import openpyxl
import pytest

from tests.dossiers.conftest import cast  # noqa: F401
from tests.reports.report_scenario import build
from tests.reports.test_procedure_report import STP_MARCH

PAGE = "/can-bo/bao-cao/"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def scenario(cast):  # noqa: F811
    return build(cast)


def test_the_report_page_links_every_number_to_its_dossiers(client, scenario):
    client.force_login(scenario.cast.agency_leader)
    response = client.get(PAGE, MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Biểu số 06/VPCP/KSTT" in html and "Lý lịch tư pháp" in html
    assert 'rowspan="3"' in html and 'colspan="4"' in html
    links = re.findall(r'href="(/can-bo/bao-cao/ho-so/\?[^"]+)"[^>]*>(\d+)</a>', html)
    assert len(links) == 2 * len(STP_MARCH)  # the sector's row and the totals row
    for url, value in links:
        listing = client.get(url.replace("&amp;", "&"))
        assert listing.status_code == 200
        assert f"<strong>{value} hồ sơ</strong>" in listing.content.decode(), url
    assert "tai-ve.xlsx?" in html and "tai-ve.pdf?" in html


def test_the_drill_down_lists_the_dossiers_with_links(client, scenario):
    client.force_login(scenario.cast.agency_leader)
    response = client.get(f"{PAGE}ho-so/", {**MARCH, "cell": "late"})
    html = response.content.decode()
    f = scenario.dossiers["F"]
    assert f'href="/can-bo/ho-so/{f.public_id}/"' in html and f.code in html
    assert "Số hồ sơ đã giải quyết — Quá hạn (10)" in html
    assert scenario.dossiers["F"].applicant_name not in html


def test_the_download_is_the_workbook(client, scenario):
    client.force_login(scenario.cast.agency_leader)
    response = client.get(f"{PAGE}tai-ve.xlsx", MARCH)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["C10"].value == len(STP_MARCH[next(iter(STP_MARCH))])
    pdf = client.get(f"{PAGE}tai-ve.pdf", MARCH)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"{PAGE}tai-ve.doc", MARCH).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-03-31", "to": "2026-03-01"}, "Ngày bắt đầu phải trước"),
        ({"from": "31/03/2026", "to": "2026-03-01"}, "không hợp lệ"),
        ({**MARCH, "agency": "SYT"}, "không có quyền xem báo cáo của cơ quan này"),
        ({**MARCH, "agency": "KHONGCO"}, "Không có cơ quan mã KHONGCO"),
    ],
)
def test_bad_input_is_explained_on_the_page(client, cast, params, message):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get(PAGE, params)
    assert response.status_code in (400, 403)
    assert message in response.content.decode()


def test_who_may_open_the_page(client, cast):  # noqa: F811
    assert client.get(PAGE).status_code == 302  # to sign in
    client.force_login(cast.citizen)
    assert client.get(PAGE).status_code == 404
    client.force_login(cast.specialist)
    response = client.get(PAGE)
    assert response.status_code == 403 and "không có quyền xem báo cáo" in response.content.decode()
    client.force_login(cast.auditor)
    page = client.get(PAGE)
    assert page.status_code == 200
    # One agency in scope: no agency selector, the agency named as the report's scope.
    assert 'name="agency"' not in page.content.decode()


def test_the_default_period_is_this_month_with_presets(client, cast):  # noqa: F811
    client.force_login(cast.agency_leader)
    html = client.get(PAGE).content.decode()
    for preset in ("Tháng này", "Tháng trước", "Quý này", "Quý trước", "Năm nay", "Năm trước"):
        assert preset in html
    assert "Không có hồ sơ nào trong kỳ." in html
