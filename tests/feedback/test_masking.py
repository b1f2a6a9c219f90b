"""What the public must not read (names, phones, ID numbers, e-mails, house numbers), and what it
must still read (places, agencies, dates, decision numbers, amounts)."""

import pytest

from egov.feedback.masking import mask_personal_details as mask

MASKED = [
    ("Tôi là Nguyễn Văn An, nhà ở ấp 3.", "Tôi là ***, nhà ở ấp 3."),
    ("tên tôi là Lê Thị Hồng Nhung.", "tên tôi là ***."),
    ("Tôi tên Hải, bán hàng ở chợ.", "Tôi tên ***, bán hàng ở chợ."),
    ("Nhà ông Trần Văn Tư lấn chiếm vỉa hè.", "Nhà ông *** lấn chiếm vỉa hè."),
    ("bà Huỳnh Thị Mai ở đó đổ rác.", "bà *** ở đó đổ rác."),
    ("Anh Tuấn tổ trưởng nói sẽ báo xã.", "Anh *** tổ trưởng nói sẽ báo xã."),
    (
        "Chị Lan bán hàng tại đây. Em Nguyễn Minh Khôi bị té.",
        "Chị *** bán hàng tại đây. Em *** bị té.",
    ),
    ("cô Phạm Thị Thu Hà và chú Sáu đều thấy.", "cô *** và chú *** đều thấy."),
    ("Liên hệ 0912345678 hoặc 0912 345 678.", "Liên hệ *** hoặc ***."),
    ("Gọi 0912.345.678 hay 0912-345-678.", "Gọi *** hay ***."),
    ("Số máy +84 912 345 678, máy bàn 0276 3822 111.", "Số máy ***, máy bàn ***."),
    ("Điện thoại 84912345678.", "Điện thoại ***."),
    ("CCCD 072190001234, CMND 290123456.", "CCCD ***, CMND ***."),
    ("Số định danh: 079203001234", "Số định danh: ***"),
    ("Thư gửi an.nguyen@gmail.com hoặc hong_nhung+pa@tayninh.gov.vn.", "Thư gửi *** hoặc ***."),
    ("Nhà số 12 đường Trần Hưng Đạo bị ngập.", "Nhà số *** đường Trần Hưng Đạo bị ngập."),
    ("Tôi ở số 45A đường 30/4, phường Tân Ninh.", "Tôi ở số *** đường 30/4, phường Tân Ninh."),
    (
        "Ngập trước nhà 12/3 hẻm 45 đường Cách Mạng Tháng Tám.",
        "Ngập trước nhà *** hẻm 45 đường Cách Mạng Tháng Tám.",
    ),
    ("Địa chỉ 123/4/5 hẻm 7 khu phố 2.", "Địa chỉ *** hẻm 7 khu phố 2."),
    ("nhà 27 đường Lê Lợi", "nhà *** đường Lê Lợi"),
]

KEPT = [
    "Đường lên núi Bà Đen có nhiều ổ gà.",
    "Bà Rịa – Vũng Tàu là tỉnh khác.",
    "Cầu Ông Lãnh không thuộc tỉnh.",
    "Ủy ban nhân dân xã Tân Biên chưa trả lời.",
    "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh đã kiểm tra.",
    "ông Chủ tịch UBND xã không tiếp dân.",
    "bà Trưởng phòng Kinh tế hẹn tuần sau.",
    "Ngày 12/3/2025 lúc 14:30 tôi nộp hồ sơ.",
    "Từ ngày 12/3 đường bị ngập.",
    "Theo Quyết định số 15/2025/QĐ-UBND ngày 01/7/2025.",
    "Tôi đã nộp 1.500.000 đồng lệ phí.",
    "Dự án 500000000 đồng chưa làm.",
    "Công trình trị giá 120.000.000.000 đồng.",
    "Quốc lộ 22B km 45 sụt lún, dài 20 m.",
    "Có 12 hộ dân bị ảnh hưởng, cách 300 m.",
    "Năm 2025 có 96 xã, phường.",
    "anh em trong ấp đều biết.",
    "tôi là người dân ấp Thạnh Hiệp.",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_details_are_removed(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_what_is_not_personal_stays(text):
    assert mask(text) == text


def test_empty_text():
    assert mask("") == ""


TRIAL = (
    "Hộ Lê Thị Mai ở 45 đường Trần Hưng Đạo (CCCD 072 090 000 999, ĐT (0276) 3822 123) lấn "
    "chiếm hẻm. Người báo: Nguyễn Văn Bình."
)

MASKED_WITHOUT_CUE = [
    (TRIAL, "Hộ *** ở *** đường Trần Hưng Đạo (CCCD ***, ĐT ***) lấn chiếm hẻm. Người báo: ***."),
    ("Lê Văn Tám và Trần Thị B lấn chiếm.", "*** và *** lấn chiếm."),
    ("Nguyễn Văn A, Trần B gây ồn.", "***, *** gây ồn."),
    ("Gọi 0276.3822.123 nhé.", "Gọi *** nhé."),
    ("CMND 072.090.000.999 cấp năm 2010.", "CMND *** cấp năm 2010."),
    ("nhà 12 Nguyễn Trãi bị ngập", "nhà *** Nguyễn Trãi bị ngập"),
    ("số 7 hẻm 3 đường Lê Lợi", "số *** hẻm 3 đường Lê Lợi"),
    ("Người gửi: Hải.", "Người gửi: ***."),
]

KEPT_WITHOUT_CUE = [
    "Đường Trần Hưng Đạo, phường Lê Lợi, huyện Châu Thành.",
    "Trường THCS Nguyễn Du và Tòa Thánh Cao Đài.",
    "Thành phố Hồ Chí Minh, tỉnh Bình Dương, Đồng Nai.",
    "Có 3 đường bị ngập, dài 2 km.",
    "UBND xã Trần Văn Thời đã trả lời.",
    "Công trình trị giá 120.000.000.000 đồng.",
]


@pytest.mark.parametrize(("text", "expected"), MASKED_WITHOUT_CUE)
def test_names_and_numbers_without_a_cue_are_removed(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT_WITHOUT_CUE)
def test_places_and_agencies_named_after_people_stay(text):
    assert mask(text) == text


def test_the_items_own_details_are_removed_wherever_they_appear():
    text = "Bình (0912 000 111, BINH@vi.vn, 072090000999) báo lại."
    known = ["Bình", "0912000111", "binh@vi.vn", "072 090 000 999"]
    assert mask(text, known) == "*** (***, ***, ***) báo lại."
