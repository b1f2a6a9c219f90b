"""GET /api/v1/reports/procedures (JSON, xlsx, PDF) and its drill-down, scoped per role."""

import io

import openpyxl
import pytest
from pypdf import PdfReader

from egov.agencies import services as staff_services
from egov.agencies.models import Agency, Role
from egov.catalog.models import Sector
from egov.identity.models import User
from tests.dossiers.conftest import PASSWORD, cast  # noqa: F401
from tests.reports.report_scenario import build
from tests.reports.test_procedure_report import STP_MARCH

URL = "/api/v1/reports/procedures"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def scenario(cast):  # noqa: F811
    return build(cast)


@pytest.fixture
def province_leader(cast):  # noqa: F811
    """A leader of the provincial Office (VPUBND): reads every agency's report."""
    root = User.objects.create_superuser("root2", PASSWORD, full_name="Quản trị")
    office = Agency.objects.get(code="VPUBND")
    admin = staff_services.create_staff_account(
        root, office, "qt.vp", "Quản trị VP", PASSWORD, Role.ADMINISTRATOR
    )
    return staff_services.create_staff_account(
        admin, office, "cvp", "Chánh Văn phòng", PASSWORD, Role.AGENCY_LEADER
    )


def _get(client, user, params, url=URL):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_an_agency_leader_reads_their_agencys_report(client, scenario):
    response = _get(client, scenario.cast.agency_leader, MARCH)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["agency"] == "STP" and body["agency_label"] == "Sở Tư pháp tỉnh Tây Ninh"
    assert body["form"] == "Biểu số 06/VPCP/KSTT"
    assert [c["number"] for c in body["columns"]] == list(range(3, 16))
    expected = {cell.value: len(names) for cell, names in STP_MARCH.items()}
    assert body["totals"] == expected
    assert [(r["sector"], r["counts"]) for r in body["rows"]] == [("Lý lịch tư pháp", expected)]


def test_the_province_sees_everything_and_the_groups(client, scenario, province_leader):
    whole = _get(client, province_leader, MARCH).json()
    assert whole["agency"] == "toan-tinh" and whole["totals"]["received"] == 13
    provincial = _get(client, None, {**MARCH, "agency": "cap-tinh"}).json()
    assert provincial["totals"] == whole["totals"]
    communes = _get(client, None, {**MARCH, "agency": "cap-xa"}).json()
    assert communes["rows"] == [] and communes["totals"]["received"] == 0
    two = _get(client, None, {**MARCH, "agency": "stp,SYT"}).json()
    assert two["agency"] == "STP,SYT" and two["totals"]["received"] == 13
    syt = _get(client, None, {**MARCH, "agency": "SYT"}).json()
    assert syt["totals"]["received"] == 1


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-03-31", "to": "2026-03-01"}, 422, "invalid_period"),
        ({"from": "2019-01-01", "to": "2026-03-01"}, 422, "invalid_period"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, 422, "validation_error"),
        ({"to": "2026-03-01"}, 422, "validation_error"),
        ({**MARCH, "agency": "KHONGCO"}, 404, "unknown_agency"),
        ({**MARCH, "agency": "SYT"}, 403, "reports_forbidden"),
        ({**MARCH, "agency": "cap-xa"}, 403, "reports_forbidden"),
        ({**MARCH, "format": "docx"}, 422, "invalid_format"),
    ],
)
def test_bad_requests_get_structured_errors(client, cast, params, status, code):  # noqa: F811
    response = _get(client, cast.agency_leader, params)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    if code != "validation_error":
        assert body["code"] == code


@pytest.mark.parametrize("who", ["specialist", "reception", "administrator", "citizen"])
def test_roles_without_reports_are_refused(client, cast, who):  # noqa: F811
    response = _get(client, cast.person(who), MARCH)
    assert response.status_code == 403
    assert response.json()["code"] == "reports_forbidden"


def test_the_auditor_and_the_unit_leader_read_their_agency(client, cast):  # noqa: F811
    for who in ("auditor", "unit_leader"):
        assert _get(client, cast.person(who), MARCH).json()["agency"] == "STP"


def test_anonymous_is_401(client, db):
    assert client.get(URL, MARCH).status_code == 401


def test_a_bearer_token_works(client, cast):  # noqa: F811
    from egov.identity import services as identity

    token = identity.issue_token(cast.agency_leader).token
    response = client.get(URL, MARCH, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_format_xlsx_returns_the_workbook(client, scenario):
    response = _get(client, scenario.cast.agency_leader, {**MARCH, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bieu-06-STP-20260301-20260331.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["C10"].value == 12


def test_format_pdf_returns_the_document(client, scenario):
    response = _get(client, scenario.cast.agency_leader, {**MARCH, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Lý lịch tư pháp" in text


def test_every_cell_drills_down_to_its_count(client, scenario):
    client.force_login(scenario.cast.agency_leader)
    sector = Sector.objects.get(name="Lý lịch tư pháp").pk
    for cell, names in STP_MARCH.items():
        for extra in ({}, {"sector": sector}):
            body = client.get(f"{URL}/dossiers", {**MARCH, "cell": cell.value, **extra}).json()
            assert body["count"] == len(names), cell
            codes = {item["code"] for item in body["items"]}
            assert codes == {scenario.dossiers[n].code for n in names}
    item = client.get(f"{URL}/dossiers", {**MARCH, "cell": "late"}).json()["items"][0]
    assert item["url"].endswith(f"/can-bo/ho-so/{scenario.dossiers['F'].public_id}/")
    assert "applicant_name" not in item


def test_drill_down_errors(client, cast):  # noqa: F811
    client.force_login(cast.agency_leader)
    bad_cell = client.get(f"{URL}/dossiers", {**MARCH, "cell": "everything"})
    assert bad_cell.status_code == 422 and bad_cell.json()["code"] == "invalid_cell"
    bad_sector = client.get(f"{URL}/dossiers", {**MARCH, "cell": "late", "sector": 999999})
    assert bad_sector.status_code == 404 and bad_sector.json()["code"] == "unknown_sector"
    other = client.get(f"{URL}/dossiers", {**MARCH, "cell": "late", "agency": "SYT"})
    assert other.status_code == 403
