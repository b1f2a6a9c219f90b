"""The inbox: tabs with counts, filters, folded search, keyset paging, no N+1."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.dossiers import actions
from tests.dossiers.conftest import accepted, at, in_handling, local, submitted
from tests.workspace.conftest import client_for

INBOX = "/can-bo/"


def codes(response) -> list[str]:
    return [item["dossier"].code for item in response.context["items"]]


def test_reception_sees_what_waits_for_acceptance(cast):
    waiting = submitted(cast)
    html = client_for(cast.reception).get(INBOX).content.decode()
    assert f"/can-bo/ho-so/{waiting.public_id}/" in html
    assert "Chờ tôi xử lý" in html and "Chưa có mã (chờ tiếp nhận)" in html


def test_the_specialist_sees_only_what_they_were_given(cast):
    mine = in_handling(cast)
    accepted(cast, local(2026, 3, 2, 9, 0))  # not assigned yet
    response = client_for(cast.specialist).get(INBOX)
    assert codes(response) == [mine.code]
    # No "Tất cả" for those who may not view the whole agency.
    assert [t["name"] for t in response.context["tabs"]] == ["mine", "due_soon", "overdue"]


def test_the_outsider_sees_nothing_of_another_agency(cast):
    accepted(cast)
    response = client_for(cast.outsider).get(INBOX)
    assert response.status_code == 200 and response.context["items"] == []


def test_citizens_cannot_open_the_workspace(cast):
    assert client_for(cast.citizen).get(INBOX).status_code == 404


def test_the_leader_has_all_tabs_with_counts(cast):
    for hour in (8, 9, 10):
        accepted(cast, local(2026, 3, 2, hour, 0))
    late = accepted(cast, local(2026, 3, 2, 11, 0))
    with at(local(2026, 3, 20, 9, 0)):
        response = client_for(cast.agency_leader).get(INBOX, {"tab": "all"})
        counts = {t["name"]: t["count"] for t in response.context["tabs"]}
        assert counts["all"] == "4" and counts["overdue"] == "4"
        assert len(codes(response)) == 4
        overdue = client_for(cast.agency_leader).get(INBOX, {"tab": "overdue"})
    assert late.code in codes(overdue)
    assert "Quá hạn" in overdue.content.decode()


def test_search_by_name_without_diacritics_code_and_id_number(cast):
    dossier = accepted(cast)
    leader = client_for(cast.agency_leader)
    for needle in ("nguyen thi anh", "Nguyễn Thị Ánh", dossier.code.lower(), "079203001234"):
        response = leader.get(INBOX, {"tab": "all", "q": needle})
        assert codes(response) == [dossier.code], needle
    assert codes(leader.get(INBOX, {"tab": "all", "q": "tran van bao"})) == []


def test_filters_by_status_procedure_and_date(cast):
    first = accepted(cast, local(2026, 3, 2, 8, 0))
    second = in_handling(cast, local(2026, 3, 4, 8, 0))
    leader = client_for(cast.agency_leader)
    assert codes(leader.get(INBOX, {"tab": "all", "status": "processing"})) == [second.code]
    assert codes(leader.get(INBOX, {"tab": "all", "date_to": "2026-03-02"})) == [first.code]
    assert codes(leader.get(INBOX, {"tab": "all", "date_from": "2026-03-03"})) == [second.code]
    assert len(codes(leader.get(INBOX, {"tab": "all", "procedure": cast.procedure.code}))) == 2
    assert codes(leader.get(INBOX, {"tab": "all", "procedure": "KHONG-CO"})) == [
        first.code,
        second.code,
    ]  # an unknown procedure is dropped, not fatal


def test_paging_forward_and_back(cast, monkeypatch):
    from egov.workspace import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [accepted(cast, local(2026, 3, 2, 8, m)).code for m in range(5)]
    leader = client_for(cast.agency_leader)
    page1 = leader.get(INBOX, {"tab": "all"})
    assert codes(page1) == made[:2] and page1.context["prev_url"] is None
    page2 = leader.get(INBOX + page1.context["next_url"])
    assert codes(page2) == made[2:4]
    page3 = leader.get(INBOX + page2.context["next_url"])
    assert codes(page3) == made[4:] and page3.context["next_url"] is None
    back2 = leader.get(INBOX + page3.context["prev_url"])
    assert codes(back2) == made[2:4]
    back1 = leader.get(INBOX + back2.context["prev_url"])
    assert codes(back1) == made[:2] and back1.context["prev_url"] is None


def test_a_mangled_cursor_is_a_message_not_a_crash(cast):
    response = client_for(cast.agency_leader).get(INBOX, {"tab": "all", "cursor": "!!!"})
    assert response.status_code == 200
    assert "Con trỏ phân trang không hợp lệ." in response.content.decode()


def test_the_inbox_reads_a_fixed_number_of_queries(cast):
    leader = client_for(cast.agency_leader)
    accepted(cast, local(2026, 3, 2, 8, 0))
    leader.get(INBOX, {"tab": "all"})
    with CaptureQueriesContext(connection) as one:
        leader.get(INBOX, {"tab": "all"})
    for minute in range(1, 8):
        dossier = accepted(cast, local(2026, 3, 2, 8, minute))
        with at(local(2026, 3, 2, 9, minute)):
            actions.do_assign(cast.reception, dossier, cast.specialist)
    with CaptureQueriesContext(connection) as eight:
        response = leader.get(INBOX, {"tab": "all"})
    assert len(response.context["items"]) == 8
    assert len(eight) == len(one), [q["sql"] for q in eight.captured_queries]
    assert len(eight) <= 16
