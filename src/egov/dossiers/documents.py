"""The mandated forms (Circular 03/2025/TT-VPCP) for a dossier: map it to the PDF engineer's
``FormData`` and keep each generated PDF as a ``DossierFile`` of kind ``form``.

A form that fails to render is logged and skipped: it must never undo the official's action.
"""

import logging

from django.conf import settings
from django.utils import timezone

from egov.dossiers.files import PDF, stored_content
from egov.dossiers.models import Dossier, DossierFile
from egov.dossiers.pdf import ControlStep, FormData, render_form
from egov.places.services import default_province_name

logger = logging.getLogger("egov.dossiers")

FORM_KINDS = ("receipt", "supplement_request", "refusal", "apology", "stop_notice", "control_sheet")
FORM_NAMES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement_request": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối giải quyết hồ sơ",
    "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "stop_notice": "Thông báo dừng xử lý hồ sơ",
    "control_sheet": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


def build_form_data(dossier: Dossier, **extra) -> FormData:
    agency = dossier.agency
    components = [(c.name, c.originals, c.copies) for c in dossier.procedure.components.all()]
    steps = []
    previous = ""
    for e in dossier.events.select_related("actor", "step"):
        actor = (e.actor.full_name or e.actor.username) if e.actor_id else ""
        steps.append(
            ControlStep(
                handed_from=previous or actor,
                handed_to=e.step.name if e.step_id else actor,
                handed_at=e.at,
                due_at=e.step_due_at,
                note=e.note,
            )
        )
        previous = actor
    base = settings.EGOV_SITE_URL.rstrip("/")
    return FormData(
        **{
            "province_name": default_province_name(),
            "agency_name": agency.name,
            "parent_agency_name": agency.parent.name if agency.parent_id else "",
            "dossier_code": dossier.code or "",
            "procedure_name": dossier.procedure.name,
            "applicant_name": dossier.applicant_name,
            "applicant_address": dossier.applicant_address,
            "applicant_phone": dossier.applicant_phone,
            "received_at": dossier.accepted_at or dossier.submitted_at,
            "due_at": dossier.due_at,
            "applicant_email": dossier.applicant_email,
            "issued_at": timezone.now(),
            "legal_days": float(dossier.procedure.processing_time_amount),
            "components": components,
            "missing_items": list(dossier.missing_items or []),
            "tracking_url": f"{base}/tra-cuu/?ma={dossier.code or ''}",
            "steps": steps,
            **extra,
        }
    )


def issue_form(dossier: Dossier, kind: str, actor=None, **extra) -> DossierFile | None:
    """Render form ``kind`` for ``dossier`` and store it; None when it could not be rendered."""
    try:
        content = render_form(kind, build_form_data(dossier, **extra))
    except Exception:  # a broken form must not undo the official's action; it is logged
        logger.exception("form %s for dossier %s could not be rendered", kind, dossier.pk)
        return None
    stored, digest = stored_content(content, PDF)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return DossierFile.objects.create(
        dossier=dossier,
        kind=DossierFile.Kind.FORM,
        form_kind=kind,
        original_name=f"{FORM_NAMES[kind]} {dossier.code or ''} {stamp}.pdf".replace("  ", " "),
        file=stored,
        content_type=PDF.content_type,
        size=len(content),
        sha256=digest,
        uploaded_by=actor,
    )
