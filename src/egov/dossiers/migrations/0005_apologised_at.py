from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_apologised_at(apps, schema_editor):
    """The first apology in each dossier's history."""
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    apologies = DossierEvent.objects.filter(action="apologise_and_reschedule")
    first = apologies.filter(dossier=OuterRef("pk")).order_by("at").values("at")[:1]
    Dossier.objects.filter(pk__in=apologies.values("dossier")).update(
        apologised_at=Subquery(first, output_field=models.DateTimeField())
    )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_ended_at")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="apologised_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill_apologised_at, migrations.RunPython.noop),
    ]
