import unicodedata
from datetime import date

import pytest

from egov.places.models import AdminUnit, UnitSuccession

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def get(path: str, **params):
        return client.get(f"/api/v1/places{path}", params, HTTP_HOST="127.0.0.1")

    return get


def test_the_list_is_the_provinces_by_default(api):
    body = api("").json()
    assert body["count"] == 34
    assert len(body["items"]) == 34
    assert body["limit"] >= 200
    first = body["items"][0]
    assert first == {
        "code": "01",
        "name": "Hà Nội",
        "full_name": "Thành phố Hà Nội",
        "kind": "thanh_pho_trung_uong",
        "kind_label": "thành phố trực thuộc trung ương",
        "level": 1,
        "parent_code": None,
        "valid_from": "2025-07-01",
        "valid_to": None,
    }


def test_parent_gives_all_96_communes_of_tay_ninh_in_one_call(api):
    body = api("", parent="80").json()
    assert body["count"] == 96 and len(body["items"]) == 96
    assert {item["parent_code"] for item in body["items"]} == {"80"}
    assert sum(item["kind"] == "phuong" for item in body["items"]) == 14


def test_paging(api):
    body = api("", parent="80", limit=10, offset=90).json()
    assert (body["count"], len(body["items"]), body["offset"]) == (96, 6, 90)
    assert api("", limit=1001).status_code == 422
    assert api("", limit=1001).json()["code"] == "validation_error"


@pytest.mark.parametrize("q", ["Tân Biên", "tan bien", unicodedata.normalize("NFD", "Tân Biên")])
def test_q_searches_names_within_a_parent(api, q):
    body = api("", parent="80", q=q).json()
    assert [item["code"] for item in body["items"]] == ["25486"]


def test_q_without_parent_searches_everything(api):
    codes = [item["code"] for item in api("", q="ha noi").json()["items"]]
    assert codes[0] == "01"


def test_one_unit_with_its_successors(api):
    old = AdminUnit.objects.create(
        code="25489",
        name="Tân Lập",
        kind="xa",
        level=3,
        valid_from=date(1976, 2, 20),
        valid_to=date(2025, 7, 1),
    )
    UnitSuccession.objects.create(
        old_unit=old,
        new_unit=AdminUnit.objects.get(code="25486", valid_to=None),
        effective_on=date(2025, 7, 1),
    )
    body = api("/25489", on="2020-01-01").json()
    assert body["valid_to"] == "2025-07-01"
    assert body["successors"] == [
        {
            "code": "25486",
            "name": "Tân Biên",
            "full_name": "Xã Tân Biên",
            "valid_from": "2025-07-01",
        }
    ]
    today = api("/25486").json()
    assert (today["name"], today["kind_label"], today["parent_code"]) == ("Tân Biên", "xã", "80")
    assert today["successors"] == []


def test_unknown_codes_are_404_in_the_standard_shape(api):
    response = api("/00000")
    assert response.status_code == 404
    assert response.json() == {
        "code": "place_not_found",
        "message": "Không tìm thấy đơn vị hành chính mã 00000.",
    }
    assert api("", parent="99").status_code == 404


def test_lists_take_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    # parent lookup, count, page (parents joined): no query per unit
    with django_assert_max_num_queries(3):
        assert len(api("", parent="80").json()["items"]) == 96
