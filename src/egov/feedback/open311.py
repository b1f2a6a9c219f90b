"""Open311 GeoReport v2 at ``/open311/v2/``: the views, and how categories and items map onto
the specification (http://wiki.open311.org/GeoReport_v2). Rules decided here are written in
``docs/open311.md``.

Plain Django views rather than the Ninja API: the specification fixes its own URLs (a format
extension on every resource), form-encoded input with ``attribute[code][]`` keys, XML beside
JSON and its own error list. The domain stays the feedback app's: a request is filed by
:func:`egov.feedback.services.submit`, which validates, routes and sets the deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from egov.core.api_errors import ApiError
from egov.core.periods import year_problem
from egov.core.text import fold
from egov.feedback import services
from egov.feedback.masking import mask_personal_details
from egov.feedback.models import OPEN_STATUSES, Category, Item, ItemEvent
from egov.feedback.open311_format import FORMATS, Format, parse_w3c, render, render_errors, w3c
from egov.feedback.open311_keys import KeyRefused, client_for_key, mark_used
from egov.places.models import AdminUnit
from egov.places.services import configured_province_code, current_units, default_province_name

# The specification's response volume: a span of at most 90 days, at most 1000 requests.
PAGE_SIZE = 1000
MAX_RANGE = timedelta(days=90)
MAX_DESCRIPTION = 4000  # characters, the specification's limit on ``description``
LIST_TYPES = ("singlevaluelist", "multivaluelist")
# Local categories route by commune, which a point alone cannot give (the platform has no
# commune boundaries): the service definition offers the communes as a list attribute, and
# ``address_id`` (a commune code) says the same.
COMMUNE_ATTRIBUTE = "xa_phuong"
# Where the link a client sends as ``media_url`` is kept (the item's attributes; never fetched).
MEDIA_KEY = "media_url"


class Open311Error(Exception):
    """A refusal in the specification's terms: an HTTP status and its descriptions."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def _bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def _not_found(description: str) -> Open311Error:
    return Open311Error(404, description)


View = Callable[..., HttpResponse]


def open311_view(*methods: str) -> Callable[[View], View]:
    """Check the format extension and the method; turn every refusal into the error list.

    No session and no CSRF token: a client authenticates a POST with its ``api_key`` alone.
    """

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                # Answered in XML, the one format the specification requires of every server.
                text = _("Định dạng “%(fmt)s” không được hỗ trợ; dùng .json hoặc .xml.")
                return render_errors("xml", 404, [text % {"fmt": fmt}])
            if request.method not in methods:
                text = _("Phương thức %(method)s không được hỗ trợ ở đây.")
                response = render_errors(fmt, 405, [text % {"method": request.method}])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return render_errors(fmt, exc.status, exc.descriptions)
            except KeyRefused as exc:
                return render_errors(fmt, 403, [str(exc)])
            except ApiError as exc:
                return render_errors(fmt, _status(exc), _descriptions(exc))

        return wrapper

    return decorate


def _status(exc: ApiError) -> int:
    """The specification's statuses: 403 for the key, 404 for what does not exist, else 400."""
    return exc.status if exc.status in (403, 404) else 400


def _descriptions(exc: ApiError) -> list[str]:
    """One description per problem: the domain lists invalid attributes in ``details``, named
    here as the client sent them (``attribute[code]``)."""
    if exc.code != "invalid_attributes" or not isinstance(exc.details, list):
        return [exc.message]
    texts = [f"attribute[{d['field']}]: {d['message']}" for d in exc.details]
    return [exc.message, *texts]


# --- service discovery --------------------------------------------------------------------------

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed in a way clients should notice (the discovery "changeset").
CHANGESET = "2026-12-03T00:00:00+07:00"


@open311_view("GET")
def discovery(request: HttpRequest, fmt: Format) -> HttpResponse:
    """The Service Discovery document the Open311 APIs must publish beside the endpoint."""
    province = default_province_name()
    root = reverse("open311:services", args=["xml"]).removesuffix("/services.xml")
    payload = {
        "changeset": CHANGESET,
        "contact": _("Quản trị Cổng dịch vụ công tỉnh %(province)s") % {"province": province},
        "key_service": _("Khóa API do quản trị viên cấp riêng cho từng ứng dụng."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(root),
                "changeset": CHANGESET,
                "type": "production" if settings.PROFILE == "production" else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", payload)


# --- services -----------------------------------------------------------------------------------


def offered_categories() -> QuerySet[Category]:
    return Category.objects.filter(open311=True, active=True).select_related("agency")


def province_communes() -> QuerySet[AdminUnit]:
    return current_units().filter(
        level=AdminUnit.Level.COMMUNE, parent__code=configured_province_code()
    )


def _group(category: Category) -> str:
    # Who handles it is the grouping a citizen understands: the commune, or a provincial agency.
    if category.local or category.agency is None:
        return _("UBND xã, phường")
    return category.agency.name


def service_json(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes) or category.local,
        "type": "realtime",
        # The name without diacritics: what people type on a keyboard without Vietnamese input.
        "keywords": fold(category.name),
        "group": _group(category),
    }


def _commune_attribute() -> dict[str, Any]:
    communes = province_communes().order_by("name_folded", "code")
    return {
        "code": COMMUNE_ATTRIBUTE,
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": _("Hoặc gửi address_id là mã xã, phường."),
        "order": 0,
        "description": _("Xã, phường nơi xảy ra sự việc"),
        "values": [{"key": unit.code, "name": unit.full_name} for unit in communes],
    }


def attribute_json(attribute: dict[str, Any]) -> dict[str, Any]:
    data = {
        "variable": True,
        "code": attribute["code"],
        "datatype": attribute["datatype"],
        "required": bool(attribute.get("required")),
        "datatype_description": attribute.get("datatype_description") or None,
        "order": attribute.get("order"),
        "description": attribute.get("description", ""),
    }
    if attribute["datatype"] in LIST_TYPES:
        data["values"] = [{"key": v["key"], "name": v["name"]} for v in attribute["values"]]
    return data


def definition_json(category: Category) -> dict[str, Any]:
    attributes = sorted(category.attributes, key=lambda a: (a.get("order") or 0, a["code"]))
    if category.local:
        attributes = [_commune_attribute(), *attributes]
    return {"service_code": category.code, "attributes": [attribute_json(a) for a in attributes]}


def _category(code: str) -> Category:
    category = offered_categories().filter(code=code).first()
    if category is None:
        raise _not_found(_("Không có loại phản ánh (service_code) “%(code)s”.") % {"code": code})
    return category


@open311_view("GET")
def service_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    categories = offered_categories().order_by("order", "name", "code")
    return render(fmt, "services", [service_json(c) for c in categories])


@open311_view("GET")
def service_definition(request: HttpRequest, fmt: Format, service_code: str) -> HttpResponse:
    return render(fmt, "service_definition", definition_json(_category(service_code)))


# --- reading service requests -------------------------------------------------------------------


def listed_items() -> QuerySet[Item]:
    """What Open311 shows: items of the Open311 categories whose author agreed to publication,
    that the receiving agency has taken in (no longer "submitted": unreviewed text may be
    abusive), that moderation has not hidden and that were not rejected as abusive. Only masked
    texts are shown, never contact details."""
    last_change = ItemEvent.objects.filter(item=OuterRef("pk")).order_by("-at", "-id")
    return (
        Item.objects.filter(category__open311=True, may_publish=True, hidden=False)
        .exclude(status=Item.Status.SUBMITTED)
        .exclude(status=Item.Status.REJECTED, reject_reason=Item.RejectReason.ABUSIVE)
        .select_related("category", "current_agency", "commune", "duplicate_of", "author")
        .annotate(updated_at=Subquery(last_change.values("at")[:1]))
    )


def _status_notes(item: Item) -> str:
    if item.status == Item.Status.MERGED and item.duplicate_of is not None:
        return _("Trùng với phản ánh %(code)s.") % {"code": item.duplicate_of.code}
    if item.status == Item.Status.REJECTED and item.reject_reason:
        return str(Item.RejectReason(item.reject_reason).label)
    if item.status in (Item.Status.ANSWERED, Item.Status.CLOSED) and item.public_answer:
        return item.public_answer
    return str(Item.Status(item.status).label)


def _notice(category: Category) -> str:
    return _("Thời hạn trả lời: %(days)s ngày làm việc.") % {"days": category.deadline_days}


def request_json(item: Item) -> dict[str, Any]:
    updated = getattr(item, "updated_at", None) or item.submitted_at
    known = services.known_details(item)
    address = mask_personal_details(item.address, known) if item.address else None
    return {
        "service_request_id": item.code,
        "status": item.open311_status(),
        "status_notes": _status_notes(item),
        "service_name": item.category.name,
        "service_code": item.category.code,
        "description": item.public_text or None,
        "agency_responsible": item.current_agency.name,
        "service_notice": _notice(item.category),
        "requested_datetime": w3c(item.submitted_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(item.due_at),
        "address": address or (item.commune.full_name if item.commune else None),
        "address_id": item.commune.code if item.commune else None,
        "zipcode": None,
        "lat": item.latitude,
        "long": item.longitude,
        "media_url": (item.attributes or {}).get(MEDIA_KEY) or None,
    }


def _comma_list(query: QueryDict, name: str) -> list[str]:
    return [v.strip() for raw in query.getlist(name) for v in raw.split(",") if v.strip()]


def _moment(query: QueryDict, name: str) -> datetime | None:
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        moment = parse_w3c(text)
    except ValueError:
        raise _bad(
            _("%(name)s “%(value)s” không đúng định dạng W3C, ví dụ 2026-01-31T08:00:00+07:00.")
            % {"name": name, "value": text}
        ) from None
    if problem := year_problem(moment.date()):
        raise _bad(f"{name}: {problem}")
    return moment


def date_range(query: QueryDict, now: datetime) -> tuple[datetime, datetime]:
    """The searched span: the last 90 days by default, never more than 90 days."""
    start, end = _moment(query, "start_date"), _moment(query, "end_date")
    if start is None and end is None:
        return now - MAX_RANGE, now
    if start is None:
        return end - MAX_RANGE, end
    if end is None:
        return start, start + MAX_RANGE
    if end < start:
        raise _bad(_("end_date phải sau start_date."))
    if end - start > MAX_RANGE:
        raise _bad(_("Khoảng từ start_date đến end_date không được quá 90 ngày."))
    return start, end


def search_requests(query: QueryDict, now: datetime | None = None) -> list[Item]:
    """The requests a query asks for, newest first, at most ``PAGE_SIZE``."""
    items = listed_items().order_by("-submitted_at", "-id")
    ids = _comma_list(query, "service_request_id")
    if ids:  # the specification: ids override every other argument
        return list(items.filter(code__in=ids[:PAGE_SIZE]))
    start, end = date_range(query, now or timezone.now())
    items = items.filter(submitted_at__gte=start, submitted_at__lte=end)
    codes = _comma_list(query, "service_code")
    if codes:
        items = items.filter(category__code__in=codes)
    statuses = set(_comma_list(query, "status"))
    if statuses - {"open", "closed"}:
        raise _bad(_("status chỉ nhận open, closed hoặc cả hai (cách nhau bằng dấu phẩy)."))
    if statuses == {"open"}:
        items = items.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        items = items.exclude(status__in=OPEN_STATUSES)
    return list(items[:PAGE_SIZE])


@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: Format) -> HttpResponse:
    if request.method == "POST":
        item = file_request(request.POST)
        answer = {
            "service_request_id": item.code,
            "service_notice": _notice(item.category),
            "account_id": None,  # accounts of other systems are not linked to the platform's
        }
        # 200, not 201: the specification names no other status and clients expect 200.
        return render(fmt, "service_requests", [answer])
    items = search_requests(request.GET)
    return render(fmt, "service_requests", [request_json(item) for item in items])


@open311_view("GET")
def request_detail(request: HttpRequest, fmt: Format, service_request_id: str) -> HttpResponse:
    item = listed_items().filter(code=service_request_id).first()
    if item is None:
        raise _not_found(_("Không có phản ánh mã “%(code)s”.") % {"code": service_request_id})
    return render(fmt, "service_requests", [request_json(item)])


@open311_view("GET")
def token_detail(request: HttpRequest, fmt: Format, token: str) -> HttpResponse:
    item = Item.objects.filter(token=token, channel=Item.Channel.OPEN311).first()
    if item is None:
        raise _not_found(_("Không có mã tạm (token) “%(token)s”.") % {"token": token})
    return render(fmt, "service_requests", [{"service_request_id": item.code, "token": token}])


def unknown_resource(request: HttpRequest, path: str) -> HttpResponse:
    """Any other path under /open311/v2/: the 404 in the specification's error list."""
    fmt: Format = "json" if path.endswith(".json") else "xml"
    return render_errors(fmt, 404, [_("Không có tài nguyên “%(path)s”.") % {"path": path}])


# --- filing a service request -------------------------------------------------------------------


def attributes_from(form: QueryDict) -> dict[str, str | list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v1&attribute[code][]=v2`` as a dict."""
    values: dict[str, str | list[str]] = {}
    for key in form:
        if not (key.startswith("attribute[") and key.endswith("]")):
            continue
        code = key[len("attribute[") : -1]
        if code.endswith("]["):
            values[code[:-2]] = form.getlist(key)
        else:
            values[code] = form.get(key, "")
    return values


def _commune(form: QueryDict, attributes: dict[str, Any]) -> AdminUnit | None:
    """The commune from ``address_id`` or ``attribute[xa_phuong]`` (both commune codes)."""
    given = (form.get("address_id", ""), attributes.pop(COMMUNE_ATTRIBUTE, ""))
    codes = {str(code).strip() for code in given} - {""}
    if not codes:
        return None
    if len(codes) > 1:
        raise _bad(_("address_id và attribute[xa_phuong] chỉ hai xã, phường khác nhau."))
    code = codes.pop()
    unit = province_communes().filter(code=code).select_related("parent").first()
    if unit is None:
        raise _bad(_("“%(code)s” không phải mã một xã, phường của tỉnh.") % {"code": code})
    return unit


def _media_url(form: QueryDict) -> str:
    url = form.get("media_url", "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise _bad(_("media_url phải là một địa chỉ http hoặc https.")) from None
    return url


def _title(category: Category, description: str) -> str:
    """Open311 has no title: the description's first line, or the category's name."""
    lines = description.splitlines()
    title = lines[0].strip() if lines else ""
    title = title or category.name
    return title if len(title) <= 200 else title[:199] + "…"


@transaction.atomic
def file_request(form: QueryDict) -> Item:
    """POST requests: check the key and the Open311 parameters, then submit the item."""
    client = client_for_key(form.get("api_key", "").strip())
    code = form.get("service_code", "").strip()
    if not code:
        raise _bad(_("Thiếu service_code."))
    category = _category(code)
    lat, long = form.get("lat", "").strip(), form.get("long", "").strip()
    address = form.get("address_string", "").strip()
    if not (lat or long or address or form.get("address_id", "").strip()):
        raise _bad(_("Thiếu vị trí: gửi lat và long, address_string hoặc address_id."))
    attributes = attributes_from(form)
    commune = _commune(form, attributes)
    if category.local and commune is None:
        raise _bad(
            _("Cần cho biết xã, phường nơi xảy ra sự việc: address_id hoặc attribute[xa_phuong].")
        )
    description = form.get("description", "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise _bad(_("description dài quá 4.000 ký tự."))
    media_url = _media_url(form)
    # Vietnamese names are written family name first.
    name = " ".join(
        filter(None, (form.get("last_name", "").strip(), form.get("first_name", "").strip()))
    )
    item = services.submit(
        None,
        kind=category.kind,
        category=category,
        title=_title(category, description),
        text=description or category.name,
        commune=commune,
        address=address,
        latitude=lat or None,
        longitude=long or None,
        may_publish=True,  # Open311 lists what it receives: filing through it is publishing
        contact_name=name,
        contact_phone=form.get("phone", "").strip(),
        contact_email=form.get("email", "").strip(),
        channel=Item.Channel.OPEN311,
        attributes=attributes,
        api_client=client,
    )
    if media_url:
        # Kept as a link beside the attributes, never fetched: the model has no media field.
        item.attributes = {**item.attributes, MEDIA_KEY: media_url}
        Item.objects.filter(pk=item.pk).update(attributes=item.attributes)
    mark_used(client)
    return item
