"""Every dashboard figure against a small set of dossiers worked out by hand.

The set (Sở Tư pháp, the criminal-record certificate: 10 calendar days, full-online):

====  =======  =====================  ==========================  ===========================
 no.  channel  accepted               then                        at 25/03/2026 09:00
====  =======  =====================  ==========================  ===========================
  1   online   02/03 09:00 (due 12/03) resolved 05/03, satisfied   on time
  2   online   03/03 09:00 (due 13/03) resolved 20/03, dissatisf.  late
  3   counter  04/03 09:00 (due 16/03) —                           overdue
  4   counter  04/03 10:00             rescheduled to 25/03 16:00  due soon
  5   online   submitted 05/03, never accepted                     not counted
  6   online   27/02 09:00 (due 09/03) —                           overdue, counted in February
====  =======  =====================  ==========================  ===========================

March: received 4, of which online 2 (50 %); resolved 2, on time 1 (50 %); rated 2, satisfied 1
(50 %). Today: overdue 2 (nos. 3 and 6), due soon 1 (no. 4).
"""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from egov.agencies.models import Agency, Role
from egov.dossiers import actions
from egov.reports import dashboard
from egov.reports.scope import scope_of
from tests.reports.conftest import FORM, accepted, at, local, resolve, submitted

NOW = local(2026, 3, 25, 9, 0)
MARCH = dashboard.Period(date(2026, 3, 1), date(2026, 3, 1))


@pytest.fixture
def known(cast):
    one = accepted(cast, local(2026, 3, 2, 9, 0))
    assert one.due_at == local(2026, 3, 12, 17, 0)
    resolve(cast, one, local(2026, 3, 5, 10, 0), rating="satisfied")
    two = accepted(cast, local(2026, 3, 3, 9, 0))
    resolve(cast, two, local(2026, 3, 20, 10, 0), rating="dissatisfied")
    with at(local(2026, 3, 4, 9, 0)):
        actions.do_receive_at_counter(
            cast.reception, cast.procedure, cast.agency, applicant_name="Lê Văn Ba", form_data=FORM
        )
    with at(local(2026, 3, 4, 10, 0)):
        four = actions.do_receive_at_counter(
            cast.reception, cast.procedure, cast.agency, applicant_name="Lê Văn Bốn", form_data=FORM
        )
        four = actions.do_assign(cast.reception, four, cast.specialist)
    with at(local(2026, 3, 10, 10, 0)):
        actions.do_apologise_and_reschedule(
            cast.specialist, four, local(2026, 3, 25, 16, 0), "Chờ xác minh"
        )
    submitted(cast, local(2026, 3, 5, 8, 0))
    accepted(cast, local(2026, 2, 27, 9, 0))
    return cast


def test_the_figures_for_march(known):
    data = dashboard.build(MARCH, [known.agency.pk], at=NOW)
    [march] = data.months
    assert (march.received, march.online, march.on_time, march.late) == (4, 2, 1, 1)
    assert (march.satisfied, march.rated) == (1, 2)
    targets = {t.code: t for t in data.targets}
    assert (targets["online_submissions"].numerator, targets["online_submissions"].denominator) == (
        2,
        4,
    )
    assert (
        targets["online_submissions"].measured == 50 and targets["online_submissions"].target == 60
    )
    assert targets["online_submissions"].met is False
    assert targets["resolved_on_time"].measured == 50
    assert targets["satisfaction"].measured == 50 and targets["satisfaction"].met is False
    # Sở Tư pháp's one procedure in the catalog is full-online.
    assert (targets["procedures_online"].numerator, targets["procedures_online"].denominator) == (
        1,
        1,
    )
    assert targets["procedures_online"].met is True
    # The dossier given an apology on 10 March is overdue, though its new appointment (25 March
    # 16:00) is hours away: nothing is due soon.
    assert data.overdue == 3 and data.due_soon == 0
    assert data.overdue_by_agency == [(known.agency, 3)]
    assert data.overdue_by_procedure == [(known.procedure, 3)]


def test_the_months_of_a_longer_period_and_the_province(known):
    period = dashboard.Period(date(2026, 1, 1), date(2026, 4, 1))
    data = dashboard.build(period, None, at=NOW)
    assert [m.month.month for m in data.months] == [1, 2, 3, 4]
    assert [m.received for m in data.months] == [0, 1, 4, 0]
    assert data.months[0].online_share is None  # nothing received: no rate, not 0 %
    # The whole catalog: 59 of the 62 procedures in force are offered online.
    offered = {t.code: t for t in data.targets}["procedures_online"]
    assert (offered.numerator, offered.denominator) == (59, 62)


def test_another_agency_sees_none_of_it(known):
    data = dashboard.build(MARCH, [known.other_agency.pk], at=NOW)
    assert data.months[0].received == 0 and data.overdue == 0 and data.overdue_by_agency == []


def test_targets_come_from_the_settings(known, settings):
    settings.EGOV_DASHBOARD_TARGETS = {"online_submissions": 40}
    data = dashboard.build(MARCH, [known.agency.pk], at=NOW)
    assert {t.code: t for t in data.targets}["online_submissions"].met is True


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2026-01", "2026-03", (date(2026, 1, 1), date(2026, 3, 1))),
        ("2026-02", None, (date(2026, 2, 1), date(2026, 2, 1))),
        (None, None, (date(2025, 4, 1), date(2026, 3, 1))),
    ],
)
def test_periods(first, last, expected):
    period = dashboard.parse_period(first, last, date(2026, 3, 25))
    assert (period.first, period.last) == expected


@pytest.mark.parametrize(
    ("first", "last"),
    [("2026-13", None), ("2026-03", "2026-01"), ("2020-01", "2026-01"), ("abc", "")],
)
def test_bad_periods_are_refused(first, last):
    with pytest.raises(dashboard.PeriodError):
        dashboard.parse_period(first, last, date(2026, 3, 25))


# --- scope and the page ---------------------------------------------------------------------------


def _staff(cast, username: str, agency_code: str, role: str):
    from egov.agencies import services as staff_services
    from tests.dossiers.conftest import PASSWORD

    agency = Agency.objects.get(code=agency_code)
    admin = staff_services.create_staff_account(
        cast.administrator if agency == cast.agency else _root(), agency, f"qt.{username}",
        "Quản Trị", PASSWORD, Role.ADMINISTRATOR,
    ) if agency != cast.agency else cast.administrator  # fmt: skip
    return staff_services.create_staff_account(admin, agency, username, "Người Xem", PASSWORD, role)


def _root():
    from egov.identity.models import User

    return User.objects.get(username="root")


def test_scope_per_role(cast):
    assert scope_of(cast.agency_leader).agency_ids == {cast.agency.pk}
    assert scope_of(cast.auditor).agency_ids == {cast.agency.pk}
    assert scope_of(cast.unit_leader).agency_ids == {cast.agency.pk}
    for nobody in (cast.reception, cast.specialist, cast.administrator, cast.citizen, _root()):
        assert not scope_of(nobody)
    office = _staff(cast, "ld.vp", "VPUBND", Role.AGENCY_LEADER)
    whole = scope_of(office)
    assert whole.province and whole.ids_or_none() is None
    assert cast.agency.pk in whole.agency_ids and cast.other_agency.pk in whole.agency_ids


def test_the_page_shows_the_figures(client, known):
    client.force_login(known.agency_leader)
    with at(NOW):
        from unittest import mock

        with mock.patch("django.utils.timezone.now", return_value=NOW):
            response = client.get(
                reverse("reports:dashboard"), {"from": "2026-03", "to": "2026-03"}
            )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="overdue-now">3<' in html and 'id="due-soon-now">0<' in html
    assert "50,0 %" in html and "(2/4" in html
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    bars = ET.fromstring(svg).findall(".//{http://www.w3.org/2000/svg}rect[@class='bar']")
    assert [b.get("data-value") for b in bars] == ["4"]


def test_the_page_refuses_those_without_scope(client, cast):
    client.force_login(cast.specialist)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 403
    assert "Bạn không có quyền xem báo cáo" in response.content.decode()
    client.force_login(cast.citizen)
    assert client.get(reverse("reports:dashboard")).status_code == 404


def test_an_agency_outside_the_scope_is_refused_on_the_page(client, known):
    client.force_login(known.agency_leader)
    response = client.get(reverse("reports:dashboard"), {"agency": "SYT", "from": "2026-99"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không có cơ quan “SYT” trong phạm vi của bạn." in html
    assert "Tháng phải có dạng NNNN-TT" in html


def test_imported_dossiers_count_like_live_ones(cast):
    """tests/dossiers/data/legacy/semicolon_bom.csv, Sở Tư pháp's rows (November 2025):

    received 8 (…101 … …109 except …103, which is a commune's); online …101, …104, …107 → 3/8;
    resolved …101 on time (12/11, due 13/11) and …102 late (17/11, due 13/11) → 1/2; …104
    refused, …105 withdrawn, …106 stopped are not resolved. At 25/03/2026 …107 (due 24/11) and
    …109 (due 12/11) are overdue; …108 waits for a supplement (its clock is stopped).
    """
    from egov.dossiers.legacy import import_file
    from tests.dossiers.test_legacy import DATA

    assert import_file(DATA / "semicolon_bom.csv").ok
    november = dashboard.Period(date(2025, 11, 1), date(2025, 11, 1))
    data = dashboard.build(november, [cast.agency.pk], at=NOW)
    [month] = data.months
    assert (month.received, month.online, month.on_time, month.late) == (8, 3, 1, 1)
    assert data.overdue == 2 and data.due_soon == 0


def test_feedback_answered_on_time(cast):
    """Two questions to Sở Tư pháp in March: one answered on 04/03 (due 11/03), one answered on
    16/03, after its due moment → 1 of 2 answered on time (50 %)."""
    from egov.feedback import services as feedback
    from tests.feedback.conftest import at as feedback_at
    from tests.reports.test_quality_index import _question

    for answered_on in (local(2026, 3, 4, 9, 0), local(2026, 3, 16, 9, 0)):
        item = _question(cast, local(2026, 3, 2, 8, 0))
        with feedback_at(answered_on):
            item = feedback.accept(cast.reception, item)
            feedback.answer(cast.agency_leader, item, "Tại UBND xã nơi cư trú.")
    data = dashboard.build(MARCH, [cast.agency.pk], at=NOW)
    target = {t.code: t for t in data.targets}["feedback_on_time"]
    assert (target.numerator, target.denominator, target.measured) == (1, 2, 50)
