"""Periods at the ends of Python's calendar are refused with a message, never a server error,
and an unexpected exception in the API still answers JSON (``docs/periods.md``)."""

import json
import logging

import pytest
from django.urls import reverse

from egov.reports import reporting
from tests.dossiers.conftest import cast  # noqa: F401

FAR = {"from": "9999-12-01", "to": "9999-12-31"}
EARLY = {"from": "0001-01-01", "to": "0001-01-31"}
OUT_OF_RANGE = "nằm ngoài khoảng cho phép (2000–2100)"


@pytest.mark.parametrize("params", [FAR, EARLY, {"from": "0001-01-01"}])
def test_the_report_page_says_the_year_is_out_of_range(client, cast, params):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get(reverse("reports:report"), params)
    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_the_download_refuses_the_year(client, cast, kind):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get(reverse("reports:report_download", args=[kind]), FAR)
    assert response.status_code == 422
    assert OUT_OF_RANGE in response.content.decode()


def test_the_drill_down_page_refuses_the_year(client, cast):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get(reverse("reports:report_dossiers"), {**FAR, "cell": "late"})
    assert response.status_code < 500
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/api/v1/reports/procedures", "/api/v1/reports/procedures/dossiers"]
)
@pytest.mark.parametrize("params", [FAR, EARLY])
def test_the_api_answers_a_structured_error(client, cast, url, params):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get(url, {**params, "cell": "late"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_period"
    assert OUT_OF_RANGE in body["message"]


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:quality"])
@pytest.mark.parametrize("period", [("9999-12", "9999-12"), ("0001-01", "0001-01")])
def test_the_dashboard_pages_say_the_year_is_out_of_range(client, cast, name, period):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get(reverse(name), {"from": period[0], "to": period[1]})
    assert response.status_code == 200  # the default period is shown under the message
    assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "9999-12-31T23:59:59+07:00"},
        {"start_date": "0001-01-01T00:00:00Z"},
        {"end_date": "0001-01-01T00:00:00Z"},
        {"end_date": "9999-12-31"},
    ],
)
def test_open311_answers_its_error_list(client, query):
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code == 400
    [error] = json.loads(response.content)
    assert error["code"] == 400
    assert OUT_OF_RANGE in error["description"]


def test_an_unexpected_api_error_is_a_logged_json_500(client, cast, monkeypatch, caplog):  # noqa: F811
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reporting, "build", broken)
    client.force_login(cast.agency_leader)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(
            "/api/v1/reports/procedures", {"from": "2026-03-01", "to": "2026-03-31"}
        )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[0] is RuntimeError


def test_a_period_too_long_is_refused_in_years(client, cast):  # noqa: F811
    client.force_login(cast.agency_leader)
    response = client.get("/api/v1/reports/procedures", {"from": "2020-01-01", "to": "2026-01-01"})
    assert response.status_code == 422
    assert response.json()["message"] == "Kỳ báo cáo dài tối đa 5 năm."
