"""`egov demo`: realistic dossiers through the real actions, with consistent histories."""

import itertools
import random
from collections import Counter
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from egov.catalog.eforms import validate_form_data
from egov.catalog.models import Procedure
from egov.dossiers.demo import fill_form, generate, tiny_pdf
from egov.dossiers.models import Dossier, DossierEvent, DossierFile, Status
from egov.identity.models import User

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
END = datetime(2026, 6, 15, 10, 0, tzinfo=ZONE)

# What each status requires to have happened, as events in the dossier's history.
REQUIRED_EVENTS = {
    Status.SUBMITTED: {"submit"},
    Status.RECEIVED: {"accept"},
    Status.PROCESSING: {"accept", "assign"},
    Status.RESOLVED: {"accept", "approve", "attach_result"},
    Status.RETURNED: {"accept", "approve", "attach_result", "return_result"},
    Status.WITHDRAWN: {"withdraw"},
    Status.REFUSED: {"refuse"},
    Status.STOPPED: {"stop"},
    Status.SUPPLEMENT: {"request_supplement"},
}


@pytest.fixture
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db, fast):
    out = StringIO()
    summary = generate(40, 3, seed=7, out=out, citizens=3, end=END)
    return summary, out.getvalue()


def test_it_produces_the_mix(demo):
    summary, output = demo
    assert summary.failures == []
    assert summary.created == 40 == Dossier.objects.count()
    channels = Counter(Dossier.objects.values_list("channel", flat=True))
    assert channels["online"] >= 10 and channels["counter"] >= 8
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert statuses[Status.RETURNED] >= 20  # most are resolved and returned
    assert len(statuses) >= 3
    assert Dossier.objects.exclude(rating="").exists()
    assert "demo: 40/40 dossiers" in output
    # The procedures lean towards civil status and certification.
    common = Dossier.objects.filter(
        procedure__sector__name__in=("Hộ tịch", "Chứng thực", "Lý lịch tư pháp")
    ).count()
    assert common >= 15


def test_every_dossier_has_a_consistent_history(demo):
    for dossier in Dossier.objects.prefetch_related("events", "files"):
        events = list(dossier.events.order_by("at", "id"))
        actions = [e.action for e in events]
        assert actions[0] in ("create", "receive_at_counter"), dossier
        assert REQUIRED_EVENTS[dossier.status] <= set(actions), (dossier.status, actions)
        # Each event starts where the previous one ended, in time order, before the end.
        for before, after in itertools.pairwise(events):
            assert before.at <= after.at
            if after.from_status and before.to_status:
                assert after.from_status == before.to_status, actions
        assert events[-1].to_status == dossier.status
        assert all(e.at <= END for e in events)
        if dossier.accepted_at:
            assert dossier.code and dossier.due_at and dossier.due_at > dossier.accepted_at
            local_day = dossier.accepted_at.astimezone(ZONE)
            assert dossier.code.startswith(f"{dossier.agency.code}-{local_day:%y%m%d}-")
            assert dossier.code.lower() in dossier.search_key
        if dossier.channel == "online":
            assert dossier.created_at <= dossier.submitted_at <= END
        components = [f for f in dossier.files.all() if f.kind == DossierFile.Kind.COMPONENT]
        mandatory = dossier.procedure.components.filter(mandatory=True).count()
        if dossier.status != Status.DRAFT:
            assert len(components) >= min(mandatory, 1) or dossier.channel == "counter"
        for f in components:
            assert f.content_type == "application/pdf" and f.size < 2000


def test_codes_are_unique_and_some_are_late(demo):
    summary, _ = demo
    codes = list(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) >= 30
    assert summary.late >= 1
    late = [
        d
        for d in Dossier.objects.exclude(resolved_at=None).exclude(due_at=None)
        if d.resolved_at > d.due_at
    ]
    assert late  # some were resolved after their appointment
    assert DossierEvent.objects.filter(action="request_supplement").exists()


def test_it_is_deterministic_with_a_seed(db, fast):
    first = generate(12, 2, seed=3, citizens=2, end=END)
    shape = sorted(Dossier.objects.values_list("procedure__code", "channel", "status"))
    Dossier.objects.all().delete()
    second = generate(12, 2, seed=3, citizens=2, end=END)
    assert sorted(Dossier.objects.values_list("procedure__code", "channel", "status")) == shape
    assert first.by_status == second.by_status


def test_a_second_run_adds_more(demo):
    summary = generate(10, 3, seed=8, citizens=3, end=END)
    assert summary.failures == []
    assert Dossier.objects.count() == 50
    codes = list(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    # The demo officials were reused, not duplicated.
    assert not User.objects.filter(username__endswith="-2").exists()
    assert User.objects.filter(is_demo=True, kind="staff").count() > 5


def test_the_attachments_are_real_pdfs():
    pdf = tiny_pdf("Giay khai sinh")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[xref : xref + 4] == b"xref"


def test_the_command_prints_a_summary(db, fast, settings):
    out = StringIO()
    call_command("demo", "--dossiers", "5", "--months", "1", "--citizens", "1", stdout=out)
    text = out.getvalue()
    assert "demo: 5 dossiers" in text and "by status:" in text and "by channel:" in text


def test_it_refuses_the_production_profile(db, settings):
    settings.PROFILE = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--dossiers", "5", stdout=StringIO())
    assert not Dossier.objects.exists()


def test_the_generated_forms_are_valid_for_every_procedure(db):
    person = {"name": "Lê Thị Hoa", "phone": "0912345678", "id_number": "072190001234"}
    for procedure in Procedure.objects.all():
        for seed in range(5):
            data = fill_form(procedure, random.Random(seed), person)
            assert validate_form_data(procedure.eform, data)[1] == {}, procedure.code
