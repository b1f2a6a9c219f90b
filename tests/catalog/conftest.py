"""A small province for the catalog tests: two communes and the agencies the fixture names."""

import datetime
import io
from pathlib import Path

import pytest
from django.test import override_settings

from egov.agencies.models import Agency
from egov.catalog.loaders import load_procedures
from egov.places.models import AdminUnit

FIXTURE = Path(__file__).with_name("procedures_fixture.json")
START = datetime.date(2025, 7, 1)


@pytest.fixture
def province(db):
    with override_settings(EGOV_PROVINCE_CODE=80):
        unit = AdminUnit.objects.create(
            code="80", name="Tây Ninh", kind="tinh", level=1, valid_from=START
        )
        yield unit


@pytest.fixture
def communes(province):
    return [
        AdminUnit.objects.create(
            code=code, name=name, kind=kind, level=3, parent=province, valid_from=START
        )
        for code, name, kind in [
            ("25630", "Phường Tân Ninh", "phuong"),
            ("25633", "Xã Hòa Thành", "xa"),
        ]
    ]


@pytest.fixture
def agencies(province, communes):
    province_agencies = [
        Agency.objects.create(code=code, name=name, level="province", kind=kind, place=province)
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
