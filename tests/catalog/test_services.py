import datetime
import unicodedata

import pytest

from egov.catalog.models import Procedure
from egov.catalog.services import (
    InvalidFilter,
    format_vnd,
    processing_time_text,
    search_procedures,
)

pytestmark = pytest.mark.usefixtures("catalog")


def codes(queryset):
    return [p.code for p in queryset]


@pytest.mark.parametrize(
    "q",
    [
        "khai sinh",
        "KHAI SINH",
        "Đăng ký khai sinh",
        unicodedata.normalize("NFD", "đăng ký khai sinh"),
        unicodedata.normalize("NFC", "đăng ký khai sinh"),
        "dang ky khai",
        "1.001193",
    ],
)
def test_search_ignores_diacritics_case_and_normalisation(q):
    assert codes(search_procedures(q)) == ["1.001193"]


def test_every_word_must_match():
    assert codes(search_procedures("giay phep xay dung")) == ["1.009994"]
    assert codes(search_procedures("giay phep khai sinh")) == []


def test_exact_code_comes_first_then_names_starting_with_the_query():
    # "chứng" is in two names; "chứng thực" starts one of them.
    assert codes(search_procedures("chung thuc")) == ["2.000815"]
    found = codes(search_procedures("1.00"))
    assert set(found) == {"1.001193", "1.009994"}
    assert codes(search_procedures("1.009994"))[0] == "1.009994"
    assert codes(search_procedures("cap"))[0] == "1.009994"  # "Cấp giấy phép…" starts with it


def test_filters():
    assert codes(search_procedures(level="province")) == ["1.009994"]
    assert codes(search_procedures(online_level="full")) == ["1.001193"]
    assert codes(search_procedures(sector="chung-thuc")) == ["2.000815"]
    assert codes(search_procedures(agency="STP")) == ["2.000815"]
    assert set(codes(search_procedures(agency="UBX99001"))) == {"1.001193", "2.000815"}
    assert codes(search_procedures(agency_name="so xay dung")) == ["1.009994"]
    assert set(codes(search_procedures(agency_name="Tân Ninh"))) == {"1.001193", "2.000815"}
    assert codes(search_procedures("khai sinh", level="province")) == []


def test_without_a_query_the_list_is_by_name():
    assert codes(search_procedures()) == ["1.009994", "2.000815", "1.001193"]


def test_inactive_procedures_are_hidden():
    Procedure.objects.filter(code="1.001193").update(is_active=False)
    assert codes(search_procedures("khai sinh")) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": "district"}, "level"),
        ({"online_level": "some"}, "online_level"),
        ({"sector": "nope"}, "sector"),
        ({"agency": "NOPE"}, "agency"),
    ],
)
def test_unknown_filter_values_raise(kwargs, field):
    with pytest.raises(InvalidFilter) as caught:
        search_procedures(**kwargs)
    assert caught.value.field == field


def test_the_list_takes_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(p.code, p.sector.name) for p in search_procedures("")]
    assert len(rows) == 3


def test_words_for_time_and_money():
    assert format_vnd(50000) == "50.000 đồng"
    assert format_vnd(1250000) == "1.250.000 đồng"
    assert format_vnd(0) == "Miễn phí"
    p = Procedure(processing_time_amount=5, processing_time_unit="working_days")
    assert processing_time_text(p) == "5 ngày làm việc"
    p = Procedure(processing_time_unit="same_day", same_day_cutoff=datetime.time(15, 0))
    assert processing_time_text(p) == "Trong ngày (trước 15:00)"
    p = Procedure(processing_time_amount=8, processing_time_unit="working_hours")
    assert processing_time_text(p) == "8 giờ làm việc"
    p = Procedure(processing_time_amount=30, processing_time_unit="calendar_days")
    assert processing_time_text(p) == "30 ngày"


def test_the_exact_name_ranks_before_longer_names(agencies):
    from egov.catalog.models import Sector

    sector = Sector.objects.get(code="ho-tich")
    Procedure.objects.create(
        code="2.000528",
        name="Đăng ký khai sinh có yếu tố nước ngoài",
        sector=sector,
        level="commune",
        processing_time_unit="working_days",
        online_level="full",
    )
    Procedure.objects.create(
        code="1.000689",
        name="Cấp bản sao trích lục khai sinh",
        sector=sector,
        level="commune",
        processing_time_unit="working_days",
        online_level="full",
    )
    assert codes(search_procedures("dang ky khai sinh")) == ["1.001193", "2.000528"]
    assert codes(search_procedures("khai sinh")) == ["1.000689", "1.001193", "2.000528"]
