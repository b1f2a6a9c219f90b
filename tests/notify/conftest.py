"""Fixtures for the notify tests: an applicant, an event context, the fake SMS gateway over real
HTTP, and the real django-tasks-db worker's task runner driven in-process."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from egov.identity import services as identity
from egov.notify.fake_gateway import FakeSmsGateway

# 02:30 UTC is 09:30 in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
DUE_AT = datetime(2025, 8, 15, 2, 30, tzinfo=UTC)


@pytest.fixture
def applicant(db):
    return identity.register_citizen(
        full_name="Trần Thị Bích Ngọc",
        password="Cay-xoai-9-nhanh",
        citizen_id="079203001234",
        phone="0912345678",
        email="ngoc@example.vn",
    )


@pytest.fixture
def context() -> dict[str, Any]:
    return {
        "dossier_code": "STP-250812-0007",
        "procedure_name": "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
        "agency_name": "Sở Tư pháp tỉnh Tây Ninh",
        "applicant_name": "Trần Thị Bích Ngọc",
        "due_at": DUE_AT,
        "tracking_url": "/tra-cuu/?ma=STP-250812-0007",
        "reason": "Bản sao căn cước không rõ nét",
        "missing_items": ["Bản sao căn cước công dân", "Tờ khai yêu cầu cấp phiếu"],
        "official_name": "Lê Văn Hùng",
    }


@pytest.fixture
def gateway(settings):
    with FakeSmsGateway(api_key="test-key") as fake:
        settings.EGOV_SMS_GATEWAY_URL = fake.url
        settings.EGOV_SMS_API_KEY = fake.api_key
        yield fake


class InProcessWorker:
    """The django-tasks-db worker's own claim and ``run_task``, one task at a time.

    ``db_worker`` itself calls ``close_old_connections()``, which would close the connection
    that holds the test's transaction; everything else is the real worker.
    """

    def __init__(self) -> None:
        self.worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )

    def run_ready(self) -> int:
        """Run every task that is due now; return how many ran."""
        ran = 0
        while True:
            ready = DBTaskResult.objects.ready().filter(backend_name="default")
            with exclusive_transaction(ready.db):
                task_result = ready.get_locked()
                if task_result is not None:
                    task_result.claim("test-worker")
            if task_result is None:
                return ran
            self.worker.run_task(task_result)
            ran += 1

    @staticmethod
    def deferred() -> list[DBTaskResult]:
        return list(DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()))

    def make_deferred_due(self) -> int:
        """Let time pass: tasks deferred to the future become due now."""
        return DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).update(
            run_after=timezone.now()
        )


@pytest.fixture
def worker(db) -> InProcessWorker:
    return InProcessWorker()
