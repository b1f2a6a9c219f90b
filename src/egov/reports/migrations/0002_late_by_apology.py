from zoneinfo import ZoneInfo

from django.db import migrations, models
from django.db.models import Count, F
from django.db.models.functions import TruncMonth

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def count_apologies_late(apps, schema_editor):
    """Dossiers resolved after an apology, but by their new appointment, were counted on time;
    since ``dossiers.0005`` they are late (egov.dossiers.deadlines.late_result)."""
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierCounter = apps.get_model("reports", "DossierCounter")
    moved = (
        Dossier.objects.filter(
            status__in=("resolved", "returned"),
            accepted_at__isnull=False,
            apologised_at__isnull=False,
        )
        .exclude(due_at__isnull=False, resolved_at__gt=F("due_at"))
        .annotate(month=TruncMonth("resolved_at", tzinfo=ZONE, output_field=models.DateField()))
        .values("agency_id", "procedure_id", "month", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for group in moved:
        n = group.pop("n")
        DossierCounter.objects.filter(**group).update(
            resolved_on_time=F("resolved_on_time") - n, resolved_late=F("resolved_late") + n
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_counters"), ("dossiers", "0005_apologised_at")]

    operations = [migrations.RunPython(count_apologies_late, migrations.RunPython.noop)]
