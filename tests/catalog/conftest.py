"""A small province for the catalog tests: two communes and the agencies the fixture names.

The test database holds the real reference data (tests/conftest.py), so these fixtures must
work beside it: the test province has a code no real province
has (99), the procedures and sectors are cleared inside the test's transaction, and the
provincial agencies the fixture file names are taken over (also rolled back afterwards).
"""

import datetime
import io
from pathlib import Path

import pytest
from django.test import override_settings

from egov.agencies.models import Agency
from egov.catalog.loaders import load_procedures
from egov.catalog.models import Procedure, Sector
from egov.places.models import AdminUnit

FIXTURE = Path(__file__).with_name("procedures_fixture.json")
START = datetime.date(2025, 7, 1)


TEST_PROVINCE = 99


@pytest.fixture
def province(db):
    Procedure.objects.all().delete()
    Sector.objects.all().delete()
    with override_settings(EGOV_PROVINCE_CODE=TEST_PROVINCE):
        unit = AdminUnit.objects.create(
            code=str(TEST_PROVINCE), name="Tây Ninh", kind="tinh", level=1, valid_from=START
        )
        yield unit


@pytest.fixture
def communes(province):
    return [
        AdminUnit.objects.create(
            code=code, name=name, kind=kind, level=3, parent=province, valid_from=START
        )
        for code, name, kind in [
            ("99001", "Phường Tân Ninh", "phuong"),
            ("99002", "Xã Hòa Thành", "xa"),
        ]
    ]


@pytest.fixture
def agencies(province, communes):
    province_agencies = [
        Agency.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": "province", "kind": kind, "place": province},
        )[0]
        for code, name, kind in [
            ("UBND", "Ủy ban nhân dân tỉnh Tây Ninh", "peoples_committee"),
            ("SXD", "Sở Xây dựng", "department"),
            ("STP", "Sở Tư pháp", "department"),
        ]
    ]
    commune_agencies = [
        Agency.objects.create(
            code=f"UBX{unit.code}",
            name=f"Ủy ban nhân dân {unit.name}",
            level="commune",
            kind="peoples_committee",
            place=unit,
        )
        for unit in communes
    ]
    return {a.code: a for a in province_agencies + commune_agencies}


@pytest.fixture
def catalog(agencies):
    """The fixture file loaded, as the loader loads the real one."""
    load_procedures(FIXTURE, out=io.StringIO())
    return agencies
