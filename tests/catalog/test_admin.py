import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        **{django_user_model.USERNAME_FIELD: "catalog-admin"}, password="x-Very-long-pass-1"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_changelist_search_without_diacritics(admin_client):
    url = reverse("admin:catalog_procedure_changelist")
    html = admin_client.get(url, {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in html and "Cấp giấy phép" not in html


def test_change_page_has_the_inlines(admin_client):
    from egov.catalog.models import Procedure

    pk = Procedure.objects.get(code="1.009994").pk
    html = admin_client.get(reverse("admin:catalog_procedure_change", args=[pk])).content.decode()
    assert "Đơn đề nghị cấp giấy phép xây dựng" in html
    assert "Lệ phí cấp giấy phép xây dựng" in html
    assert "Luật Xây dựng số 50/2014/QH13" in html


def test_the_admin_form_refuses_a_broken_eform(superuser, rf):
    import json

    from django.contrib.admin.sites import site
    from django.forms.models import model_to_dict

    from egov.catalog.models import Procedure

    procedure = Procedure.objects.get(code="1.001193")
    model_admin = site._registry[Procedure]
    request = rf.get("/")
    request.user = superuser
    form_class = model_admin.get_form(request, procedure, change=True)
    data = model_to_dict(procedure)
    data["agencies"] = [a.pk for a in data["agencies"]]
    data["sector"] = procedure.sector_id
    data["same_day_cutoff"] = "15:00"
    for key in ("applicant_types", "unconfirmed_fields"):
        data[key] = json.dumps(data[key])
    data["eform"] = json.dumps(procedure.eform)
    assert form_class(data, instance=procedure).is_valid()
    data["eform"] = json.dumps({"fields": [{"name": "x", "label": "X", "type": "select"}]})
    form = form_class(data, instance=procedure)
    assert not form.is_valid()
    assert "choices" in " ".join(form.errors["eform"])
