"""The six forms of Circular 03/2025/TT-VPCP, Annex I (guiding Decree 118/2025/NĐ-CP).

Each function lays out one form from a FormData. The wording follows the forms' shape as it was in
Circular 01/2018/TT-VPCP (which 03/2025 replaced, keeping the same parts) adapted to the new
names; where a detail of the new annex could not be confirmed the form keeps the older wording.
Mẫu số 07 (Sổ theo dõi hồ sơ, the register) is a report, not a form issued per dossier.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .data import ControlStep, FormData
from .layout import FormPDF, count, date_dmy, local, place_and_date, time_and_date

APPLICANT = "Ông/Bà/Tổ chức"


def _issued(data: FormData, fallback: datetime | None = None) -> datetime:
    return data.issued_at or fallback or datetime.now(UTC)


def _start(pdf_title: str, data: FormData, *, issued: datetime, number_prefix: str) -> FormPDF:
    pdf = FormPDF(pdf_title)
    pdf.header_block(
        parent_agency=data.parent_agency_name,
        agency=data.agency_name,
        number_line=f"Số: {data.document_number or '……'}/{number_prefix}",
        code_line=f"Mã hồ sơ: {data.dossier_code or '……'}",
        place_date=place_and_date(data.province_name, issued),
    )
    return pdf


def _applicant_lines(pdf: FormPDF, data: FormData, *, label: str = APPLICANT) -> None:
    pdf.field(label, data.applicant_name)
    pdf.field("Địa chỉ", data.applicant_address)
    pdf.field("Số điện thoại", data.applicant_phone, blank="……………")
    pdf.field("Thư điện tử", data.applicant_email, blank="……………")
    pdf.field("Nội dung yêu cầu giải quyết", data.procedure_name)


def _sentence(text: str) -> str:
    """A free-text reason ends the sentence it is set in with a full stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _unit(data: FormData) -> str:
    return data.reception_unit or data.agency_name


def _component_cells(component: tuple[str, int, int] | str) -> list[str]:
    """(name, originals, copies) as table cells; a bare name leaves the counts to fill in."""
    if isinstance(component, str):
        return [component, "", ""]
    name, originals, copies = component
    return [name, count(originals), count(copies)]


def receipt(data: FormData) -> FormPDF:
    """Mẫu số 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả.

    Reads: the agency, dossier_code, applicant_*, procedure_name, components, dossier_sets,
    legal_days, received_at, due_at, result_delivery, officer_name, tracking_url.
    """
    title = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    pdf = _start(title, data, issued=_issued(data, data.received_at), number_prefix="GTN")
    pdf.title_block(title)
    pdf.para(f"{_unit(data)} tiếp nhận hồ sơ của:", indent=False)
    _applicant_lines(pdf, data)
    pdf.para("1. Thành phần hồ sơ nộp gồm:", indent=False)
    pdf.table(
        ["TT", "Tên loại giấy tờ", "Bản chính", "Bản sao"],
        [
            [str(n), *_component_cells(component)]
            for n, component in enumerate(data.components, start=1)
        ]
        or [["", "…", "", ""]],
        widths=[10, 110, 25, 25],
    )
    pdf.field("2. Số lượng hồ sơ", f"{count(data.dossier_sets)} bộ")
    if data.legal_days:
        days = f"{data.legal_days:g}".replace(".", ",")
        pdf.field("3. Thời gian giải quyết hồ sơ theo quy định", f"{days} ngày làm việc")
    else:
        pdf.field("3. Thời gian giải quyết hồ sơ theo quy định", "")
    pdf.field("4. Thời gian nhận hồ sơ", time_and_date(data.received_at))
    pdf.field("5. Thời gian trả kết quả giải quyết hồ sơ", time_and_date(data.due_at))
    pdf.field("6. Hình thức nhận kết quả", data.result_delivery)
    pdf.signatures(
        ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", data.applicant_name),
        ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", data.officer_name),
    )
    pdf.qr_block(data.tracking_url, data.dossier_code)
    return pdf


def supplement_request(data: FormData) -> FormPDF:
    """Mẫu số 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.

    Reads: the agency, dossier_code, applicant_*, procedure_name, received_at (the day the
    dossier was handed in), missing_items, reason, contact_phone, officer_name, tracking_url.
    """
    title = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    pdf = _start(title, data, issued=_issued(data), number_prefix="PBS")
    pdf.title_block(title)
    _applicant_lines(pdf, data, label="Hồ sơ của")
    pdf.field("Ngày nộp hồ sơ", date_dmy(data.received_at))
    pdf.para("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", indent=False)
    pdf.numbered(data.missing_items)
    if data.reason:
        pdf.field("Lý do", _sentence(data.reason))
    contact = f" theo số điện thoại {data.contact_phone}" if data.contact_phone else ""
    pdf.para(
        "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà/tổ chức liên hệ "
        f"{_unit(data)}{contact} để được hướng dẫn./."
    )
    pdf.signatures(("Người hướng dẫn", "(Ký và ghi rõ họ tên)", data.officer_name))
    pdf.qr_block(data.tracking_url, data.dossier_code)
    return pdf


def refusal(data: FormData) -> FormPDF:
    """Mẫu số 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ.

    Reads: the agency, dossier_code, applicant_*, procedure_name, received_at, reason,
    officer_name, tracking_url.
    """
    title = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    pdf = _start(title, data, issued=_issued(data), number_prefix="PTC")
    pdf.title_block(title)
    pdf.para(f"{_unit(data)} tiếp nhận hồ sơ của:", indent=False)
    _applicant_lines(pdf, data)
    pdf.field("Ngày nộp hồ sơ", date_dmy(data.received_at))
    pdf.para(
        f"Qua xem xét, {data.agency_name} thông báo không tiếp nhận, giải quyết hồ sơ này "
        "với lý do cụ thể như sau:"
    )
    pdf.para(_sentence(data.reason) or "…")
    pdf.para("Xin thông báo để ông/bà/tổ chức được biết và thực hiện./.")
    pdf.signatures(("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", data.officer_name))
    pdf.qr_block(data.tracking_url, data.dossier_code)
    return pdf


def _head_signature(data: FormData) -> tuple[str, str, str]:
    return (
        data.signer_title or "Thủ trưởng cơ quan",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        data.signer_name,
    )


def apology(data: FormData) -> FormPDF:
    """Mẫu số 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết.

    Issued when a dossier will be late (Decree 118/2025/NĐ-CP keeps the duty of Decree 61/2018
    to apologise in writing and set a new appointment). Reads: the agency, dossier_code,
    applicant_name, procedure_name, received_at, due_at, reason, new_due_at, signer_*,
    tracking_url.
    """
    title = "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    pdf = _start(title, data, issued=_issued(data), number_prefix="XL")
    pdf.title_block(title + " hồ sơ")
    pdf.set_x(pdf.l_margin)
    pdf.field("Kính gửi", data.applicant_name)
    pdf.ln(1)
    pdf.para(
        f"Ngày {date_dmy(data.received_at)}, {data.agency_name} tiếp nhận giải quyết hồ sơ "
        f"của ông/bà/tổ chức {data.applicant_name or '…'} về việc: {data.procedure_name or '…'}."
    )
    pdf.field("Mã hồ sơ", data.dossier_code)
    pdf.field("Thời gian hẹn trả kết quả giải quyết hồ sơ", time_and_date(data.due_at))
    pdf.para(
        f"Tuy nhiên đến nay, {data.agency_name} chưa trả kết quả giải quyết hồ sơ của "
        f"ông/bà/tổ chức với lý do: {_sentence(data.reason) or '…'}"
    )
    pdf.para(
        f"Sự chậm trễ này đã gây phiền hà cho ông/bà/tổ chức. {data.agency_name} xin lỗi "
        "ông/bà/tổ chức và đề nghị gia hạn thời gian giải quyết, hẹn lại thời gian trả kết quả "
        "như sau:"
    )
    pdf.field("Thời gian hẹn trả kết quả mới", time_and_date(data.new_due_at))
    pdf.para("Rất mong nhận được sự thông cảm của ông/bà/tổ chức./.")
    pdf.signatures(_head_signature(data))
    pdf.qr_block(data.tracking_url, data.dossier_code)
    return pdf


def stop_notice(data: FormData) -> FormPDF:
    """Mẫu số 05 — Thông báo dừng giải quyết hồ sơ.

    Reads: the agency, dossier_code, applicant_name, procedure_name, received_at, reason,
    contact_phone, signer_*, tracking_url.
    """
    title = "Thông báo dừng giải quyết hồ sơ"
    pdf = _start(title, data, issued=_issued(data), number_prefix="TB")
    pdf.title_block(title)
    pdf.field("Kính gửi", data.applicant_name)
    pdf.ln(1)
    pdf.para(
        f"Ngày {date_dmy(data.received_at)}, {data.agency_name} tiếp nhận hồ sơ của "
        f"ông/bà/tổ chức {data.applicant_name or '…'} về việc: {data.procedure_name or '…'}."
    )
    pdf.field("Mã hồ sơ", data.dossier_code)
    pdf.field("Địa chỉ", data.applicant_address)
    pdf.para(
        f"{data.agency_name} thông báo dừng giải quyết hồ sơ nêu trên với lý do: "
        f"{_sentence(data.reason) or '…'}"
    )
    contact = f" theo số điện thoại {data.contact_phone}" if data.contact_phone else ""
    pdf.para(
        f"Mọi vướng mắc, ông/bà/tổ chức liên hệ {_unit(data)}{contact} để được hướng dẫn. "
        f"{data.agency_name} thông báo để ông/bà/tổ chức được biết./."
    )
    pdf.signatures(_head_signature(data))
    pdf.qr_block(data.tracking_url, data.dossier_code)
    return pdf


def step_result(step: ControlStep) -> str:
    """'Trước hạn' / 'Đúng hạn' / 'Quá hạn', as the control sheet's result column asks.

    Done on an earlier day than the due day is ahead of time; done on the due day, up to the due
    moment, is on time; after the due moment is late.
    """
    if step.result:
        return step.result
    if step.done_at is None:
        return "Đang xử lý"
    if step.due_at is None:
        return ""
    if step.done_at > step.due_at:
        return "Quá hạn"
    if local(step.done_at).date() < local(step.due_at).date():
        return "Trước hạn"
    return "Đúng hạn"


def _moment(moment: datetime | None) -> str:
    return local(moment).strftime("%H:%M\n%d/%m/%Y") if moment else ""


def control_sheet(data: FormData) -> FormPDF:
    """Mẫu số 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ.

    It travels with the dossier: each hand-over is a row with who gave and who received it, when,
    the step's due moment and its result. Reads: the agency, coordinating_agencies, dossier_code,
    applicant_name, procedure_name, received_at, due_at, steps, tracking_url.
    """
    title = "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    pdf = _start(title, data, issued=_issued(data, data.received_at), number_prefix="PKS")
    pdf.title_block(title, "(Kèm theo hồ sơ và Giấy tiếp nhận hồ sơ và hẹn trả kết quả)")
    pdf.field("Người nộp hồ sơ", data.applicant_name)
    pdf.field("Nội dung yêu cầu giải quyết", data.procedure_name)
    pdf.field("Cơ quan (bộ phận) giải quyết hồ sơ", data.agency_name)
    pdf.field(
        "Cơ quan phối hợp giải quyết hồ sơ", "; ".join(data.coordinating_agencies), blank="Không"
    )
    pdf.field("Thời gian nhận hồ sơ", time_and_date(data.received_at))
    pdf.field("Thời gian hẹn trả kết quả", time_and_date(data.due_at))
    pdf.ln(2)
    rows = []
    for n, step in enumerate(data.steps, start=1):
        hand_over = f"Giao: {step.handed_from}\nNhận: {step.handed_to}"
        done = f"\n({_moment(step.done_at).replace(chr(10), ' ')})" if step.done_at else ""
        rows.append(
            [
                str(n),
                hand_over,
                _moment(step.handed_at),
                _moment(step.due_at),
                step_result(step) + done,
                step.note,
            ]
        )
    pdf.table(
        [
            "TT",
            "Giao, nhận hồ sơ",
            "Thời gian giao, nhận",
            "Hạn xử lý",
            "Kết quả (trước hạn / đúng hạn / quá hạn)",
            "Ghi chú",
        ],
        rows or [["", "…", "", "", "", ""]],
        widths=[8, 55, 24, 24, 32, 27],
    )
    pdf.qr_block(data.tracking_url, data.dossier_code)
    return pdf
