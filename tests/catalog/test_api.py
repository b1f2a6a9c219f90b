import pytest

pytestmark = pytest.mark.usefixtures("catalog")
BASE = "/api/v1/procedures"


def test_list_is_paged_with_a_total(client):
    body = client.get(BASE, {"limit": 2}).json()
    assert body["count"] == 3 and body["limit"] == 2 and body["offset"] == 0
    assert [p["code"] for p in body["items"]] == ["1.009994", "2.000815"]
    body = client.get(BASE, {"limit": 2, "offset": 2}).json()
    assert [p["code"] for p in body["items"]] == ["1.001193"]


def test_search_without_diacritics(client):
    body = client.get(BASE, {"q": "dang ky khai sinh"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Đăng ký khai sinh"
    assert item["sector"] == {"code": "ho-tich", "name": "Hộ tịch"}
    assert item["processing_time"]["text"] == "Trong ngày (trước 15:00)"


def test_list_query_count_does_not_grow(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the page and the count
        assert client.get(BASE).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"level": "district"}, {"online_level": "x"}, {"limit": 0}, {"limit": 1000}, {"offset": -1}],
)
def test_bad_parameters_get_the_standard_error(client, params):
    response = client.get(BASE, params)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("params", [{"sector": "nope"}, {"agency": "NOPE"}])
def test_unknown_filters_get_the_standard_error(client, params):
    response = client.get(BASE, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_filter" and body["message"]
    assert list(body["details"]) == list(params)


def test_detail(client):
    body = client.get(f"{BASE}/1.009994").json()
    assert body["name"].startswith("Cấp giấy phép xây dựng")
    assert body["agencies"] == [{"code": "SXD", "name": "Sở Xây dựng", "level": "province"}]
    assert body["fees"][0]["text"] == "150.000 đồng" and body["fees"][0]["unconfirmed"]
    assert [c["form"] for c in body["components"]] == [
        "original",
        "certified_copy",
        "original_or_copy",
    ]
    assert body["legal_basis"] == [
        {"title": "Luật Xây dựng số 50/2014/QH13", "articles": "Điều 102"}
    ]
    assert body["processing_time"]["text"] == "20 ngày làm việc"
    assert body["unconfirmed_fields"] == ["fees"]
    assert body["eform"]["fields"][1]["name"] == "floors"


def test_detail_not_found(client):
    response = client.get(f"{BASE}/9.999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_sectors(client):
    body = client.get(f"{BASE}/sectors").json()
    assert {s["code"]: s["procedure_count"] for s in body} == {
        "ho-tich": 1,
        "xay-dung": 1,
        "chung-thuc": 1,
    }


def test_validate_ok(client):
    response = client.post(
        f"{BASE}/1.009994/validate",
        {"floors": 3, "floor_area": "120.5", "contact_phone": "0912 345 678"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "cleaned": {"floors": 3, "floor_area": "120.5", "contact_phone": "0912345678"},
    }


def test_validate_errors_per_field(client):
    response = client.post(
        f"{BASE}/1.001193/validate",
        {"child_full_name": "An", "father_citizen_id": "123", "hacker": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["details"]["father_citizen_id"] == "Số định danh cá nhân gồm đúng 12 chữ số."
    assert body["details"]["child_birth_date"] == "Trường này là bắt buộc."
    assert body["details"]["hacker"] == "Trường này không có trong biểu mẫu."


def test_validate_needs_an_object(client):
    response = client.post(f"{BASE}/1.001193/validate", "[1, 2]", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_validate_unknown_procedure(client):
    response = client.post(f"{BASE}/9.9/validate", {}, content_type="application/json")
    assert response.status_code == 404


def test_the_endpoints_are_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("", "/sectors", "/{code}", "/{code}/validate"):
        assert f"/api/v1/procedures{path}" in paths
