"""Loading the feedback categories of the configured province from ``data/categories.json``.

Idempotent: categories are matched by code and only differences are written. Nothing is
deleted (items keep their category); a category missing from the file is left as it is, and an
operator may deactivate it in the admin.
"""

import json
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.core.loading import copy_changes
from egov.core.progress import Progress, Summary
from egov.feedback.models import Category, Kind
from egov.places.services import configured_province_code

DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.json"
OWNED_FIELDS = (
    "name",
    "description",
    "kind",
    "agency_id",
    "local",
    "deadline_days",
    "attributes",
    "open311",
    "order",
)
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


class CategoryDataError(Exception):
    """The data file is wrong; nothing was loaded."""


def read_data(path: Path = DATA_FILE) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CategoryDataError(f"{path}: {exc}") from exc
    if str(data.get("province_code")) != configured_province_code():
        raise CategoryDataError(
            _("%(path)s: tệp dành cho tỉnh mã %(found)s, không phải %(code)s")
            % {
                "path": path.name,
                "found": data.get("province_code"),
                "code": configured_province_code(),
            }
        )
    return data


def check_attributes(code: str, attributes: list[dict[str, Any]]) -> None:
    for attribute in attributes:
        if not attribute.get("code") or attribute.get("datatype") not in DATATYPES:
            raise CategoryDataError(
                _("%(code)s: thông tin bổ sung không hợp lệ %(attr)s")
                % {"code": code, "attr": attribute.get("code")}
            )
        lists = attribute["datatype"] in ("singlevaluelist", "multivaluelist")
        if lists != bool(attribute.get("values")):
            raise CategoryDataError(
                _("%(code)s: “%(attr)s” cần danh sách giá trị khi và chỉ khi là kiểu danh sách")
                % {"code": code, "attr": attribute["code"]}
            )


def _wanted(item: dict[str, Any], agencies: dict[str, Agency]) -> Category:
    code = item.get("code") or ""
    if not code or not item.get("name") or item.get("kind") not in Kind.values:
        raise CategoryDataError(_("lĩnh vực “%(code)s”: thiếu mã, tên hoặc loại") % {"code": code})
    local = bool(item.get("local"))
    agency = None
    if not local:
        agency = agencies.get(item.get("agency") or "")
        if agency is None:
            raise CategoryDataError(
                _("%(code)s: không có cơ quan mã %(agency)s")
                % {"code": code, "agency": item.get("agency")}
            )
    attributes = item.get("attributes") or []
    check_attributes(code, attributes)
    return Category(
        code=code,
        name=item["name"],
        description=item.get("description", ""),
        kind=item["kind"],
        agency=agency,
        local=local,
        deadline_days=int(item["deadline_days"]),
        attributes=attributes,
        open311=bool(item.get("open311")),
        order=int(item.get("order", 0)),
    )


def load_categories(path: Path = DATA_FILE, out: TextIO | None = None) -> Summary:
    summary = Summary("load_feedback_categories")
    rows = read_data(path).get("categories", [])
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={r.get("agency") for r in rows} - {None})
    }
    wanted = [_wanted(row, agencies) for row in rows]
    codes = [c.code for c in wanted]
    if len(codes) != len(set(codes)):
        raise CategoryDataError(_("mã lĩnh vực trùng"))
    stored = {c.code: c for c in Category.objects.filter(code__in=codes)}
    progress = Progress("lĩnh vực", len(wanted), out=out, every=100)
    with transaction.atomic():
        to_create, to_update = [], []
        for category in wanted:
            existing = stored.get(category.code)
            if existing is None:
                to_create.append(category)
            elif copy_changes(existing, category, OWNED_FIELDS):
                to_update.append(existing)
            else:
                summary.unchanged += 1
        Category.objects.bulk_create(to_create)
        if to_update:
            Category.objects.bulk_update(to_update, OWNED_FIELDS)
        summary.created, summary.updated = len(to_create), len(to_update)
        progress.step(len(wanted))
    return summary
