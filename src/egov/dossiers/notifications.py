"""The dossiers' messages through ``egov.notify``: called inside each action's transaction, so
the message task commits with the change, or not at all; the event key makes it once per event
(``dossier:<id>:accepted``, ``dossier:<id>:supplement:<round>``, …)."""

from egov.notify.services import notify


def send(event_key: str, recipient, template: str, context: dict, *, email="", phone="") -> None:
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
