"""Open311 over real HTTP on 127.0.0.1: the ``georeport`` client from PyPI, and form-encoded
requests written exactly as the specification's examples."""

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
import requests
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler
from django.utils import timezone
from georeport import GeoReport

from egov.feedback import services as feedback_services
from egov.feedback.models import Item
from egov.feedback.open311_keys import issue_key
from tests.feedback.conftest import COMMUNE, INSIDE, answered, at, field_report

pytestmark = pytest.mark.django_db


class _SharedConnectionServer(ThreadedWSGIServer):
    """Django's threaded test server, answering on the test's own database connection.

    pytest-django's ``live_server`` needs transactional tests, which empty every table after each
    test — the reference data the conftest loads once included. Sharing the connection instead
    keeps each test inside its transaction on both databases; the client waits for each answer,
    so one request at a time uses the connection.
    """

    def _close_connections(self) -> None:
        """Leave the shared connection open: closing it would end the test's transaction."""


@pytest.fixture
def server_url(db) -> Iterator[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    httpd = _SharedConnectionServer(
        ("127.0.0.1", 0),
        QuietWSGIRequestHandler,
        allow_reuse_address=False,
        connections_override={DEFAULT_DB_ALIAS: connection},
    )
    httpd.set_app(WSGIHandler())
    connection.inc_thread_sharing()
    # As Django's test client does: a request must not close the connection it shares.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()


def http(method: str, url: str, body: str | None = None) -> tuple[int, str, bytes]:
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    request = urllib.request.Request(
        url, data=body.encode() if body is not None else None, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def spec_body(key: str, **extra: str) -> str:
    """The specification's example request, with Tây Ninh's values: brackets as they are."""
    fields = {
        "api_key": key,
        "service_code": "hu-hong-duong",
        "lat": INSIDE[0],
        "long": INSIDE[1],
        "address_string": "Đường 30/4, xã Tân Biên",
        "address_id": COMMUNE,
        "email": "nguoidan@example.vn",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "Ánh",
        "last_name": "Nguyễn Thị",
        "phone": "0912345678",
        "description": "Ổ gà lớn đang phá hỏng mặt đường",
        "media_url": "http://anh.example.vn/2212426634_5ed477a060.jpg",
        **extra,
    }
    body = "&".join(f"{name}={quote(value, safe='')}" for name, value in fields.items())
    return body + "&attribute[muc_do]=nghiem_trong&attribute[dien_tich_m2]=2.5"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads_services_definitions_and_requests(server_url, cast, fmt) -> None:
    now = timezone.now()
    open_item = field_report(cast, moment=now - timedelta(days=2))
    with at(now - timedelta(days=2) + timedelta(minutes=1)):  # only items taken in are listed
        open_item = feedback_services.accept(cast.reception, open_item)
    closed_item = answered(cast, field_report(cast, moment=now - timedelta(days=1)), moment=now)
    client = GeoReport(f"{server_url}/open311/v2", output_format=fmt)

    services = client.get_service_list()
    road = next(s for s in services if s["service_code"] == "hu-hong-duong")
    assert road["service_name"] == "Hư hỏng đường, cầu"
    assert str(road["metadata"]).lower() == "true"

    definition = client.get_service_definition("hu-hong-duong")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes][:2] == ["xa_phuong", "muc_do"]

    listed = client.get_service_requests()
    if isinstance(listed, dict):  # xmltodict gives a lone element as a dict, not a list
        listed = [listed]
    assert [r["service_request_id"] for r in listed] == [closed_item.code, open_item.code]
    assert [r["status"] for r in listed] == ["closed", "open"]

    only_open = client.get_service_requests(status="open", service_code="hu-hong-duong")
    only_open = [only_open] if isinstance(only_open, dict) else only_open
    assert [r["service_request_id"] for r in only_open] == [open_item.code]

    one = client.get_service_request(closed_item.code)
    assert one["service_request_id"] == closed_item.code
    assert one["status_notes"] == "Đã vá ổ gà ngày 03/3/2026."

    with pytest.raises(requests.HTTPError) as raised:
        client.get_service_request("HT-000000-0000")
    assert raised.value.response.status_code == 404


def test_post_exactly_as_the_specification_json(server_url, cast) -> None:
    key = issue_key("Ứng dụng Open311")[1]
    status, content_type, body = http(
        "POST", f"{server_url}/open311/v2/requests.json", spec_body(key)
    )
    assert status == 200, body
    assert content_type == "application/json; charset=utf-8"
    [answer] = json.loads(body)
    assert isinstance(answer["service_request_id"], str)
    item = Item.objects.get(code=answer["service_request_id"])
    assert item.attributes == {
        "muc_do": "nghiem_trong",
        "dien_tich_m2": 2.5,
        "media_url": "http://anh.example.vn/2212426634_5ed477a060.jpg",
    }
    assert item.address == "Đường 30/4, xã Tân Biên"
    assert item.contact_name == "Nguyễn Thị Ánh"

    # Once the commune has taken it in, it reads back through GET, as a client following up would.
    feedback_services.accept(cast.reception, item)
    status, _, body = http("GET", f"{server_url}/open311/v2/requests/{item.code}.json")
    [shown] = json.loads(body)
    assert shown["status"] == "open"
    assert shown["media_url"] == "http://anh.example.vn/2212426634_5ed477a060.jpg"
    assert shown["address"] == "Đường 30/4, xã Tân Biên"
    assert "nguoidan@example.vn" not in body.decode()


def test_post_exactly_as_the_specification_xml(server_url, db) -> None:
    key = issue_key("Ứng dụng Open311")[1]
    status, content_type, body = http(
        "POST", f"{server_url}/open311/v2/requests.xml", spec_body(key)
    )
    assert status == 200, body
    assert content_type == "text/xml; charset=utf-8"
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(body)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == [
        "service_request_id",
        "service_notice",
        "account_id",
    ]
    assert Item.objects.filter(code=request.findtext("service_request_id")).exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_over_http(server_url, db, fmt) -> None:
    status, content_type, body = http(
        "POST", f"{server_url}/open311/v2/requests.{fmt}", spec_body("khoa-sai")
    )
    assert status == 403
    if fmt == "json":
        assert json.loads(body) == [{"code": 403, "description": "Khóa API không hợp lệ."}]
    else:
        assert content_type == "text/xml; charset=utf-8"
        error = ElementTree.fromstring(body).find("error")
        assert (error.findtext("code"), error.findtext("description")) == (
            "403",
            "Khóa API không hợp lệ.",
        )
    status, _, body = http("GET", f"{server_url}/open311/v2/requests.{fmt}?start_date=mai")
    assert status == 400
    assert not Item.objects.exists()
