"""Open311 GeoReport v2 through Django's test client: every resource, filter and error case."""

import json
from datetime import timedelta
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from egov.feedback import services
from egov.feedback.models import ApiClient, Item
from egov.feedback.open311_keys import issue_key, revoke_key
from egov.places.models import AdminUnit
from tests.feedback.conftest import COMMUNE, INSIDE, answered, at, category, field_report, question

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
PHNOM_PENH = ("11.556400", "104.928200")


@pytest.fixture
def key() -> str:
    return issue_key("Ứng dụng thử", contact="dev@example.vn")[1]


def form(**fields: str | list[str]) -> str:
    """A body as the specification writes it: ``attribute[code]`` brackets left as they are."""
    pairs = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append(f"{name}={quote(one, safe='')}")
    return "&".join(pairs)


def pothole(key: str, **overrides) -> dict:
    fields = {
        "api_key": key,
        "service_code": "hu-hong-duong",
        "lat": INSIDE[0],
        "long": INSIDE[1],
        "address_id": COMMUNE,
        "email": "nguoidan@example.vn",
        "phone": "0912 345 678",
        "first_name": "Thị Ánh",
        "last_name": "Nguyễn",
        "description": "Ổ gà sâu trước chợ Tân Biên.\nXe máy dễ té ngã.",
        "attribute[muc_do]": "nghiem_trong",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def post(client, fields: dict, fmt: str = "json"):
    return client.post(f"{BASE}/requests.{fmt}", form(**fields), content_type=FORM)


def errors(response) -> list[str]:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(response.content)
    assert all(e["code"] == response.status_code for e in body)
    return [e["description"] for e in body]


# --- discovery and services -----------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_its_formats(client) -> None:
    body = json.loads(client.get(f"{BASE}/discovery.json").content)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "test"  # not the production profile
    assert "Tây Ninh" in body["contact"]
    root = ElementTree.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_lists_the_open311_categories(client) -> None:
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services_ = json.loads(response.content)
    codes = [s["service_code"] for s in services_]
    assert "hu-hong-duong" in codes and "hoi-dap-ho-tich" not in codes  # questions are not Open311
    road = next(s for s in services_ if s["service_code"] == "hu-hong-duong")
    assert road == {
        "service_code": "hu-hong-duong",
        "service_name": "Hư hỏng đường, cầu",
        "description": category("hu-hong-duong").description,
        "metadata": True,
        "type": "realtime",
        "keywords": "hu hong duong, cau",
        "group": "UBND xã, phường",
    }


def test_services_xml_has_the_specifications_elements(client) -> None:
    response = client.get(f"{BASE}/services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "services"
    first = root.find("service")
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]


def test_an_inactive_category_is_not_offered(client) -> None:
    category("den-chieu-sang").__class__.objects.filter(code="den-chieu-sang").update(active=False)
    codes = [s["service_code"] for s in json.loads(client.get(f"{BASE}/services.json").content)]
    assert "den-chieu-sang" not in codes
    assert client.get(f"{BASE}/services/den-chieu-sang.json").status_code == 404


def test_service_definition_lists_the_commune_then_the_categorys_attributes(client) -> None:
    response = client.get(f"{BASE}/services/hu-hong-duong.json")
    assert response.status_code == 200
    definition = json.loads(response.content)
    assert definition["service_code"] == "hu-hong-duong"
    codes = [a["code"] for a in definition["attributes"]]
    assert codes == ["xa_phuong", "muc_do", "dien_tich_m2"]
    commune, level, area = definition["attributes"]
    assert commune["required"] is True and commune["datatype"] == "singlevaluelist"
    assert {"key": COMMUNE, "name": "Xã Tân Biên"} in commune["values"]
    assert len(commune["values"]) == 96  # every commune of Tây Ninh
    assert level == {
        "variable": True,
        "code": "muc_do",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "Mức độ hư hỏng",
        "values": [
            {"key": "nhe", "name": "Nhẹ"},
            {"key": "trung_binh", "name": "Trung bình"},
            {"key": "nghiem_trong", "name": "Nghiêm trọng, nguy hiểm"},
        ],
    }
    assert area["datatype"] == "number" and "values" not in area


def test_service_definition_xml(client) -> None:
    root = ElementTree.fromstring(client.get(f"{BASE}/services/rac-thai.xml").content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "rac-thai"
    attribute = root.findall("attributes/attribute")[1]
    assert attribute.findtext("code") == "loai_rac"
    assert attribute.findtext("datatype") == "multivaluelist"
    assert attribute.findtext("variable") == "true"
    assert attribute.find("values/value/key") is not None


def test_unknown_service_code_is_404(client) -> None:
    response = client.get(f"{BASE}/services/khong-co.json")
    assert response.status_code == 404
    assert "khong-co" in errors(response)[0]


def test_unknown_format_is_404_in_xml(client) -> None:
    for path in ("services.csv", "services/hu-hong-duong.html", "requests.yaml", "tokens/x.txt"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert ElementTree.fromstring(response.content).findtext("error/code") == "404"


def test_an_unknown_resource_is_404_in_the_error_list(client) -> None:
    response = client.get(f"{BASE}/reports.json")
    assert response.status_code == 404
    assert "reports.json" in errors(response)[0]
    response = client.get(f"{BASE}/requests")
    assert response.status_code == 404
    assert ElementTree.fromstring(response.content).tag == "errors"


def test_a_method_the_resource_does_not_take_is_405(client) -> None:
    response = client.post(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


# --- filing -------------------------------------------------------------------------------------


def test_post_files_a_field_report_through_the_domain(client, key) -> None:
    response = post(client, pothole(key, media_url="https://anh.example.vn/o-ga.jpg"))
    assert response.status_code == 200, response.content
    [answer] = json.loads(response.content)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["service_notice"] == "Thời hạn trả lời: 5 ngày làm việc."
    item = Item.objects.get(code=answer["service_request_id"])
    assert item.code.startswith("HT-")
    assert item.channel == Item.Channel.OPEN311
    assert item.api_client == ApiClient.objects.get(name="Ứng dụng thử")
    assert item.receiving_agency.code == f"UBX{COMMUNE}"  # routed by the domain
    assert item.due_at is not None and item.token
    assert item.title == "Ổ gà sâu trước chợ Tân Biên."
    assert item.text == "Ổ gà sâu trước chợ Tân Biên.\nXe máy dễ té ngã."
    assert item.contact_name == "Nguyễn Thị Ánh"
    assert item.contact_phone == "0912345678"
    assert item.attributes == {
        "muc_do": "nghiem_trong",
        "media_url": "https://anh.example.vn/o-ga.jpg",
    }
    assert item.may_publish and item.author is None
    assert item.api_client.last_used is not None


def test_post_xml_answers_in_xml(client, key) -> None:
    response = post(client, pothole(key), fmt="xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").startswith("HT-")
    assert root.find("request/account_id").text is None
    assert root.find("request/token") is None  # realtime: an id, never both


def test_commune_may_come_as_the_attribute_instead_of_address_id(client, key) -> None:
    fields = pothole(key, address_id=None, **{"attribute[xa_phuong]": COMMUNE})
    response = post(client, fields)
    assert response.status_code == 200, response.content
    item = Item.objects.get(code=json.loads(response.content)[0]["service_request_id"])
    assert item.commune.code == COMMUNE
    assert "xa_phuong" not in item.attributes


def test_multivaluelist_takes_repeated_brackets(client, key) -> None:
    fields = pothole(key, service_code="rac-thai", **{"attribute[muc_do]": None})
    fields["attribute[loai_rac][]"] = ["sinh_hoat", "xay_dung"]
    response = post(client, fields)
    assert response.status_code == 200, response.content
    item = Item.objects.get(code=json.loads(response.content)[0]["service_request_id"])
    assert item.attributes["loai_rac"] == ["sinh_hoat", "xay_dung"]


def test_a_commune_of_another_province_is_refused(client, key) -> None:
    elsewhere = (
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, valid_to__isnull=True)
        .exclude(parent__code="80")
        .first()
    )
    response = post(client, pothole(key, address_id=elsewhere.code))
    assert response.status_code == 400
    assert elsewhere.code in errors(response)[0]


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"api_key": None}, 403, "Thiếu khóa API"),
        ({"api_key": "sai-khoa"}, 403, "Khóa API không hợp lệ"),
        ({"service_code": None}, 400, "Thiếu service_code"),
        ({"service_code": "khong-co"}, 404, "khong-co"),
        ({"service_code": "hoi-dap-ho-tich"}, 404, "hoi-dap-ho-tich"),  # not offered via Open311
        ({"lat": None, "long": None, "address_id": None}, 400, "Thiếu vị trí"),
        ({"lat": None, "long": None}, 400, "vĩ độ, kinh độ"),  # a field report needs its point
        ({"long": None}, 400, "Cần cả vĩ độ và kinh độ"),
        ({"lat": "abc"}, 400, "Vĩ độ không hợp lệ"),
        ({"lat": PHNOM_PENH[0], "long": PHNOM_PENH[1]}, 400, "ngoài địa bàn tỉnh"),
        ({"address_id": None}, 400, "xã, phường"),
        ({"address_id": "00001"}, 400, "00001"),
        ({"attribute[muc_do]": None}, 400, "attribute[muc_do]: Cần nhập"),
        ({"attribute[muc_do]": "rat_nang"}, 400, "attribute[muc_do]: Giá trị không hợp lệ"),
        ({"email": None, "phone": None}, 400, "số điện thoại hoặc thư điện tử"),
        ({"phone": "12345"}, 400, "Số điện thoại không hợp lệ"),
        ({"email": "khong-phai-thu"}, 400, "thư điện tử không hợp lệ"),
        ({"description": "x" * 4001}, 400, "4.000"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_every_refusal_is_the_error_list(client, key, change, status, text) -> None:
    response = post(client, pothole(key, **change))
    assert response.status_code == status, response.content
    assert any(text in d for d in errors(response)), errors(response)
    assert not Item.objects.exists()


def test_a_revoked_key_is_refused(client) -> None:
    client_, key = issue_key("Ứng dụng cũ")
    assert revoke_key(client_) is True
    assert revoke_key(client_) is False
    response = post(client, pothole(key))
    assert response.status_code == 403
    assert errors(response) == ["Khóa API đã bị thu hồi."]


def test_conflicting_commune_parameters_are_refused(client, key) -> None:
    response = post(client, pothole(key, **{"attribute[xa_phuong]": "25480"}))
    assert response.status_code == 400
    assert "khác nhau" in errors(response)[0]


def test_the_error_list_in_xml(client, key) -> None:
    response = post(client, pothole(key, **{"attribute[muc_do]": None}), fmt="xml")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors"
    assert [e.findtext("code") for e in root.findall("error")] == ["400", "400"]
    assert "attribute[muc_do]" in root.findall("error")[1].findtext("description")


def test_english_descriptions_when_the_client_asks(client, key) -> None:
    response = client.post(
        f"{BASE}/requests.json", form(**pothole("")), content_type=FORM, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert errors(response) == ["The API key (api_key) is missing."]


def test_post_needs_no_csrf_token_and_sets_no_cookie(key) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = post(strict, pothole(key))
    assert response.status_code == 200
    assert not response.cookies


# --- reading ------------------------------------------------------------------------------------


def taken_in(cast, moment, **overrides) -> Item:
    """A field report the receiving agency accepted a minute after it came (only those list)."""
    item = field_report(cast, moment=moment, **overrides)
    with at(moment + timedelta(minutes=1)):
        return services.accept(cast.reception, item)


def test_items_awaiting_intake_are_not_listed_but_their_token_resolves(client, key) -> None:
    code = json.loads(post(client, pothole(key)).content)[0]["service_request_id"]
    token = Item.objects.get(code=code).token
    assert json.loads(client.get(f"{BASE}/requests.json").content) == []
    assert client.get(f"{BASE}/requests/{code}.json").status_code == 404
    body = json.loads(client.get(f"{BASE}/tokens/{token}.json").content)
    assert body == [{"service_request_id": code, "token": token}]


def test_requests_lists_public_items_newest_first_without_contacts(client, cast) -> None:
    now = timezone.now()
    older = taken_in(cast, moment=now - timedelta(days=3))
    newer = taken_in(
        cast,
        moment=now - timedelta(days=1),
        text="Tôi là Nguyễn Thị Ánh, điện thoại 0912345678, ổ gà trước nhà số 12 đường 30/4.",
        address="số 12 đường 30/4",
    )
    body = json.loads(client.get(f"{BASE}/requests.json").content)
    assert [r["service_request_id"] for r in body] == [newer.code, older.code]
    shown = body[0]
    assert set(shown) == {
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    }  # fmt: skip
    assert "Nguyễn Thị Ánh" not in shown["description"]
    assert "0912345678" not in shown["description"]
    assert "12" not in shown["address"]
    assert shown["status"] == "open"
    assert shown["requested_datetime"].endswith("+07:00")
    assert shown["address_id"] == COMMUNE
    assert shown["lat"] == float(INSIDE[0])
    text = json.dumps(body, ensure_ascii=False)
    for private in (cast.citizen.phone, cast.citizen.full_name, "contact"):
        assert private not in text


def test_hidden_unpublished_and_non_open311_items_are_not_listed(client, cast) -> None:
    now = timezone.now()
    shown = taken_in(cast, moment=now - timedelta(hours=5))
    private = taken_in(cast, moment=now - timedelta(hours=4), may_publish=False)
    hidden = taken_in(cast, moment=now - timedelta(hours=3))
    with at(now - timedelta(hours=2)):
        services.hide(cast.reception, hidden, "Nội dung xúc phạm")
        asked = question(cast, moment=now - timedelta(hours=2))
    codes = [
        r["service_request_id"] for r in json.loads(client.get(f"{BASE}/requests.json").content)
    ]
    assert codes == [shown.code]
    for item in (private, hidden, asked):
        assert client.get(f"{BASE}/requests/{item.code}.json").status_code == 404
    query = f"service_request_id={shown.code},{hidden.code},{private.code}"
    listed = json.loads(client.get(f"{BASE}/requests.json?{query}").content)
    assert [r["service_request_id"] for r in listed] == [shown.code]


def test_rejected_items_are_closed_with_the_reason_and_abusive_ones_not_listed(
    client, cast
) -> None:
    now = timezone.now()
    out_of_scope = field_report(cast, moment=now - timedelta(hours=3))
    abusive = field_report(cast, moment=now - timedelta(hours=2))
    with at(now - timedelta(hours=1)):
        services.reject(cast.reception, out_of_scope, "out_of_scope", "Việc của doanh nghiệp.")
        services.reject(cast.reception, abusive, "abusive", "Lời lẽ xúc phạm.")
    listed = json.loads(client.get(f"{BASE}/requests.json").content)
    assert [(r["service_request_id"], r["status"], r["status_notes"]) for r in listed] == [
        (out_of_scope.code, "closed", "Không thuộc phạm vi xử lý")
    ]
    assert client.get(f"{BASE}/requests/{abusive.code}.json").status_code == 404


def test_single_request_and_its_status_after_the_answer(client, cast) -> None:
    now = timezone.now()
    item = answered(cast, field_report(cast, moment=now - timedelta(days=2)), moment=now)
    response = client.get(f"{BASE}/requests/{item.code}.xml")
    assert response.status_code == 200
    request = ElementTree.fromstring(response.content).find("request")
    assert request.findtext("service_request_id") == item.code
    assert request.findtext("status") == "closed"
    assert request.findtext("status_notes") == "Đã vá ổ gà ngày 03/3/2026."
    assert request.findtext("agency_responsible") == "Ủy ban nhân dân xã Tân Biên"
    updated = request.findtext("updated_datetime")
    assert updated > request.findtext("requested_datetime")


def test_filters_by_service_code_and_status(client, cast) -> None:
    now = timezone.now()
    road = taken_in(cast, moment=now - timedelta(days=2))
    done = answered(cast, field_report(cast, moment=now - timedelta(days=2)), moment=now)
    light = taken_in(
        cast,
        moment=now - timedelta(days=1),
        category=category("den-chieu-sang"),
        attributes={"tinh_trang": "khong_sang"},
    )

    def codes(query: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return sorted(r["service_request_id"] for r in json.loads(response.content))

    assert codes("service_code=den-chieu-sang") == [light.code]
    assert codes("service_code=den-chieu-sang,hu-hong-duong") == sorted(
        [light.code, road.code, done.code]
    )
    assert codes("status=open") == sorted([light.code, road.code])
    assert codes("status=closed") == [done.code]
    assert codes("status=open,closed") == sorted([light.code, road.code, done.code])
    assert codes("status=closed&service_code=den-chieu-sang") == []


def test_date_window_defaults_to_the_last_90_days(client, cast) -> None:
    now = timezone.now()
    recent = taken_in(cast, moment=now - timedelta(days=89))
    old = taken_in(cast, moment=now - timedelta(days=91))

    def codes(query: str = "") -> list[str]:
        return [
            r["service_request_id"]
            for r in json.loads(client.get(f"{BASE}/requests.json?{query}").content)
        ]

    def w3c(days: int, zone: str = "Z") -> str:
        moment = now - timedelta(days=days)
        if zone != "Z":
            moment += timedelta(hours=7)
        return quote(moment.strftime("%Y-%m-%dT%H:%M:%S") + zone)

    assert codes() == [recent.code]
    assert codes(f"end_date={w3c(90, '+07:00')}") == [old.code]  # end - 90 days … end
    assert codes(f"start_date={w3c(200)}") == []  # start … start + 90 days
    assert codes(f"start_date={w3c(92)}&end_date={w3c(90)}") == [old.code]
    assert codes(f"service_request_id={old.code}") == [old.code]  # ids override the window


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("start_date=hom-qua", "start_date"),
        ("end_date=2026-12-03T10:00:00", "end_date"),  # a time without its zone
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90 ngày"),
        ("start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", "sau start_date"),
        ("status=pending", "status"),
    ],
)
def test_bad_query_arguments_are_400(client, query, text) -> None:
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400
    assert text in errors(response)[0]


def test_unknown_request_and_token_are_404(client) -> None:
    assert client.get(f"{BASE}/requests/HT-261203-9999.json").status_code == 404
    response = client.get(f"{BASE}/tokens/khong-co.xml")
    assert response.status_code == 404
    assert ElementTree.fromstring(response.content).findtext("error/code") == "404"


def test_token_gives_the_request_id(client, key) -> None:
    code = json.loads(post(client, pothole(key)).content)[0]["service_request_id"]
    token = Item.objects.get(code=code).token
    body = json.loads(client.get(f"{BASE}/tokens/{token}.json").content)
    assert body == [{"service_request_id": code, "token": token}]


def test_merged_item_is_closed_as_a_duplicate(client, cast) -> None:
    now = timezone.now()
    first = field_report(cast, moment=now - timedelta(hours=3))
    second = field_report(cast, moment=now - timedelta(hours=2))
    with at(now - timedelta(hours=1)):
        services.merge(cast.reception, second, first)
    [shown] = json.loads(client.get(f"{BASE}/requests/{second.code}.json").content)
    assert shown["status"] == "closed"
    assert shown["status_notes"] == f"Trùng với phản ánh {first.code}."


def test_list_queries_do_not_grow_with_the_items(
    client, cast, django_assert_max_num_queries
) -> None:
    now = timezone.now()
    for hours in range(1, 6):
        taken_in(cast, moment=now - timedelta(hours=hours))
    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/requests.json")
    assert len(json.loads(response.content)) == 5
