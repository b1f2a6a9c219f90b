"""The reports' fixtures: the dossiers' cast (tests/dossiers/conftest.py) and a full path helper."""

from datetime import datetime

from egov.dossiers import actions
from tests.dossiers.conftest import FORM, PDF, Cast, accepted, at, cast, local, submitted  # noqa: F401


def resolve(people: Cast, dossier, moment: datetime, *, rating: str = "", result_file=True):
    """Play an accepted dossier through handling to a returned result at ``moment``."""
    with at(moment):
        if dossier.assignee_id is None:
            dossier = actions.do_assign(people.reception, dossier, people.specialist)
        dossier = actions.do_forward(people.specialist, dossier)
        dossier = actions.do_forward(people.unit_leader, dossier)
        dossier = actions.do_approve(people.agency_leader, dossier)
        if result_file:
            actions.add_file(people.reception, dossier, "Kết quả.pdf", PDF, kind="result")
        dossier = actions.do_attach_result(people.reception, dossier)
        dossier = actions.do_return_result(people.reception, dossier)
        if rating:
            dossier = actions.do_rate(people.citizen, dossier, rating)
    return dossier
