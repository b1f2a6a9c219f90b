"""Attachments: types detected from the content, random storage names, safe downloads.

The applicant's file name is kept only for display; the stored name is random, so a name is
never a path. The type comes from the first bytes (and for DOCX/XLSX from the zip's
``[Content_Types].xml`` and main part), not from the name or the browser's claim.
"""

import hashlib
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from egov.core.api_errors import ApiError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


PDF = Sniffed("application/pdf", "pdf")
JPEG = Sniffed("image/jpeg", "jpg")
PNG = Sniffed("image/png", "png")
DOCX = Sniffed("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = Sniffed("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


class FileRefused(ApiError):
    status = 422
    code = "file_refused"


def max_bytes() -> int:
    return settings.EGOV_DOSSIER_FILE_MAX_BYTES


def _office_type(content: bytes) -> Sniffed | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            return None
        types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    if "word/document.xml" in names and b"wordprocessingml.document.main" in types:
        return DOCX
    if "xl/workbook.xml" in names and b"spreadsheetml.sheet.main" in types:
        return XLSX
    return None


def sniff(content: bytes) -> Sniffed | None:
    """The type of ``content`` from its bytes, or None when it is not an allowed type."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return None


def check_upload(name: str, content: bytes) -> Sniffed:
    if not content:
        raise FileRefused(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if len(content) > max_bytes():
        raise FileRefused(
            _("Tệp “%(name)s” lớn hơn %(mb)s MB cho phép.")
            % {"name": name, "mb": max_bytes() // (1024 * 1024)}
        )
    found = sniff(content)
    if found is None:
        raise FileRefused(
            _(
                "Tệp “%(name)s” không thuộc loại được chấp nhận "
                "(PDF, ảnh JPEG hoặc PNG, Word DOCX, Excel XLSX)."
            )
            % {"name": name}
        )
    return found


def display_name(name: str) -> str:
    """The original name for display only: NFC, no directories, no control characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:255] or "tep"


def stored_content(content: bytes, sniffed: Sniffed) -> tuple[ContentFile, str]:
    """A ContentFile under a random name, and the content's SHA-256."""
    random_name = f"{secrets.token_hex(16)}.{sniffed.extension}"
    return ContentFile(content, name=random_name), hashlib.sha256(content).hexdigest()


def content_disposition(name: str, *, inline: bool = False) -> str:
    """RFC 6266 / RFC 5987: an ASCII fallback plus ``filename*=UTF-8''…`` for Vietnamese names."""
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = plain.encode("ascii", "ignore").decode().strip() or "tep"
    ascii_name = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in ascii_name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
