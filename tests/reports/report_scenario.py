"""A known set of dossiers played through the live workflow, for the Biểu 06 report's tests.

Sở Tư pháp (STP, procedure TMP-LLTP-CD "Lý lịch tư pháp", 10 calendar days: accepted at 9:00
on day D, due at 17:00 on D + 10, or on the next working day) and one dossier at Sở Y tế (SYT,
TMP-YT-GPHN "Khám bệnh, chữa bệnh", 30 calendar days). Times are Asia/Ho_Chi_Minh.

======  ========  =====================  ====================  =================================
name    channel   accepted               due                   what happens
======  ========  =====================  ====================  =================================
A       online    Wed 25 Feb 09:00       Mon 9 Mar 17:00       resolved Mon 9 Mar 10:00: on time
B       online    Thu 26 Feb 09:00       Mon 9 Mar 17:00       pending at the end of March
C       online    Tue 24 Feb 09:00       Fri 6 Mar 17:00       resolved Fri 27 Feb: early (Feb)
D       online    Mon 2 Mar 09:00        Thu 12 Mar 17:00      resolved Thu 5 Mar: early
E       online    Mon 2 Mar 09:00        Thu 12 Mar 17:00      resolved Thu 12 Mar 16:00: on time
F       counter   Tue 3 Mar 09:00        Fri 13 Mar 17:00      resolved Mon 16 Mar: late
G       online    Wed 4 Mar 09:00        Mon 16 Mar 17:00      supplement asked Thu 5 Mar, never
                                                               answered: pending, clock frozen
H       online    Mon 2 Mar 09:00        Thu 12 Mar 17:00 →    supplement Tue 3 Mar 10:00,
                                         moved by the stop     answered Tue 10 Mar 10:00;
                                                               resolved Wed 18 Mar: early
I       online    Mon 2 Mar 09:00                              withdrawn Tue 10 Mar
J       online    Mon 2 Mar 09:00                              stopped Wed 11 Mar
K       online    Mon 2 Mar 09:00                              refused in handling Fri 6 Mar: early
L       online    never (refused at reception Mon 2 Mar)       not counted
M       online    never (submitted, waiting)                   not counted
N       counter   Fri 20 Mar 09:00       Mon 30 Mar 17:00      pending at the end: overdue
O       online    Wed 25 Mar 09:00       Mon 6 Apr 17:00       pending at the end: in time
P       counter   Wed 1 Apr 09:00                              after March: not counted
S       counter   Mon 2 Mar 09:00 (SYT)  Wed 1 Apr 17:00       pending: in time (another agency)
======  ========  =====================  ====================  =================================
"""

from dataclasses import dataclass, field
from datetime import datetime

from egov.agencies.models import Agency
from egov.catalog.models import Procedure
from egov.dossiers import actions
from egov.dossiers.models import Dossier
from tests.dossiers.conftest import FORM, PDF, Cast, at, local, submitted

SYT_PROCEDURE = "TMP-YT-GPHN"
SYT_FORM = {
    "title": "bac_sy",
    "scope": "Khám bệnh, chữa bệnh đa khoa",
    "degree": "Bác sĩ đa khoa",
    "degree_date": "2020-06-30",
    "practice_facility": "Bệnh viện Đa khoa Tây Ninh",
    "contact_phone": "0912345678",
}


@dataclass
class Scenario:
    cast: Cast
    dossiers: dict[str, Dossier] = field(default_factory=dict)

    def ids(self, *names: str) -> set[int]:
        return {self.dossiers[n].pk for n in names}


def accept_online(cast: Cast, moment: datetime) -> Dossier:
    dossier = submitted(cast, moment.replace(hour=8))
    with at(moment):
        dossier = actions.do_accept(cast.reception, dossier)
        return actions.do_assign(cast.reception, dossier, cast.specialist)


def accept_at_counter(cast: Cast, moment: datetime) -> Dossier:
    with at(moment):
        dossier = actions.do_receive_at_counter(
            cast.reception,
            cast.procedure,
            cast.agency,
            applicant_name="Lê Văn Quầy",
            form_data=FORM,
        )
        return actions.do_assign(cast.reception, dossier, cast.specialist)


def resolve(cast: Cast, dossier: Dossier, moment: datetime) -> Dossier:
    with at(moment):
        dossier = actions.do_forward(cast.specialist, dossier)
        dossier = actions.do_forward(cast.unit_leader, dossier)
        dossier = actions.do_approve(cast.agency_leader, dossier)
        actions.add_file(cast.reception, dossier, "Phiếu LLTP.pdf", PDF, kind="result")
        return actions.do_attach_result(cast.reception, dossier)


def build(cast: Cast) -> Scenario:
    s = Scenario(cast)
    d = s.dossiers
    d["A"] = resolve(cast, accept_online(cast, local(2026, 2, 25, 9)), local(2026, 3, 9, 10))
    d["B"] = accept_online(cast, local(2026, 2, 26, 9))
    d["C"] = resolve(cast, accept_online(cast, local(2026, 2, 24, 9)), local(2026, 2, 27, 10))
    d["D"] = resolve(cast, accept_online(cast, local(2026, 3, 2, 9)), local(2026, 3, 5, 10))
    d["E"] = resolve(cast, accept_online(cast, local(2026, 3, 2, 9)), local(2026, 3, 12, 16))
    d["F"] = resolve(cast, accept_at_counter(cast, local(2026, 3, 3, 9)), local(2026, 3, 16, 10))
    g = accept_online(cast, local(2026, 3, 4, 9))
    with at(local(2026, 3, 5, 9)):
        d["G"] = actions.do_request_supplement(cast.specialist, g, ["Bản sao căn cước"])
    h = accept_online(cast, local(2026, 3, 2, 9))
    with at(local(2026, 3, 3, 10)):
        h = actions.do_request_supplement(cast.specialist, h, ["Bản sao căn cước"])
    with at(local(2026, 3, 10, 10)):
        h = actions.do_answer_supplement(cast.citizen, h)
    d["H"] = resolve(cast, h, local(2026, 3, 18, 10))
    with at(local(2026, 3, 10, 10)):
        d["I"] = actions.do_withdraw(cast.citizen, accept_online(cast, local(2026, 3, 2, 9)))
    with at(local(2026, 3, 11, 10)):
        d["J"] = actions.do_stop(
            cast.specialist, accept_online(cast, local(2026, 3, 2, 9)), "Người nộp đề nghị dừng"
        )
    with at(local(2026, 3, 6, 10)):
        d["K"] = actions.do_refuse(
            cast.specialist, accept_online(cast, local(2026, 3, 2, 9)), "Không đủ điều kiện"
        )
    with at(local(2026, 3, 2, 9)):
        d["L"] = actions.do_refuse(cast.reception, submitted(cast, local(2026, 3, 2, 8)), "Sai")
    d["M"] = submitted(cast, local(2026, 3, 9, 8))
    d["N"] = accept_at_counter(cast, local(2026, 3, 20, 9))
    d["O"] = accept_online(cast, local(2026, 3, 25, 9))
    d["P"] = accept_at_counter(cast, local(2026, 4, 1, 9))
    with at(local(2026, 3, 2, 9)):
        d["S"] = actions.do_receive_at_counter(
            cast.outsider,
            Procedure.objects.get(code=SYT_PROCEDURE),
            Agency.objects.get(code="SYT"),
            applicant_name="Phạm Thị Khám",
            form_data=SYT_FORM,
        )
    return s
