from egov.calendar.models import DayOverride


def test_admin_lists_and_adds_overrides(admin_client):
    DayOverride.objects.create(date="2026-03-10", kind="day_off", name="Nghỉ đột xuất")
    response = admin_client.get("/quan-tri/calendar/dayoverride/")
    assert response.status_code == 200
    assert "Nghỉ đột xuất" in response.content.decode()
    response = admin_client.post(
        "/quan-tri/calendar/dayoverride/add/",
        {"date": "2026-03-07", "kind": "working_day", "name": "Làm bù", "legal_basis": "TB số 1"},
    )
    assert response.status_code == 302
    assert DayOverride.objects.get(date="2026-03-07").is_working
