"""The mandated forms as PDF: read each one back as a person's PDF reader would.

Every form is rendered with realistic Vietnamese data, strictly (a character without a glyph in
the embedded font fails the test), its text extracted with pypdf, its QR code decoded from the
embedded image, and its page rendered to test-artifacts/forms/<kind>.png for a person to look at.
"""

import io
import logging
import re
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
import segno
import zxingcpp
from PIL import Image

from egov.dossiers.pdf import KINDS, ControlStep, FormData, MissingGlyphError, render_form
from egov.dossiers.pdf.forms import step_result
from egov.dossiers.pdf.layout import _template_fonts, place_and_date

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "forms"
# The brief's check string: each of these letters needs its own precomposed glyph.
GLYPH_PROBE = "Ủy ban nhân dân ưởng ữ ặ ỹ Đ đ"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZONE)


def every_vietnamese_letter() -> str:
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = [
        unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in tones
    ]
    letters += ["đ"]
    letters += [letter.upper() for letter in letters]
    # In words of six (one base vowel with its tones), so the line wraps between words.
    return " ".join("".join(letters[i : i + 6]) for i in range(0, len(letters), 6))


DATA = FormData(
    province_name="Tây Ninh",
    agency_name="Ủy ban nhân dân xã Hòa Hội",
    parent_agency_name="Ủy ban nhân dân tỉnh Tây Ninh",
    reception_unit="Bộ phận Một cửa xã Hòa Hội",
    document_number="125",
    issued_at=at(2025, 12, 3, 8, 45),
    dossier_code="H59.12.34-251203-0007",
    procedure_name="Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế",
    legal_days=3,
    applicant_name="Nguyễn Thị Ưởng",
    applicant_address="Ấp Trường Đức, xã Hòa Hội, tỉnh Tây Ninh",
    applicant_phone="0912 345 678",
    applicant_email="uong.nguyen@example.vn",
    received_at=at(2025, 12, 3, 8, 30),
    due_at=at(2025, 12, 8, 16, 0),
    new_due_at=at(2025, 12, 12, 10, 0),
    result_delivery="Trả tại Bộ phận Một cửa",
    components=[
        ("Tờ khai đăng ký khai sinh", 1, 0),
        ("Giấy chứng sinh do cơ sở y tế cấp", 1, 0),
        ("Giấy chứng nhận kết hôn của cha, mẹ", 0, 2),
    ],
    missing_items=[
        "Giấy chứng sinh bản chính (bản đã nộp mờ, không đọc được)",
        "Chữ ký của người đi đăng ký trên tờ khai",
    ],
    reason="Hồ sơ thiếu giấy chứng sinh bản chính theo quy định của Luật Hộ tịch",
    officer_name="Trần Văn Đức",
    signer_title="Chủ tịch",
    signer_name="Lê Hoàng Phúc",
    contact_phone="0276 3822 123",
    tracking_url="https://dichvucong.tayninh.gov.vn/tra-cuu/H59.12.34-251203-0007",
    coordinating_agencies=["Công an xã Hòa Hội"],
    steps=[
        ControlStep(
            "Bộ phận Một cửa - Trần Văn Đức",
            "Công chức Tư pháp - Hộ tịch - Phạm Thị Ánh",
            handed_at=at(2025, 12, 3, 9, 0),
            due_at=at(2025, 12, 5, 17, 0),
            done_at=at(2025, 12, 4, 10, 0),
        ),
        ControlStep(
            "Công chức Tư pháp - Hộ tịch - Phạm Thị Ánh",
            "Phó Chủ tịch - Lê Hoàng Phúc",
            handed_at=at(2025, 12, 4, 10, 0),
            due_at=at(2025, 12, 5, 17, 0),
            done_at=at(2025, 12, 6, 9, 0),
            note="Chờ xác minh của Công an xã",
        ),
    ],
)

COMMON = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
    "ỦY BAN NHÂN DÂN XÃ HÒA HỘI",
    "Tây Ninh, ngày 03 tháng 12 năm 2025",
    "Mã hồ sơ: H59.12.34-251203-0007",
    "Nguyễn Thị Ưởng",
    "03/12/2025",
    DATA.tracking_url,
]
EXPECTED = {
    "receipt": [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Bộ phận Một cửa xã Hòa Hội tiếp nhận hồ sơ của",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh do cơ sở y tế cấp",
        "Giấy chứng nhận kết hôn của cha, mẹ",
        "Bản chính",
        "3 ngày làm việc",
        "08 giờ 30 phút, ngày 03/12/2025",
        "16 giờ 00 phút, ngày 08/12/2025",
        "Trả tại Bộ phận Một cửa",
        "0912 345 678",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Đức",
    ],
    "supplement_request": [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "1. Giấy chứng sinh bản chính (bản đã nộp mờ, không đọc được)",
        "2. Chữ ký của người đi đăng ký trên tờ khai",
        DATA.reason,
        "0276 3822 123",
        "NGƯỜI HƯỚNG DẪN",
    ],
    "refusal": [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "không tiếp nhận, giải quyết hồ sơ này",
        DATA.reason,
        "Trần Văn Đức",
    ],
    "apology": [
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ",
        "Kính gửi: Nguyễn Thị Ưởng",
        DATA.reason,
        "16 giờ 00 phút, ngày 08/12/2025",
        "10 giờ 00 phút, ngày 12/12/2025",
        "CHỦ TỊCH",
        "Lê Hoàng Phúc",
    ],
    "stop_notice": [
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "thông báo dừng giải quyết hồ sơ nêu trên với lý do",
        DATA.reason,
        "Lê Hoàng Phúc",
    ],
    "control_sheet": [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Cơ quan phối hợp giải quyết hồ sơ: Công an xã Hòa Hội",
        "Nhận: Phó Chủ tịch - Lê Hoàng Phúc",
        "Trước hạn",
        "Quá hạn",
        "Chờ xác minh của Công an xã",
        "05/12/2025",
    ],
}


def pdf_text(content: bytes) -> str:
    """All text of the PDF as one NFC line (wrapping turns into single spaces)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def qr_texts(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    found = []
    for page in reader.pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            found += [code.text for code in zxingcpp.read_barcodes(picture)]
    return found


@pytest.fixture(scope="module", params=KINDS)
def rendered(request) -> tuple[str, bytes]:
    return request.param, render_form(request.param, DATA, strict=True)


def test_it_is_a_pdf_with_the_forms_text(rendered):
    kind, content = rendered
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for expected in COMMON + EXPECTED[kind]:
        assert expected in text, f"{kind}: {expected!r} not in the PDF text"


def test_its_qr_code_opens_the_tracking_page(rendered):
    kind, content = rendered
    assert qr_texts(content) == [DATA.tracking_url], kind


def test_it_renders_to_a_png_to_look_at(rendered):
    kind, content = rendered
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / f"{kind}.pdf"
    pdf_path.write_bytes(content)
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-singlefile", str(pdf_path), str(ARTIFACTS / kind)],
        check=True,
        timeout=60,
    )
    png = Image.open(ARTIFACTS / f"{kind}.png")
    assert png.width > 800 and png.height > png.width  # one portrait A4 page
    # Not a blank page: a good share of the pixels carry ink.
    dark = sum(png.convert("L").point(lambda v: v < 128 and 255).histogram()[255:])
    assert dark > 10_000


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown form kind"):
        render_form("certificate", DATA)


def test_every_vietnamese_letter_has_a_glyph():
    name = f"{GLYPH_PROBE} {every_vietnamese_letter()}"
    content = render_form("receipt", replace(DATA, applicant_name=name), strict=True)
    assert name in pdf_text(content)


def test_a_missing_glyph_fails_strictly_and_is_logged_otherwise(caplog):
    data = replace(DATA, applicant_name="Nguyễn Văn Ж")  # Cyrillic: not in the forms' repertoire
    with pytest.raises(MissingGlyphError, match="Ж"):
        render_form("receipt", data, strict=True)
    with caplog.at_level(logging.WARNING, logger="egov.dossiers.pdf.layout"):
        content = render_form("receipt", data)
    assert content.startswith(b"%PDF-")
    assert "Ж" in caplog.text


def test_decomposed_input_is_set_with_the_composed_glyphs():
    decomposed = unicodedata.normalize("NFD", "Phạm Thị Ánh Tuyết")
    assert decomposed != "Phạm Thị Ánh Tuyết"
    content = render_form("refusal", replace(DATA, applicant_name=decomposed), strict=True)
    assert "Phạm Thị Ánh Tuyết" in pdf_text(content)


def test_times_are_printed_in_vietnam_time():
    utc = ZoneInfo("UTC")
    data = replace(DATA, received_at=datetime(2025, 12, 3, 1, 30, tzinfo=utc))
    assert "08 giờ 30 phút, ngày 03/12/2025" in pdf_text(render_form("receipt", data))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        render_form("receipt", replace(DATA, received_at=datetime(2025, 12, 3, 8, 30)))


def test_place_and_date_follow_the_decree_on_leading_zeros():
    # Decree 30/2020/NĐ-CP: a zero before days below 10 and before the months 1 and 2.
    assert place_and_date("Tây Ninh", at(2026, 3, 5)) == "Tây Ninh, ngày 05 tháng 3 năm 2026"
    assert place_and_date("Tây Ninh", at(2026, 2, 14)) == "Tây Ninh, ngày 14 tháng 02 năm 2026"
    assert place_and_date("Tây Ninh", at(2025, 12, 31)) == "Tây Ninh, ngày 31 tháng 12 năm 2025"


def test_step_results():
    step = DATA.steps[0]
    assert step_result(step) == "Trước hạn"
    assert step_result(replace(step, done_at=at(2025, 12, 5, 16, 0))) == "Đúng hạn"
    assert step_result(replace(step, done_at=at(2025, 12, 5, 17, 1))) == "Quá hạn"
    assert step_result(replace(step, done_at=None)) == "Đang xử lý"
    assert step_result(replace(step, result="Quá hạn")) == "Quá hạn"


def test_an_empty_form_still_renders_with_blanks_to_fill_in():
    for kind in KINDS:
        text = pdf_text(render_form(kind, FormData(issued_at=at(2025, 12, 3)), strict=True))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "…" in text


def test_long_lists_flow_onto_a_second_page():
    components = [(f"Giấy tờ kèm theo số {n}", 1, 1) for n in range(1, 41)]
    content = render_form("receipt", replace(DATA, components=components), strict=True)
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) >= 2
    text = pdf_text(content)
    assert "Giấy tờ kèm theo số 40" in text
    assert "Trang 2/" in text
    assert qr_texts(content) == [DATA.tracking_url]


def test_the_parsed_font_is_shared_and_each_document_gets_its_own_subset():
    render_form("receipt", DATA)
    templates = _template_fonts()
    render_form("refusal", DATA)
    assert _template_fonts() is templates  # parsed once per process
    assert _template_fonts.cache_info().misses == 1
    # Both documents still carry their own text after the other was written.
    first, second = render_form("receipt", DATA), render_form("refusal", DATA)
    assert "GIẤY TIẾP NHẬN" in pdf_text(first)
    assert "PHIẾU TỪ CHỐI" in pdf_text(second)


def test_segno_encodes_the_url_the_form_prints():
    # The QR module picks the error level that survives a stamp on paper.
    qr = segno.make_qr(DATA.tracking_url, error="m")
    assert qr.error == "M"
    assert qr.designator.endswith("-M")


def test_forms_rendered_at_once_in_threads_each_keep_their_own_text():
    # gunicorn's threaded workers render forms side by side over the shared parsed fonts.
    names = [f"Người nộp số {n} Ưng Ỷ" for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        contents = list(
            pool.map(
                lambda name: render_form(
                    "receipt", replace(DATA, applicant_name=name), strict=True
                ),
                names,
            )
        )
    for name, content in zip(names, contents, strict=True):
        assert name in pdf_text(content)


def test_a_relative_tracking_url_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="egov.dossiers.pdf.layout"):
        render_form("receipt", replace(DATA, tracking_url="/tra-cuu/?ma=H59"))
    assert "relative URL" in caplog.text
