"""The adapter to ``egov.notify`` (built in parallel): import lazily, so the dossier actions work
before that module lands; once it is there every call goes through
``notify(event_key, recipient, template, context, email=, phone=)`` inside the action's
transaction (the message task commits with the change, or not at all)."""

import logging

logger = logging.getLogger("egov.dossiers")


def send(event_key: str, recipient, template: str, context: dict, *, email="", phone="") -> None:
    try:
        from egov.notify.services import notify
    except ImportError:
        logger.info("notify not installed; message %s (%s) not queued", event_key, template)
        return
    notify(event_key, recipient, template, context, email=email, phone=phone)


def dossier_context(dossier, **extra) -> dict:
    context = {
        "dossier_code": dossier.code or "",
        "procedure_name": dossier.procedure.name,
        "agency_name": dossier.agency.name,
        "applicant_name": dossier.applicant_name,
        "due_at": dossier.due_at,
        "tracking_url": f"/tra-cuu/?ma={dossier.code or ''}",
        "reason": "",
        "missing_items": [],
        "official_name": "",
    }
    context.update(extra)
    return context


def to_applicant(dossier, event: str, template: str, **extra) -> None:
    send(
        f"dossier:{dossier.pk}:{event}",
        dossier.applicant,
        template,
        dossier_context(dossier, **extra),
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
    )
