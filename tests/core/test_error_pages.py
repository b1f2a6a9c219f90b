"""Error pages speak Vietnamese and keep the site's look; the health check is plain JSON."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@override_settings(DEBUG=False)
def test_an_unknown_page_is_a_vietnamese_404_inside_the_site(client):
    response = client.get("/khong-co-trang-nay/", **HOST)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and "Tra cứu thủ tục hành chính" in page
    assert 'class="site-header"' in page


@override_settings(DEBUG=False)
def test_an_unknown_procedure_is_the_same_404(client):
    response = client.get("/thu-tuc/9.999999/", **HOST)
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_explains_in_vietnamese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "x", "password": "y"}, **HOST)
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz", **HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
