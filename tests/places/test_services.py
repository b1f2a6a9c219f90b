import unicodedata
from datetime import date

import pytest

from egov.places import services
from egov.places.models import AdminUnit, UnitSuccession

pytestmark = pytest.mark.django_db


def test_provinces_are_the_34_in_force():
    codes = [unit.code for unit in services.provinces()]
    assert len(codes) == 34
    assert codes[0] == "01" and "80" in codes


def test_children_are_the_current_communes():
    assert services.children("80").count() == 96
    assert services.children("25486").count() == 0


@pytest.mark.parametrize(
    "query",
    ["Tân Biên", "tan bien", "TAN BIEN", "xã tân biên", unicodedata.normalize("NFD", "Tân Biên")],
)
def test_search_finds_a_commune_with_or_without_diacritics_in_any_form(query):
    found = services.search_units(query, parent="80")
    assert [unit.code for unit in found] == ["25486"]


def test_search_folds_dd_and_both_tone_placements():
    assert "27931" in {u.code for u in services.search_units("hau nghia")}
    # The package spells "Hoà Hội" and "Hòa Khánh": one query finds both.
    found = {u.code for u in services.search_units("hoa", parent="80")}
    assert {"25606", "27979"} <= found
    assert {u.code for u in services.search_units("Đức Huệ")} == {"27925"}


def test_search_without_parent_spans_the_country_and_ranks_provinces_first():
    found = list(services.search_units("tây ninh"))
    assert found[0].code == "80"


def test_get_unit_on_a_date_finds_the_unit_then_in_force():
    old = AdminUnit.objects.create(
        code="80",
        name="Long An",
        kind=AdminUnit.Kind.PROVINCE,
        level=AdminUnit.Level.PROVINCE,
        valid_from=date(1989, 12, 26),
        valid_to=date(2025, 7, 1),
    )
    assert services.get_unit("80").name == "Tây Ninh"
    assert services.get_unit("80", on=date(2025, 6, 30)) == old
    assert services.get_unit("80", on=date(2025, 7, 1)).name == "Tây Ninh"
    with pytest.raises(services.UnitNotFound):
        services.get_unit("80", on=date(1900, 1, 1))


def test_successors_of_an_old_unit():
    old = AdminUnit.objects.create(
        code="703",
        name="Tây Ninh",
        kind=AdminUnit.Kind.PROVINCIAL_CITY,
        level=AdminUnit.Level.DISTRICT,
        valid_from=date(2013, 12, 29),
        valid_to=date(2025, 7, 1),
    )
    for code in ("25459", "25480"):
        UnitSuccession.objects.create(
            old_unit=old, new_unit=services.get_unit(code), effective_on=date(2025, 7, 1)
        )
    assert [u.name for u in services.successors_of(old)] == ["Tân Ninh", "Bình Minh"]
    assert services.successors_of(services.get_unit("80")) == []


def test_default_province_name_is_the_configured_province(settings):
    assert services.default_province_name() == "Tây Ninh"
    settings.EGOV_PROVINCE_CODE = 1
    assert services.default_province_name() == "Hà Nội"
