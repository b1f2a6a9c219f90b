"""Background tasks of the notify app (the django.tasks API; run by ``egov worker``)."""

from django_tasks import task

from egov.notify import services


@task()
def send_message(message_id: int) -> str:
    """Deliver one :class:`~egov.notify.models.Message`; safe to run more than once."""
    return services.deliver(message_id)
