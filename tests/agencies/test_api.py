import unicodedata

import pytest

from tests.agencies.conftest import PASSWORD

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def get(client):
    def _get(path: str, **params):
        return client.get(f"/api/v1/agencies{path}", params, **HOST)

    return _get


class TestDirectory:
    def test_filters_by_level_kind_and_place(self, get):
        body = get("", level="commune", kind="service_centre").json()
        assert body["count"] == 96 and len(body["items"]) == 96
        at_tan_bien = get("", place="25486").json()["items"]
        assert {a["code"] for a in at_tan_bien} == {"UBX25486", "TTX25486"}
        provincial = get("", level="province").json()
        assert provincial["count"] == 16
        assert provincial["items"][0]["place_code"] == "80"

    @pytest.mark.parametrize(
        "q", ["Sở Tư pháp", "so tu phap", unicodedata.normalize("NFD", "Sở Tư pháp")]
    )
    def test_q_matches_with_or_without_diacritics(self, get, q):
        assert [a["code"] for a in get("", q=q).json()["items"]] == ["STP"]

    def test_paging_and_bad_filters(self, get):
        body = get("", limit=5, offset=200).json()
        assert (body["count"], len(body["items"])) == (208, 5)
        assert get("", kind="nope").status_code == 422
        assert get("", limit=5000).json()["code"] == "validation_error"

    def test_one_agency_with_its_units(self, get):
        body = get("/STP").json()
        assert body["name"] == "Sở Tư pháp tỉnh Tây Ninh"
        assert body["parent_code"] == "UBND"
        assert {"code": "HCTP", "name": "Phòng Hành chính tư pháp"} in body["units"]

    def test_an_unknown_agency_is_404(self, get):
        response = get("/KHONGCO")
        assert response.status_code == 404
        assert response.json() == {
            "code": "agency_not_found",
            "message": "Không tìm thấy cơ quan mã KHONGCO.",
        }


class TestStaff:
    def test_anonymous_is_401(self, cast, get, client):
        response = get("/STP/staff")
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        posted = client.post("/api/v1/agencies/STP/staff", {}, "application/json", **HOST)
        assert posted.status_code == 401

    def test_the_administrator_lists_the_staff(self, cast, get, client):
        client.force_login(cast.administrator)
        body = get("/STP/staff").json()
        specialist = next(s for s in body if s["username"] == "cv.stp")
        assert specialist["full_name"] == "Phạm Văn Chuyên"
        assert specialist["roles"] == [
            {"role": "specialist", "role_label": "Chuyên viên xử lý", "unit_code": "HCTP"}
        ]

    def test_a_program_with_the_administrators_bearer_token_lists_the_staff(self, cast, client):
        from egov.identity.services import issue_token

        token = issue_token(cast.administrator).token
        response = client.get(
            "/api/v1/agencies/STP/staff", HTTP_AUTHORIZATION=f"Bearer {token}", **HOST
        )
        assert response.status_code == 200
        assert any(s["username"] == "cv.stp" for s in response.json())
        wrong = client.get("/api/v1/agencies/STP/staff", HTTP_AUTHORIZATION="Bearer x", **HOST)
        assert wrong.status_code == 401

    def test_a_specialist_is_403_and_an_unknown_agency_404(self, cast, get, client):
        client.force_login(cast.specialist)
        forbidden = get("/STP/staff")
        assert forbidden.status_code == 403
        assert forbidden.json()["code"] == "forbidden"
        assert get("/KHONGCO/staff").status_code == 404

    def test_the_administrator_creates_an_official(self, cast, client):
        client.force_login(cast.administrator)
        payload = {
            "username": "moi.stp",
            "full_name": "Trương Thị Mới",
            "password": PASSWORD,
            "role": "reception_officer",
        }
        response = client.post("/api/v1/agencies/STP/staff", payload, "application/json", **HOST)
        assert response.status_code == 201, response.content
        assert response.json()["roles"][0]["role"] == "reception_officer"
        assert client.login(username="moi.stp", password=PASSWORD)

    def test_creating_with_a_weak_password_or_a_wrong_unit_is_400(self, cast, client):
        client.force_login(cast.administrator)
        base = {"username": "yeu.stp", "full_name": "Yếu", "role": "specialist"}
        weak = client.post(
            "/api/v1/agencies/STP/staff", {**base, "password": "123"}, "application/json", **HOST
        )
        assert (weak.status_code, weak.json()["code"]) == (400, "weak_password")
        wrong = client.post(
            "/api/v1/agencies/STP/staff",
            {**base, "password": PASSWORD, "unit": "NOPE"},
            "application/json",
            **HOST,
        )
        assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_unit")

    def test_the_outsider_cannot_create_staff_in_agency_a(self, cast, client):
        client.force_login(cast.admin_b)
        payload = {"username": "x", "full_name": "X", "password": PASSWORD, "role": "specialist"}
        response = client.post("/api/v1/agencies/STP/staff", payload, "application/json", **HOST)
        assert response.status_code == 403
        created = client.post("/api/v1/agencies/SYT/staff", payload, "application/json", **HOST)
        assert created.status_code == 201


def test_the_directory_takes_a_fixed_number_of_queries(get, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # count, page with place and parent joined
        assert len(get("", limit=208).json()["items"]) == 208
