"""The officials' feedback pages (/can-bo/phan-anh/): the inbox, the item page and its actions.

The cast is feedback's (tests/feedback/conftest.py): agency A is the People's Committee of xã
Tân Biên with its unit KT, agency B Sở Tư pháp; the outsider is B's reception officer.
"""

# ruff: noqa: F811 -- the feedback cast replaces this folder's (dossiers') cast fixture by name

import pytest
from django.test import Client

from egov.feedback import services
from egov.feedback.models import Item
from egov.workspace.feedback_services import allowed_actions
from tests.feedback.conftest import (  # noqa: F401 (cast is a fixture)
    JPEG,
    answered,
    at,
    cast,
    field_report,
    local,
    question,
)
from tests.workspace.conftest import client_for

pytestmark = pytest.mark.django_db


def url(item, tail: str = "") -> str:
    return f"/can-bo/phan-anh/{item.code}/{tail}"


def act(user, item, name: str, **fields) -> object:
    data = {f"{name}-version": item.version, **{f"{name}-{k}": v for k, v in fields.items()}}
    return client_for(user).post(url(item, f"thao-tac/{name}/"), data)


def test_the_inbox_lists_what_waits_for_the_desk_with_its_deadline(cast):
    item = field_report(cast)
    with at(local(2026, 3, 2, 9, 0)):
        html = client_for(cast.reception).get("/can-bo/phan-anh/").content.decode()
    assert 'aria-current="page">Chờ tiếp nhận' in html and item.code in html
    assert item.title in html and "Trong hạn" in html
    # The specialist has no desk tab, and nothing is theirs yet.
    html = client_for(cast.specialist).get("/can-bo/phan-anh/?tab=mine").content.decode()
    assert "?tab=receive" not in html and item.code not in html
    # The outsider's agency holds nothing of it.
    html = client_for(cast.outsider).get("/can-bo/phan-anh/?tab=all").content.decode()
    assert item.code not in html


def test_the_overdue_tab_counts_and_lists_late_items(cast):
    item = field_report(cast, moment=local(2026, 1, 5, 8, 0))
    with at(local(2026, 3, 2, 8, 0)):
        html = client_for(cast.agency_leader).get("/can-bo/phan-anh/?tab=overdue").content.decode()
    assert item.code in html and "Quá hạn" in html


def test_a_mangled_cursor_starts_again_with_a_message(cast):
    field_report(cast)
    response = client_for(cast.reception).get("/can-bo/phan-anh/?cursor=@@@")
    assert response.status_code == 200
    assert "Con trỏ phân trang không hợp lệ." in response.content.decode()


def test_citizens_and_administrators_have_no_feedback_inbox(cast):
    assert client_for(cast.citizen).get("/can-bo/phan-anh/").status_code == 404
    assert client_for(cast.administrator).get("/can-bo/phan-anh/").status_code == 404
    anonymous = Client().get("/can-bo/phan-anh/")
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]


def test_the_item_page_shows_the_original_the_photos_and_the_history(cast):
    item = field_report(cast, photos=[("o-ga.jpg", JPEG)])
    html = client_for(cast.reception).get(url(item)).content.decode()
    assert item.text in html and "Mức độ hư hỏng" in html and "Nghiêm trọng, nguy hiểm" in html
    assert cast.citizen.full_name in html and cast.citizen.phone in html
    photo = item.photos.get()
    photo_url = url(item, f"anh/{photo.public_id}/")
    assert photo_url in html and "Gửi phản ánh" in html
    response = client_for(cast.reception).get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_an_official_of_another_agency_gets_404_for_the_item_its_photos_and_actions(cast):
    item = field_report(cast, photos=[("o-ga.jpg", JPEG)])
    outsider = client_for(cast.outsider)
    assert outsider.get(url(item)).status_code == 404
    assert outsider.get(url(item, f"anh/{item.photos.get().public_id}/")).status_code == 404
    assert act(cast.outsider, item, "accept").status_code == 404
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED
    assert client_for(cast.citizen).get(url(item)).status_code == 404


def test_each_role_is_offered_only_its_actions(cast):
    item = field_report(cast)
    assert allowed_actions(cast.reception, item) == [
        "accept",
        "forward",
        "reject",
        "merge",
        "hide",
        "edit_public",
    ]
    assert allowed_actions(cast.specialist, item) == []
    assert allowed_actions(cast.auditor, item) == []
    with at(local(2026, 3, 3, 9, 0)):
        item = services.accept(cast.reception, item)
        item = services.assign(cast.reception, item, cast.specialist)
    assert allowed_actions(cast.specialist, item) == ["submit_for_approval", "save_draft"]
    assert "answer" in allowed_actions(cast.unit_leader, item)
    html = client_for(cast.auditor).get(url(item)).content.decode()
    assert "Bạn không có thao tác nào" in html


def test_a_commune_answers_a_field_report_through_the_pages(cast):
    item = field_report(cast)
    assert act(cast.reception, item, "accept").status_code == 302
    item.refresh_from_db()
    response = act(cast.reception, item, "assign", assignee=cast.specialist.pk)
    assert response.status_code == 302
    item.refresh_from_db()
    response = act(cast.specialist, item, "submit_for_approval", text="Đã vá ổ gà.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.AWAITING_APPROVAL
    html = client_for(cast.unit_leader).get("/can-bo/phan-anh/?tab=approve").content.decode()
    assert item.code in html
    assert act(cast.unit_leader, item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.ANSWERED and item.answer == "Đã vá ổ gà."
    html = client_for(cast.unit_leader).get(url(item)).content.decode()
    assert "Duyệt và gửi trả lời" in html and "Câu trả lời đã gửi" in html


def test_a_question_forwarded_to_another_agency_is_answered_there(cast):
    item = question(cast)  # goes to STP (agency B)
    response = act(cast.outsider, item, "forward", agency=cast.agency.pk, note="Việc của xã.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current_agency == cast.agency and item.status == Item.Status.FORWARDED
    # The forwarding desk still reads it; the competent agency's leader answers directly.
    assert client_for(cast.outsider).get(url(item)).status_code == 200
    assert act(cast.agency_leader, item, "accept").status_code == 302
    item.refresh_from_db()
    assert act(cast.agency_leader, item, "answer", text="Được, tại UBND xã.").status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.ANSWERED


def test_bad_input_is_shown_in_vietnamese_next_to_the_field_and_kept(cast):
    item = question(cast)
    response = act(cast.outsider, item, "forward", agency="", note="Ghi chú giữ lại")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Chưa thực hiện được: vui lòng kiểm tra các ô được đánh dấu." in html
    assert 'id="id_forward-agency_error"' in html and "Trường này là bắt buộc." in html
    assert "Ghi chú giữ lại" in html
    response = act(cast.outsider, item, "reject", reason="abusive", note="")
    assert response.status_code == 422 and 'id="id_reject-note_error"' in response.content.decode()
    # The domain's refusal (a forwarding without a reason) shows next to the note.
    response = act(cast.outsider, item, "forward", agency=cast.agency.pk, note=" ")
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_forward-note_error"' in html and "Cần ghi rõ lý do chuyển." in html
    item.refresh_from_db()
    assert item.status == Item.Status.SUBMITTED


def test_a_stale_page_is_a_conflict_with_the_text_kept(cast):
    item = question(cast)
    stale_version = item.version
    with at(local(2026, 3, 3, 9, 0)):
        services.accept(cast.outsider, item)
    response = client_for(cast.outsider).post(
        url(item, "thao-tac/reject/"),
        {"reject-version": stale_version, "reject-reason": "abusive", "reject-note": "Xúc phạm"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được người khác cập nhật" in html and "Xúc phạm" in html


def test_hiding_an_abusive_item_takes_it_off_the_public_page(cast):
    item = answered(cast)
    assert item.code in Client().get("/phan-anh/cong-khai/").content.decode()
    assert act(cast.reception, item, "hide", reason="Lời lẽ xúc phạm").status_code == 302
    assert item.code not in Client().get("/phan-anh/cong-khai/").content.decode()
    html = client_for(cast.reception).get(url(item)).content.decode()
    assert "Đã ẩn khỏi trang công khai" in html and "Lời lẽ xúc phạm" in html
    assert act(cast.specialist, item, "hide", reason="x").status_code == 403
    assert act(cast.reception, item, "unhide").status_code == 302
    assert item.code in Client().get("/phan-anh/cong-khai/").content.decode()


def test_a_likely_duplicate_is_offered_and_merged(cast):
    first = field_report(cast, moment=local(2026, 3, 2, 8, 0))
    second = field_report(cast, author=cast.other_citizen, moment=local(2026, 3, 2, 10, 0))
    html = client_for(cast.reception).get(url(second)).content.decode()
    assert "Có thể trùng lặp" in html and f"Gộp vào {first.code}" in html
    response = act(cast.reception, second, "merge", into=first.code)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Item.Status.MERGED and second.duplicate_of == first
    # A code the official cannot see is a 404, not a hint that it exists.
    third = question(cast)
    assert act(cast.reception, first, "merge", into=third.code).status_code == 404


def test_unknown_actions_are_404(cast):
    item = field_report(cast)
    assert act(cast.reception, item, "delete").status_code == 404


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_inbox_and_the_item_page_do_not_query_per_row(cast):
    # Two alike from the start, so the first page already lists a likely duplicate.
    first = field_report(cast, photos=[("o-ga.jpg", JPEG)])
    field_report(cast, moment=local(2026, 3, 2, 8, 30))
    desk = client_for(cast.reception)
    few = _queries(desk, "/can-bo/phan-anh/?tab=all"), _queries(desk, url(first))
    for hour in range(9, 13):
        field_report(cast, moment=local(2026, 3, 2, hour, 0), photos=[("o-ga.jpg", JPEG)])
    assert (_queries(desk, "/can-bo/phan-anh/?tab=all"), _queries(desk, url(first))) == few


def test_a_moderator_corrects_the_public_version_on_the_item_page(cast):
    item = answered(cast)
    html = client_for(cast.reception).get(url(item)).content.decode()
    assert "Sửa bản công khai" in html and 'name="edit_public-title"' in html
    fields = {"title": "Ổ gà", "text": "Ổ gà trên đường 30/4.", "answer": "Đã vá.", "note": "Gọn"}
    assert act(cast.reception, item, "edit_public", **fields).status_code == 302
    item.refresh_from_db()
    assert item.public_title == "Ổ gà" and item.title == "Ổ gà lớn trước chợ Tân Biên"
    html = client_for(cast.reception).get(url(item)).content.decode()
    assert "Sửa bản công khai" in html and "Gọn" in html  # the history row
    empty = act(cast.reception, item, "edit_public", title="", text="x", answer="y")
    assert empty.status_code == 422
    assert act(cast.specialist, item, "edit_public", **fields).status_code == 403


def test_the_agency_that_forwarded_an_item_no_longer_moderates_it(cast):
    item = field_report(cast)
    with at(local(2026, 3, 2, 9, 0)):
        item = services.forward(cast.reception, item, cast.other_agency, "Thuộc Sở Tư pháp.")
    assert "hide" not in allowed_actions(cast.reception, item)
    assert "edit_public" not in allowed_actions(cast.reception, item)
    assert act(cast.reception, item, "hide", reason="Xúc phạm").status_code in (403, 404)
    item.refresh_from_db()
    assert not item.hidden
