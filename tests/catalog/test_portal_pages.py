"""The portal's public pages through Django's test client (the browser tests drive them too)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("catalog")


def test_home_shows_counts_sectors_and_a_search_box(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert 'lang="vi"' in html
    assert 'name="q"' in html and 'action="/thu-tuc/"' in html
    assert "<strong>3</strong> thủ tục hành chính" in html
    assert "<strong>1</strong> dịch vụ công trực tuyến toàn trình" in html
    assert "?sector=ho-tich" in html and "Hộ tịch" in html
    assert "Đăng ký tài khoản" in html and "Đăng nhập" in html


def test_home_query_count_is_fixed(client, django_assert_num_queries):
    # counts, sectors, and the province name for the page header
    with django_assert_num_queries(3):
        assert client.get(reverse("portal:home")).status_code == 200


def test_catalog_search_without_diacritics(client):
    html = client.get(reverse("portal:procedures"), {"q": "giay phep xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng mới" in html
    assert "Đăng ký khai sinh" not in html
    assert "20 ngày làm việc" in html
    assert "Trực tuyến một phần" in html


def test_catalog_filters_and_times_in_words(client):
    html = client.get(
        reverse("portal:procedures"), {"sector": "ho-tich", "level": "commune"}
    ).content.decode()
    assert "Đăng ký khai sinh" in html and "Trong ngày (trước 15:00)" in html
    assert "Chứng thực bản sao" not in html
    assert '<option value="ho-tich" selected>' in html


def test_catalog_agency_filters(client):
    html = client.get(reverse("portal:procedures"), {"agency": "STP"}).content.decode()
    assert "Chứng thực bản sao" in html and "Đăng ký khai sinh" not in html
    html = client.get(reverse("portal:procedures"), {"agency_name": "tan ninh"}).content.decode()
    assert "Chứng thực bản sao" in html and "Đăng ký khai sinh" in html
    assert "Cấp giấy phép" not in html


def test_an_empty_result_suggests_removing_filters(client):
    html = client.get(
        reverse("portal:procedures"), {"q": "khai sinh", "level": "province"}
    ).content.decode()
    assert "Không tìm thấy thủ tục nào phù hợp." in html
    assert "bỏ bớt bộ lọc" in html
    assert 'href="/thu-tuc/?q=khai%20sinh"' in html


def test_bad_filter_values_are_ignored_with_a_note(client):
    response = client.get(reverse("portal:procedures"), {"level": "district", "q": "khai"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Một số bộ lọc không hợp lệ" in html and "Đăng ký khai sinh" in html


def test_catalog_pages(client, settings):
    from egov.portal import views

    views_page_size = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        html = client.get(reverse("portal:procedures")).content.decode()
        assert "Trang 1 / 2" in html and "?page=2" in html
        html = client.get(reverse("portal:procedures"), {"page": 2}).content.decode()
        assert "Đăng ký khai sinh" in html and "Trang 2 / 2" in html
    finally:
        views.PAGE_SIZE = views_page_size


def test_catalog_query_count_does_not_grow_with_results(client, django_assert_num_queries):
    # sectors, provincial agencies, count, page of results (sector joined), province name
    with django_assert_num_queries(5):
        assert client.get(reverse("portal:procedures"), {"q": "c"}).status_code == 200


def test_procedure_page_shows_what_a_citizen_needs(client):
    html = client.get(reverse("portal:procedure", args=["1.009994"])).content.decode()
    assert "<h1>Cấp giấy phép xây dựng mới" in html
    assert "Sở Xây dựng" in html
    assert "20 ngày làm việc" in html
    assert "150.000 đồng" in html and "(chưa được xác nhận)" in html
    assert "Đơn đề nghị cấp giấy phép xây dựng" in html
    assert "Bản sao có chứng thực" in html and "1 bản sao" in html and "Nếu có" in html
    assert "Mẫu số 01 Phụ lục II Nghị định 175/2024/NĐ-CP" in html
    assert "Luật Xây dựng số 50/2014/QH13 — Điều 102" in html
    assert "Giấy phép xây dựng" in html
    # The e-form preview, and the submit button leads to sign-in for now.
    assert 'for="eform-floors"' in html and "Số tầng" in html
    assert "Nộp hồ sơ trực tuyến" in html and "/tai-khoan/dang-nhap/?next=" in html


def test_procedure_page_for_a_commune_procedure(client):
    html = client.get(reverse("portal:procedure", args=["1.001193"])).content.decode()
    assert "Trong ngày (trước 15:00)" in html
    assert "Miễn phí" in html
    assert "(2 xã, phường)" in html and "Phường Tân Ninh" in html
    assert "(chưa được xác nhận)" not in html


def test_procedure_without_online_service(client):
    html = client.get(reverse("portal:procedure", args=["2.000815"])).content.decode()
    assert "2.000 đồng" in html
    assert "chưa có dịch vụ công trực tuyến" in html
    assert "Nộp hồ sơ trực tuyến</a>" not in html


def test_procedure_page_query_count(client, django_assert_num_queries):
    # procedure+sector, fees, legal bases, components, agencies+places, province name
    with django_assert_num_queries(6):
        assert client.get(reverse("portal:procedure", args=["1.001193"])).status_code == 200


def test_unknown_procedure_is_404(client):
    assert client.get(reverse("portal:procedure", args=["9.999"])).status_code == 404


def test_a_search_text_too_long_says_which_filter_and_why(client):
    response = client.get(reverse("portal:procedures"), {"q": "khai sinh " * 30})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Một số bộ lọc không hợp lệ nên đã được bỏ qua." in page
    assert "Tìm thủ tục:" in page and "200" in page
