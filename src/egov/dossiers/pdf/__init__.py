"""The mandated one-stop-shop forms as PDF (Circular 03/2025/TT-VPCP, Annex I, Mẫu số 01-06).

    from egov.dossiers.pdf import FormData, render_form
    pdf_bytes = render_form("receipt", FormData(agency_name=..., dossier_code=..., ...))

Plain data in, bytes out: no models, no database, no network. Vietnamese text is set in Source
Sans Pro (embedded, from the `font-source-sans-pro` package); every form carries a QR code to the
dossier's public tracking page with the dossier code beside it.

The fonts are prepared and parsed once per process, on the first form or on warm_up() (call it
where a worker starts, so no applicant waits for it); a form then renders in tens of ms.
"""

from __future__ import annotations

from collections.abc import Callable

from . import forms
from .data import ControlStep, FormData
from .layout import FormPDF, MissingGlyphError, warm_up

__all__ = [
    "FORMS",
    "KINDS",
    "ControlStep",
    "FormData",
    "MissingGlyphError",
    "render_form",
    "warm_up",
]

# kind -> (form number in Annex I, layout function)
FORMS: dict[str, tuple[str, Callable[[FormData], FormPDF]]] = {
    "receipt": ("01", forms.receipt),
    "supplement_request": ("02", forms.supplement_request),
    "refusal": ("03", forms.refusal),
    "apology": ("04", forms.apology),
    "stop_notice": ("05", forms.stop_notice),
    "control_sheet": ("06", forms.control_sheet),
}
KINDS = tuple(FORMS)


def render_form(kind: str, data: FormData, *, strict: bool = False) -> bytes:
    """Render one form as PDF bytes.

    kind: one of KINDS; anything else raises ValueError.
    strict: raise MissingGlyphError when some text has no glyph in the font (the tests use it);
        otherwise such characters print as blanks and a warning is logged, so a receipt is never
        refused over an exotic character in a name.
    """
    try:
        _number, layout = FORMS[kind]
    except KeyError:
        raise ValueError(
            f"unknown form kind {kind!r}; expected one of {', '.join(KINDS)}"
        ) from None
    return layout(data).finish(strict=strict)
