"""GET /api/v1/calendar/due, /day and /year/{year}."""

from urllib.parse import urlencode

import pytest

from egov.calendar.models import DayOverride

DUE = "/api/v1/calendar/due"


def get_due(client, **params):
    return client.get(f"{DUE}?{urlencode(params)}")


@pytest.mark.parametrize(
    "start",
    [
        "2026-02-13T16:00+07:00",
        "2026-02-13T16:00:00+07:00",
        "2026-02-13T09:00Z",
        "2026-02-13T09:00:00+00:00",
        "2026-02-13T04:00:00-05:00",
    ],
)
def test_due_accepts_any_time_zone(client, start):
    response = get_due(client, start=start, amount="3", unit="working_days")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "start": "2026-02-13T16:00:00+07:00",
        "amount": 3,
        "unit": "working_days",
        "due": "2026-02-25T16:00:00+07:00",
    }


def test_due_with_an_unencoded_plus_in_the_query(client):
    # A hand-typed URL: "+" becomes a space in a query string.
    response = client.get(f"{DUE}?start=2026-03-02T12:00+07:00&amount=1&unit=working_hours")
    assert response.status_code == 200, response.content
    assert response.json()["due"] == "2026-03-02T14:30:00+07:00"


def test_due_other_units(client):
    data = get_due(client, start="2026-03-02T10:00+07:00", amount="5", unit="calendar_days").json()
    assert data["due"] == "2026-03-09T17:00:00+07:00"
    data = get_due(client, start="2026-03-02T15:30+07:00", amount="1", unit="same_day").json()
    assert data["due"] == "2026-03-03T17:00:00+07:00"
    data = get_due(client, start="2026-03-07T10:00+07:00", amount="0", unit="working_days").json()
    assert data["due"] == "2026-03-09T07:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2026-02-13T16:00", "amount": "3", "unit": "working_days"}, "naive_start"),
        ({"start": "13/02/2026 16:00", "amount": "3", "unit": "working_days"}, "invalid_start"),
        ({"start": "hôm nay", "amount": "3", "unit": "working_days"}, "invalid_start"),
        (
            {"start": "1900-01-01T08:00Z", "amount": "3", "unit": "working_days"},
            "start_out_of_range",
        ),
        ({"start": "2026-02-13T16:00Z", "amount": "-1", "unit": "working_days"}, "negative_amount"),
        ({"start": "2026-02-13T16:00Z", "amount": "1.5", "unit": "working_days"}, "invalid_amount"),
        ({"start": "2026-02-13T16:00Z", "amount": "ba", "unit": "working_days"}, "invalid_amount"),
        (
            {"start": "2026-02-13T16:00Z", "amount": "99999", "unit": "working_days"},
            "amount_too_large",
        ),
        ({"start": "2026-02-13T16:00Z", "amount": "3", "unit": "weeks"}, "invalid_unit"),
        ({"start": "2026-02-13T16:00Z", "amount": "2", "unit": "same_day"}, "invalid_deadline"),
        ({"amount": "3", "unit": "working_days"}, "missing_parameter"),
        ({"start": "2026-02-13T16:00Z", "unit": "working_days"}, "missing_parameter"),
        ({"start": "2026-02-13T16:00Z", "amount": "3"}, "missing_parameter"),
    ],
)
def test_due_bad_input_is_a_400_in_the_standard_shape(client, params, code):
    response = get_due(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["message"] and body["message"] == body["message"].strip()
    assert set(body) == {"code", "message"}


def test_due_messages_are_vietnamese(client):
    body = get_due(client, start="2026-02-13T16:00", amount="3", unit="working_days").json()
    assert "múi giờ" in body["message"]
    body = get_due(client, start="2026-02-13T16:00Z", amount="-2", unit="working_days").json()
    assert "âm" in body["message"]


def test_day(client):
    response = client.get("/api/v1/calendar/day?date=2026-02-17")
    assert response.json() == {"date": "2026-02-17", "working": False, "reason": "Tết Nguyên Đán"}
    response = client.get("/api/v1/calendar/day?date=2025-04-26")
    assert response.json()["working"] is True
    assert "làm bù" in response.json()["reason"]


def test_day_follows_overrides(client):
    DayOverride.objects.create(date="2026-03-10", kind="day_off", name="Nghỉ đột xuất")
    response = client.get("/api/v1/calendar/day?date=2026-03-10")
    assert response.json() == {"date": "2026-03-10", "working": False, "reason": "Nghỉ đột xuất"}


@pytest.mark.parametrize("raw", ["2026-02-30", "17/02/2026", "2026-2-17", "", "x"])
def test_day_malformed_date_is_a_400(client, raw):
    response = client.get(f"/api/v1/calendar/day?date={raw}")
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_date", "missing_parameter"}


@pytest.mark.parametrize("raw", ["0001-01-01", "1994-12-31", "2101-01-01", "9999-12-31"])
def test_day_outside_the_calendars_years_is_a_400(client, raw):
    response = client.get(f"/api/v1/calendar/day?date={raw}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_year"


def test_year(client):
    response = client.get("/api/v1/calendar/year/2026")
    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()["days"]}
    assert days["2026-02-17"] == {
        "date": "2026-02-17",
        "working": False,
        "reason": "Tết Nguyên Đán",
    }
    assert days["2026-08-22"]["working"] is True
    assert "2026-03-07" not in days


@pytest.mark.parametrize("raw", ["20x6", "1800", "99999"])
def test_year_bad_input_is_a_400(client, raw):
    response = client.get(f"/api/v1/calendar/year/{raw}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_year"
