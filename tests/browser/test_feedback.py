"""Feedback end to end (issue 4, "Done when"), with real accounts through real pages.

1. A citizen sends a field report with a photo and a place (typed by hand, after a place outside
   the province is refused with everything kept); the commune's desk accepts and assigns it, the
   commune's specialist drafts, its leader approves; the citizen reads the answer and rates it,
   and the answer is on the public page, found without diacritics.
2. An anonymous visitor's question goes to Sở Tư pháp, whose desk forwards it to the commune;
   the commune's leader answers there; the visitor follows it with the code and their e-mail.
3. An abusive item, answered and published, is hidden by the commune's desk and leaves the
   public page.

The demo commune is the province's first (Phường Tân Ninh, UBX25459) with its desk
(ubx.tiepnhan), specialist (ubx.chuyenvien) and leader (ubx.chutich). Every page is checked
with axe and photographed at the test's viewport.
"""

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_one_stop_shop import Officials, register

pytestmark = pytest.mark.browser
PEOPLE = {
    "phone": {"name": "Lương Thị Hoa", "phone": "0933555601", "id": "072190555601"},
    "desktop": {"name": "Quách Văn Sơn", "phone": "0933555602", "id": "072090555602"},
}
COMMUNE = "Phường Tân Ninh"
COMMUNE_AGENCY = "Ủy ban nhân dân phường Tân Ninh"
INSIDE = ("11.310000", "106.098000")  # Tây Ninh town
OUTSIDE = ("10.776900", "106.700900")  # Ho Chi Minh City centre
CODE = re.compile(r"\b(?:PA|HD|HT)-\d{6}-\d{4}\b")


def png(width: int = 48, height: int = 32) -> bytes:
    """A real PNG (an orange-grey stripe pattern), so the photo renders in the screenshots."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00"
        + b"".join(b"\xd0\x70\x20" if (x // 6) % 2 else b"\x80\x80\x80" for x in range(width))
        for _y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def officials(browser, live_url, viewport_name):
    cast = Officials(browser, live_url, viewport_name)
    yield cast
    cast.close()


def act(page, action: str, fields: dict | None = None, choose: dict | None = None) -> None:
    """Open the action's box on the item page, fill it in and send it."""
    box = page.locator(f"#action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for label, value in (choose or {}).items():
        box.get_by_label(label).select_option(label=value)
    for label, value in (fields or {}).items():
        box.get_by_label(label).fill(value)
    box.locator("button[type=submit]").click()


def open_item(page, live_url, code: str) -> None:
    page.goto(f"{live_url}/can-bo/phan-anh/{code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def new_visitor(browser, page):
    """A second, anonymous browser with the same viewport."""
    context = browser.new_context(
        viewport=page.viewport_size, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    return visitor


def test_a_field_report_with_a_photo_is_answered_by_the_commune_and_rated(
    live_url, page, viewport_name, officials, tmp_path
):
    vp, person = viewport_name, PEOPLE[viewport_name]
    register(page, live_url, person)
    page.goto(f"{live_url}/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Phản ánh, kiến nghị"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị và hỏi đáp")
    assert_accessible(page)
    screenshot(page, "fb-home", vp)

    page.get_by_role("link", name="Báo sự việc tại hiện trường").click()
    page.get_by_label("Lĩnh vực", exact=True).select_option(label="Hư hỏng đường, cầu")
    expect(page.get_by_label("Mức độ hư hỏng")).to_be_visible()
    expect(page.get_by_label("Tình trạng đèn")).to_be_hidden()  # another category's question
    page.get_by_label("Mức độ hư hỏng").select_option(label="Nghiêm trọng, nguy hiểm")
    title = f"Ổ gà sâu trên đường Cách Mạng Tháng Tám ({vp})"
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    page.get_by_label("Nội dung", exact=True).fill(
        "Ổ gà rộng khoảng 1 m, sâu 20 cm ngay trước trường tiểu học; xe máy đã té ngã hai lần."
    )
    page.get_by_label("Xã, phường nơi xảy ra sự việc").select_option(label=COMMUNE)
    page.get_by_label("Địa chỉ, địa điểm cụ thể").fill("Trước cổng trường tiểu học")
    page.get_by_label("Vĩ độ").fill(OUTSIDE[0])
    page.get_by_label("Kinh độ").fill(OUTSIDE[1])
    photo = tmp_path / "o-ga.png"
    photo.write_bytes(png())
    page.get_by_label("Ảnh chụp (không bắt buộc)").set_input_files(str(photo))
    page.get_by_label(re.compile("^Đồng ý công khai")).check()
    assert_accessible(page)
    screenshot(page, "fb-send-field-report", vp)
    page.get_by_role("button", name="Gửi", exact=True).click()

    # Outside the province: refused next to the latitude, everything typed still there.
    expect(page.locator("#id_latitude_error")).to_have_text(
        "Vị trí đã chọn nằm ngoài địa bàn tỉnh."
    )
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value(title)
    expect(page.get_by_label("Mức độ hư hỏng")).to_have_value("nghiem_trong")
    assert_accessible(page)
    screenshot(page, "fb-send-error", vp)
    page.get_by_label("Vĩ độ").fill(INSIDE[0])
    page.get_by_label("Kinh độ").fill(INSIDE[1])
    page.get_by_label("Ảnh chụp (không bắt buộc)").set_input_files(str(photo))
    page.get_by_role("button", name="Gửi", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi thành công")
    code = CODE.search(page.locator(".fb-code").inner_text()).group(0)
    expect(page.get_by_role("main")).to_contain_text(COMMUNE_AGENCY)
    assert_accessible(page)
    screenshot(page, "fb-sent", vp)

    # The commune's desk: the inbox, the item with its photo; accept and assign.
    desk = officials["ubx.tiepnhan"]
    desk.get_by_role("link", name="Phản ánh", exact=True).click()
    expect(desk.locator(".ws-queue")).to_contain_text(code)
    assert_accessible(desk)
    screenshot(desk, "fb-inbox", vp)
    desk.get_by_role("link", name=code).click()
    image = desk.locator(".fb-photos img").first
    expect(image).to_be_visible()
    assert desk.evaluate("img => img.naturalWidth", image.element_handle()) == 48
    expect(desk.get_by_role("main")).to_contain_text(person["phone"])  # staff see the original
    assert_accessible(desk)
    screenshot(desk, "fb-item-desk", vp)
    act(desk, "accept", {"Ghi chú": "Giao Phòng Kinh tế kiểm tra"})
    expect(desk.get_by_role("status")).to_contain_text("Đã tiếp nhận phản ánh.")
    act(desk, "assign", choose={"Chuyên viên xử lý": "Lâm Văn Phúc"})
    expect(desk.locator(".badge.status")).to_have_text("Đang xử lý")

    specialist = officials["ubx.chuyenvien"]
    specialist.goto(f"{live_url}/can-bo/phan-anh/?tab=mine")
    specialist.get_by_role("link", name=code).click()
    answer = "UBND phường đã vá ổ gà ngày hôm nay. Cảm ơn bạn đã phản ánh."
    act(specialist, "submit_for_approval", {"Nội dung trả lời": answer})
    expect(specialist.locator(".badge.status")).to_have_text("Chờ lãnh đạo duyệt")

    leader = officials["ubx.chutich"]
    leader.goto(f"{live_url}/can-bo/phan-anh/?tab=approve")
    expect(leader.locator(".ws-queue")).to_contain_text(code)
    leader.get_by_role("link", name=code).click()
    assert_accessible(leader)
    screenshot(leader, "fb-item-leader", vp)
    act(leader, "approve")
    expect(leader.get_by_role("status")).to_contain_text("Đã duyệt")
    expect(leader.locator(".badge.status")).to_have_text("Đã trả lời")

    # The citizen: my feedback, the answer, the rating.
    page.goto(f"{live_url}/phan-anh/cua-toi/")
    expect(page.get_by_role("main")).to_contain_text(code)
    assert_accessible(page)
    screenshot(page, "fb-mine", vp)
    page.get_by_role("link", name=title).click()
    expect(page.locator("#tra-loi")).to_contain_text(answer)
    expect(page.locator(".fb-photos img")).to_have_count(1)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#danh-gia")).to_contain_text("Hãy chọn một mức đánh giá.")
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Xử lý nhanh")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá.")
    expect(page.get_by_role("main")).to_contain_text("Đã kết thúc")
    assert_accessible(page)
    screenshot(page, "fb-item-citizen", vp)

    # The public page finds it without diacritics; the reporter's phone is not there.
    page.goto(f"{live_url}/phan-anh/cong-khai/")
    page.get_by_label("Tìm trong các câu trả lời").fill("o ga cach mang thang tam")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator(".fb-public")).to_contain_text(code)
    expect(page.locator(".fb-public")).to_contain_text(answer)
    expect(page.get_by_role("main")).not_to_contain_text(person["phone"])
    assert_accessible(page)
    screenshot(page, "fb-public", vp)


def test_a_question_forwarded_to_the_commune_is_answered_there(
    live_url, browser, page, viewport_name, officials
):
    vp = viewport_name
    email = f"hoi.{vp}@example.vn"
    page.goto(f"{live_url}/phan-anh/gui/hoi-dap/")
    page.get_by_label("Lĩnh vực", exact=True).select_option(
        label="Hộ tịch, chứng thực, lý lịch tư pháp"
    )
    page.get_by_label("Tiêu đề", exact=True).fill(f"Chứng thực bản sao ở đâu? ({vp})")
    page.get_by_label("Câu hỏi").fill("Tôi muốn chứng thực bản sao sổ hộ khẩu thì đến đâu?")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label(re.compile("^Đồng ý công khai")).check()
    assert_accessible(page)
    screenshot(page, "fb-send-question", vp)
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Sở Tư pháp")
    code = CODE.search(page.locator(".fb-code").inner_text()).group(0)

    # Sở Tư pháp's desk forwards it to the commune, which does this work.
    desk = officials["stp.tiepnhan"]
    desk.goto(f"{live_url}/can-bo/phan-anh/")
    desk.get_by_role("link", name=code).click()
    act(
        desk,
        "forward",
        {"Ghi chú": "Chứng thực bản sao do UBND cấp xã thực hiện"},
        choose={"Cơ quan có thẩm quyền": COMMUNE_AGENCY},
    )
    expect(desk.get_by_role("status")).to_contain_text("Đã chuyển phản ánh")
    expect(desk.get_by_role("main")).to_contain_text(COMMUNE_AGENCY)
    assert_accessible(desk)
    screenshot(desk, "fb-item-forwarded", vp)

    leader = officials["ubx.chutich"]
    leader.goto(f"{live_url}/can-bo/phan-anh/?tab=receive")
    leader.get_by_role("link", name=code).click()
    act(leader, "accept")
    answer = "Bạn mang bản chính đến bộ phận một cửa của UBND phường để chứng thực."
    act(leader, "answer", {"Nội dung trả lời": answer})
    expect(leader.locator(".badge.status")).to_have_text("Đã trả lời")

    # The anonymous visitor, in a fresh browser, follows it by code and e-mail.
    visitor = new_visitor(browser, page)
    try:
        visitor.goto(f"{live_url}/phan-anh/tra-cuu/?ma={code}")
        expect(visitor.get_by_label("Mã phản ánh")).to_have_value(code)
        visitor.get_by_label(re.compile("^Số điện thoại hoặc thư điện tử")).fill("sai@example.vn")
        visitor.get_by_role("button", name="Xem phản ánh").click()
        expect(visitor.locator("#id_contact_error")).to_contain_text("Không tìm thấy phản ánh")
        assert_accessible(visitor)
        screenshot(visitor, "fb-follow-error", vp)
        visitor.get_by_label(re.compile("^Số điện thoại hoặc thư điện tử")).fill(email)
        visitor.get_by_role("button", name="Xem phản ánh").click()
        expect(visitor.locator("#tra-loi")).to_contain_text(answer)
        expect(visitor.get_by_role("main")).to_contain_text("Chuyển đến cơ quan có thẩm quyền")
        assert_accessible(visitor)
        screenshot(visitor, "fb-item-anonymous", vp)
    finally:
        visitor.context.close()


def test_an_abusive_item_is_hidden_from_the_public_page(live_url, page, viewport_name, officials):
    vp = viewport_name
    title = f"Cán bộ phường làm việc chậm ({vp})"
    page.goto(f"{live_url}/phan-anh/gui/kien-nghi/")
    page.get_by_label("Lĩnh vực", exact=True).select_option(
        label="Hoạt động của chính quyền xã, phường"
    )
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    page.get_by_label("Nội dung", exact=True).fill(
        "Lời lẽ thô tục, xúc phạm cán bộ tiếp dân bộ phận một cửa."
    )
    page.get_by_label("Xã, phường nơi xảy ra sự việc").select_option(label=COMMUNE)
    page.get_by_label("Số điện thoại").fill("0933555699")
    page.get_by_label(re.compile("^Đồng ý công khai")).check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    code = CODE.search(page.locator(".fb-code").inner_text()).group(0)

    leader = officials["ubx.chutich"]
    open_item(leader, live_url, code)
    act(leader, "accept")
    act(leader, "answer", {"Nội dung trả lời": "UBND phường đã nhắc nhở bộ phận một cửa."})
    expect(leader.locator(".badge.status")).to_have_text("Đã trả lời")
    page.goto(f"{live_url}/phan-anh/cong-khai/")
    expect(page.locator(".fb-public")).to_contain_text(code)

    desk = officials["ubx.tiepnhan"]
    open_item(desk, live_url, code)
    act(desk, "hide", {"Lý do ẩn": "Nội dung có lời lẽ xúc phạm"})
    expect(desk.get_by_role("status")).to_contain_text("Đã ẩn phản ánh khỏi trang công khai.")
    expect(desk.get_by_role("main")).to_contain_text("Nội dung có lời lẽ xúc phạm")
    assert_accessible(desk)
    screenshot(desk, "fb-item-hidden", vp)
    page.goto(f"{live_url}/phan-anh/cong-khai/")
    expect(page.get_by_role("main")).not_to_contain_text(code)


SENDERS = {
    "phone": {"name": "Đinh Thị Gửi", "phone": "0933555611", "id": "072190555611"},
    "desktop": {"name": "Khổng Văn Lặp", "phone": "0933555612", "id": "072090555612"},
}


def test_a_double_click_and_a_resent_form_file_one_item(live_url, page, viewport_name):
    """Two clicks on "Gửi" send one request; the same form posted again (a retry, or a browser
    without script) lands on the first item's confirmation; the used key with other content is
    refused in Vietnamese. "Phản ánh của tôi" lists the item once."""
    vp, send_url = viewport_name, f"{live_url}/phan-anh/gui/kien-nghi/"
    register(page, live_url, SENDERS[vp])
    page.goto(send_url)
    page.get_by_label("Lĩnh vực", exact=True).select_option(
        label="Hoạt động của chính quyền xã, phường"
    )
    title = f"Đèn tín hiệu ngã tư hỏng, xin sửa sớm ({vp})"
    page.get_by_label("Tiêu đề", exact=True).fill(title)
    page.get_by_label("Nội dung", exact=True).fill("Đèn giao thông ngã tư chợ không hoạt động.")
    page.get_by_label("Xã, phường nơi xảy ra sự việc").select_option(label=COMMUNE)
    form = page.locator("form.fb-form")
    fields = form.evaluate(
        "f => Object.fromEntries([...new FormData(f)].filter(([, v]) => typeof v === 'string'))"
    )
    assert len(fields["token"]) >= 16
    # Hold the request, as a slow network would, and click again 0.3 s later. Playwright waits
    # for a pending navigation before it touches the page, so the page clicks itself and keeps
    # what the button showed then in sessionStorage.
    held = []
    page.route(send_url, lambda route: held.append(route))
    page.evaluate(
        """() => {
        const button = document.querySelector("form.fb-form button[type=submit]");
        button.click();
        setTimeout(() => {
          sessionStorage.setItem("shown", button.textContent + "|" + button.ariaDisabled);
          button.click();
        }, 300);
      }"""
    )
    page.wait_for_timeout(1500)
    assert len(held) == 1  # the second click sent nothing
    held[0].continue_()
    page.unroute(send_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi thành công")
    code = CODE.search(page.locator(".fb-code").inner_text()).group(0)
    assert page.evaluate("() => sessionStorage.getItem('shown')") == "Đang gửi…|true"
    assert_accessible(page)
    screenshot(page, "fb-sent-once", vp)

    resent = page.context.request.post(send_url, multipart=fields)
    assert resent.ok and resent.url.endswith(f"/phan-anh/da-gui/{code}/")
    assert code in resent.text()

    # The used key with other content: refused, everything typed kept, a fresh key to send anew.
    page.goto(send_url)
    page.get_by_label("Lĩnh vực", exact=True).select_option(
        label="Hoạt động của chính quyền xã, phường"
    )
    page.get_by_label("Tiêu đề", exact=True).fill(f"Một phản ánh khác ({vp})")
    page.get_by_label("Nội dung", exact=True).fill("Nội dung khác với lần gửi trước.")
    page.get_by_label("Xã, phường nơi xảy ra sự việc").select_option(label=COMMUNE)
    form.locator("input[name=token]").evaluate(
        "(input, used) => input.value = used", fields["token"]
    )
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator("#send-error")).to_contain_text("Biểu mẫu này đã được dùng")
    expect(page.get_by_role("main")).not_to_contain_text(code)
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value(f"Một phản ánh khác ({vp})")
    assert form.locator("input[name=token]").input_value() != fields["token"]
    expect(page.get_by_role("button", name="Gửi", exact=True)).to_be_enabled()
    assert_accessible(page)
    screenshot(page, "fb-send-conflict", vp)

    page.goto(f"{live_url}/phan-anh/cua-toi/")
    expect(page.locator(".dossier-item", has_text=title)).to_have_count(1)
    expect(page.get_by_role("main")).not_to_contain_text(f"Một phản ánh khác ({vp})")
