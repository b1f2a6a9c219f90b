"""Every indicator of the Decision 766 index against a small set worked out by hand.

Sở Tư pháp, March 2026, measured at 25/03/2026 09:00:

====  =======  ==============================  ==================================================
 no.  channel  path                            counts for
====  =======  ==============================  ==================================================
 D1   online   accepted 02/03, both mandatory  received, code, digitised; resolved on time,
               files; resolved 05/03           result file, satisfied
 D2   online   accepted 03/03, both files;     received, code, digitised; resolved late, result
               resolved 20/03 (due 13/03)      file, dissatisfied
 D3   counter  accepted 04/03, no files        received, code; pending
 D4   counter  accepted 04/03; resolved 06/03  received, code; resolved on time, no result file
               without a result file
 Q1   question submitted 02/03, answered 04/03 feedback on time, rated satisfied
 Q2   question submitted 02/03, not answered   feedback pending overdue (due 11/03)
 Q3   question submitted 20/03                 feedback pending in time
====  =======  ==============================  ==================================================

Indicator by indicator (rate → points):
1.3 codes 4/4 → 7; 2.1 on time 2/3 → 13.33; 3.1 result files 2/3 → 5.33; 3.2 digitised 2/4 → 4;
4.1 procedures 1/1 → 7; 4.2 online 2/4 → 4; 5.1 feedback on time 1/3 → 2;
5.2 (3 − 0 unhappy ratings − 0 late − 1 overdue)/3 → 4; 5.3 neither late nor dissatisfied 2/3 → 4.
1.1, 1.2, 3.3 and 4.3 cannot be measured. Total 50.67 of the 76 measurable points.
"""

from datetime import date

import pytest
from django.urls import reverse

from egov.dossiers import actions
from egov.feedback import services as feedback
from egov.feedback.models import Category, Item
from egov.reports import quality_index
from tests.feedback.conftest import at as feedback_at
from tests.reports.conftest import FORM, accepted, at, local, resolve

NOW = local(2026, 3, 25, 9, 0)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _question(cast, moment):
    with feedback_at(moment):
        return feedback.submit(
            cast.citizen,
            kind=Item.Kind.QUESTION,
            category=Category.objects.get(code="hoi-dap-ho-tich"),
            title="Đăng ký khai sinh cho con ở đâu?",
            text="Con tôi sinh ở Thành phố Hồ Chí Minh, tôi đăng ký khai sinh ở đâu?",
            may_publish=True,
        )


@pytest.fixture
def known(cast):
    d1 = accepted(cast, local(2026, 3, 2, 9, 0))
    resolve(cast, d1, local(2026, 3, 5, 10, 0), rating="satisfied")
    d2 = accepted(cast, local(2026, 3, 3, 9, 0))
    resolve(cast, d2, local(2026, 3, 20, 10, 0), rating="dissatisfied")
    with at(local(2026, 3, 4, 9, 0)):
        actions.do_receive_at_counter(
            cast.reception, cast.procedure, cast.agency, applicant_name="Lê Văn Ba", form_data=FORM
        )
        d4 = actions.do_receive_at_counter(
            cast.reception, cast.procedure, cast.agency, applicant_name="Lê Văn Bốn", form_data=FORM
        )
    resolve(cast, d4, local(2026, 3, 6, 10, 0), result_file=False)
    q1 = _question(cast, local(2026, 3, 2, 8, 0))
    with feedback_at(local(2026, 3, 4, 9, 0)):
        q1 = feedback.accept(cast.reception, q1)
        q1 = feedback.answer(cast.agency_leader, q1, "Tại UBND xã nơi cư trú.")
        feedback.rate(cast.citizen, q1, "satisfied")
    _question(cast, local(2026, 3, 2, 8, 30))
    _question(cast, local(2026, 3, 20, 8, 0))
    return cast


def _scores(known):
    index = quality_index.compute(*MARCH, [known.agency.pk], overall_label="Sở", at=NOW)
    [agency] = index.agencies
    return index, agency, {s.indicator.code: s for s in agency.scores}


def test_every_indicator_against_the_hand_count(known):
    _, agency, scores = _scores(known)
    pairs = {code: (s.numerator, s.denominator) for code, s in scores.items()}
    assert pairs == {
        "1.1": (None, None),
        "1.2": (None, None),
        "1.3": (4, 4),
        "2.1": (2, 3),
        "3.1": (2, 3),
        "3.2": (2, 4),
        "3.3": (None, None),
        "4.1": (1, 1),
        "4.2": (2, 4),
        "4.3": (None, None),
        "5.1": (1, 3),
        "5.2": (2, 3),
        "5.3": (2, 3),
    }
    points = {code: s.points for code, s in scores.items()}
    assert points["1.3"] == 7 and points["2.1"] == pytest.approx(40 / 3)
    assert points["3.1"] == pytest.approx(16 / 3) and points["3.2"] == 4
    assert points["4.1"] == 7 and points["4.2"] == 4
    assert points["5.1"] == pytest.approx(2) and points["5.2"] == pytest.approx(4)
    assert points["5.3"] == pytest.approx(4)
    assert all(points[c] is None for c in ("1.1", "1.2", "3.3", "4.3"))
    groups = {g["group"].code: (g["points"], g["measured"]) for g in agency.groups}
    assert groups["transparency"] == (7, 7)
    assert groups["digitisation"] == (pytest.approx(28 / 3), 16)
    assert groups["online"] == (11, 15)
    assert groups["satisfaction"] == (pytest.approx(10), 18)
    assert agency.total == pytest.approx(50 + 2 / 3)
    assert agency.measured_points == 76


def test_the_overall_card_sums_the_agencies(known):
    index, agency, _ = _scores(known)
    assert [(s.numerator, s.denominator) for s in index.overall.scores] == [
        (s.numerator, s.denominator) for s in agency.scores
    ]


def test_nothing_to_measure_is_no_score_not_zero(cast):
    index = quality_index.compute(*MARCH, [cast.agency.pk], overall_label="Sở", at=NOW)
    scores = {s.indicator.code: s for s in index.overall.scores}
    assert scores["2.1"].rate is None and scores["2.1"].points is None
    assert scores["4.1"].rate == 100  # the catalog still offers the procedure online
    assert index.overall.measured_points == 7


def test_the_groups_add_up_to_100():
    assert sum(g.points for g in quality_index.GROUPS) == 100


def test_the_page(client, known):
    from unittest import mock

    client.force_login(known.agency_leader)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        response = client.get(reverse("reports:quality"), {"from": "2026-03", "to": "2026-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Công khai, minh bạch" in html and "Không đo được" in html
    assert "50,7" in html and known.agency.name in html
