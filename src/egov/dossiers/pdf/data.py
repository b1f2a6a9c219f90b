"""What the one-stop-shop forms print: plain data, no models.

The dossiers app fills a FormData from a dossier and its history; this package only lays it out.
Every field has a default so a caller fills what the form it asks for needs (the list of which form
reads which field is in each form's docstring in `forms.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ControlStep:
    """One hand-over on the process control sheet (Mẫu số 06).

    handed_from / handed_to: who gives and who receives the dossier, as printed
        (e.g. "Bộ phận Một cửa - Nguyễn Thị Lan", "Phòng Kinh tế - Trần Văn Bình").
    handed_at: when the dossier changed hands (aware datetime).
    due_at: when this step was due (aware datetime), or None when the step has no own deadline.
    done_at: when the step finished (aware datetime), or None while it is still open.
    result: the outcome the form asks for, "Trước hạn" / "Đúng hạn" / "Quá hạn"; left empty it is
        computed from done_at against due_at.
    note: free text for the "Ghi chú" column (e.g. why it was late, a joint-processing agency).
    """

    handed_from: str
    handed_to: str
    handed_at: datetime
    due_at: datetime | None = None
    done_at: datetime | None = None
    result: str = ""
    note: str = ""


@dataclass(frozen=True)
class FormData:
    """The facts printed on the forms of Circular 03/2025/TT-VPCP, Annex I.

    Agency and place:
        province_name: the province, printed in the place-and-date line ("Tây Ninh, ngày …").
        agency_name: the agency that receives or handles the dossier (the second header line, in
            capitals), e.g. "Trung tâm Phục vụ hành chính công tỉnh", "Ủy ban nhân dân xã Hòa Hội".
        parent_agency_name: the governing body above it (the first header line), e.g. "Ủy ban nhân
            dân tỉnh Tây Ninh"; empty for an agency printed alone.
        reception_unit: the name of the one-stop desk that receives dossiers, used in the sentences
            of the receipt ("Bộ phận Một cửa … tiếp nhận hồ sơ của"); defaults to agency_name.
        document_number: the form's own number ("Số: 125/TB-…"), printed under the header; empty
            leaves a dotted blank for the officer to write in.
        issued_at: the date printed in the place-and-date line; None uses received_at (the
            receipt) or the current moment.
    Dossier:
        dossier_code: the dossier code (Circular 03/2025 sets its structure), printed under the
            header and beside the QR code.
        procedure_name: the procedure, printed as "Nội dung yêu cầu giải quyết".
        legal_days: the legal processing time in working days, printed on the receipt; 0 hides it.
        dossier_sets: how many sets of the dossier were handed in (the receipt's "Số lượng hồ sơ").
        components: the components received, as (name, originals, copies) tuples; originals and
            copies are counts of bản chính and bản sao.
        missing_items: what the applicant must add or correct (the supplement request).
        reason: why the dossier is refused, stopped, late or must be supplemented.
        result_delivery: how the result is returned ("Trả tại Bộ phận Một cửa", "Trả trực tuyến",
            "Trả qua dịch vụ bưu chính").
    Times (aware datetimes; printed in Asia/Ho_Chi_Minh):
        received_at: when the dossier was accepted.
        due_at: the appointment to return the result.
        new_due_at: the new appointment on the apology (Mẫu số 04).
    Applicant:
        applicant_name, applicant_address, applicant_phone, applicant_email: as declared.
    People:
        officer_name: the official who issues the form (receives, guides, refuses).
        signer_title: the title over the agency's signature on the apology and the stop notice
            (e.g. "Chủ tịch", "Giám đốc"); empty prints "Thủ trưởng cơ quan".
        signer_name: the name under that signature.
        contact_phone: the agency's phone to call with questions (the supplement request).
    Tracking:
        tracking_url: the absolute URL of the dossier's public tracking page (in the QR code).
    Process control sheet:
        coordinating_agencies: the agencies that take part in joint processing (liên thông).
        steps: the hand-overs, in order, as ControlStep.
    """

    province_name: str = "Tây Ninh"
    agency_name: str = ""
    parent_agency_name: str = ""
    reception_unit: str = ""
    document_number: str = ""
    issued_at: datetime | None = None
    dossier_code: str = ""
    procedure_name: str = ""
    legal_days: float = 0
    dossier_sets: int = 1
    applicant_name: str = ""
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    received_at: datetime | None = None
    due_at: datetime | None = None
    new_due_at: datetime | None = None
    result_delivery: str = "Trả tại Bộ phận Một cửa"
    components: list[tuple[str, int, int]] = field(default_factory=list)
    missing_items: list[str] = field(default_factory=list)
    reason: str = ""
    officer_name: str = ""
    signer_title: str = ""
    signer_name: str = ""
    contact_phone: str = ""
    tracking_url: str = ""
    coordinating_agencies: list[str] = field(default_factory=list)
    steps: list[ControlStep] = field(default_factory=list)
