"""Pre-aggregated dossier counters for the leaders' dashboard and the service-quality index.

One row per (competent agency, procedure, local month, channel). Each dossier contributes to at
most two rows, by the rules of :func:`egov.reports.counters.contribution` (written out in
``docs/dashboard.md``): it is *received* in the month of its acceptance and *resolved* (on time
or late), *refused* or *rated* in the month of its resolution. The counters are kept equal to
that contribution summed over every dossier, in the same transaction as each change, so the
dashboard reads a few hundred rows instead of scanning the dossiers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The measures a row holds, in the order the rebuild and the tests list them.
MEASURES = (
    "received",
    "resolved_on_time",
    "resolved_late",
    "refused",
    "refused_at_reception",
    "withdrawn",
    "stopped",
    "rated_satisfied",
    "rated_neutral",
    "rated_dissatisfied",
)


class DossierCounter(models.Model):
    agency = models.ForeignKey(
        "agencies.Agency", models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", models.CASCADE, related_name="+", verbose_name=_("thủ tục")
    )
    month = models.DateField(_("tháng"))  # the first day of the month, Asia/Ho_Chi_Minh
    channel = models.CharField(_("kênh nộp"), max_length=8)
    # Accepted in the month (the cohort's withdrawals and stops are counted with it).
    received = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    # Ended in the month.
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    refused_at_reception = models.IntegerField(default=0)
    rated_satisfied = models.IntegerField(default=0)
    rated_neutral = models.IntegerField(default=0)
    rated_dissatisfied = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp hồ sơ")
        verbose_name_plural = _("số liệu tổng hợp hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "month", "channel"], name="one_counter_per_key"
            )
        ]
        indexes = [models.Index(fields=["month", "agency"])]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id} {self.month:%Y-%m} {self.channel}"
