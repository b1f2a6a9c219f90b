"""The bundled catalog (catalog/data/procedures.json) as `egov setup` loads it."""

import io

import pytest

from egov.catalog.eforms import validate_eform_schema
from egov.catalog.loaders import DEFAULT_FILE, load_procedures
from egov.catalog.models import Procedure
from egov.catalog.services import commune_peoples_committees, search_procedures

pytestmark = [
    pytest.mark.skipif(not DEFAULT_FILE.exists(), reason="procedures.json not written yet"),
    pytest.mark.django_db,
]


def test_the_seed_is_loaded_and_sound():
    assert Procedure.objects.count() > 0
    for procedure in Procedure.objects.all():
        assert validate_eform_schema(procedure.eform) == [], procedure.code
        assert procedure.agencies.exists(), procedure.code


def test_commune_procedures_reach_every_commune_peoples_committee():
    communes = commune_peoples_committees().count()
    assert communes > 0
    birth = Procedure.objects.get(code="1.001193")
    assert birth.level == "commune"
    assert birth.agencies.filter(level="commune").count() == communes


def test_the_seed_is_searchable_without_diacritics():
    assert next(iter(search_procedures("dang ky khai sinh"))).code == "1.001193"
    assert search_procedures("giay phep xay dung").exists()


def test_loading_the_seed_again_changes_nothing():
    summary = load_procedures(DEFAULT_FILE, out=io.StringIO())
    assert summary.created == summary.updated == 0
    assert summary.unchanged == Procedure.objects.count()
