"""The admin: an Open311 client's key is shown once and works until revoked; items are read-only;
a category with wrong attributes is refused."""

import re

import pytest
from django.contrib.messages import get_messages

from egov.feedback.models import ApiClient, Category
from egov.feedback.open311_keys import KeyRefused, client_for_key
from egov.identity.models import User

from .conftest import field_report

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def admin_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(User.objects.create_superuser("quantri.fb", "x"))
    return client


def test_creating_a_client_shows_its_key_once_and_revoking_refuses_it(admin_client):
    response = admin_client.post(
        "/quan-tri/feedback/apiclient/add/",
        {"name": "Ứng dụng Tây Ninh Smart", "contact": "cds@tayninh.gov.vn"},
        follow=True,
        **HOST,
    )
    assert response.status_code == 200
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "một lần" in str(m)]
    key = re.search(r": (\S+)$", message).group(1)
    client = ApiClient.objects.get()
    assert client_for_key(key) == client
    assert key not in client.key_hash and client.key_prefix == key[:8]
    page = admin_client.get(f"/quan-tri/feedback/apiclient/{client.pk}/change/", **HOST)
    assert key not in page.content.decode()
    admin_client.post(
        "/quan-tri/feedback/apiclient/",
        {"action": "revoke", "_selected_action": [client.pk]},
        **HOST,
    )
    with pytest.raises(KeyRefused):
        client_for_key(key)


def test_items_are_read_only_in_the_admin(admin_client, cast):
    item = field_report(cast)
    listing = admin_client.get("/quan-tri/feedback/item/", **HOST)
    assert listing.status_code == 200 and item.code in listing.content.decode()
    page = admin_client.get(f"/quan-tri/feedback/item/{item.pk}/change/", **HOST)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert admin_client.get("/quan-tri/feedback/item/add/", **HOST).status_code == 403


def test_a_category_with_wrong_attributes_is_refused(admin_client):
    category = Category.objects.get(code="rac-thai")
    data = {
        "code": category.code,
        "name": category.name,
        "description": "",
        "kind": category.kind,
        "local": "on",
        "deadline_days": "3",
        "attributes": '[{"code": "loai", "datatype": "singlevaluelist"}]',
        "order": "3",
        "active": "on",
    }
    response = admin_client.post(f"/quan-tri/feedback/category/{category.pk}/change/", data, **HOST)
    assert response.status_code == 200  # the form again, with the error
    assert "cần danh sách giá trị" in response.content.decode()
    data["attributes"] = "[]"
    response = admin_client.post(f"/quan-tri/feedback/category/{category.pk}/change/", data, **HOST)
    assert response.status_code == 302
    assert Category.objects.get(pk=category.pk).attributes == []
