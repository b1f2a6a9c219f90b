from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "egov.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from egov.calendar.models import DayOverride
        from egov.calendar.services import override_changed

        def _changed(sender, **kwargs) -> None:
            override_changed()

        post_save.connect(_changed, sender=DayOverride, dispatch_uid="calendar-override-save")
        post_delete.connect(_changed, sender=DayOverride, dispatch_uid="calendar-override-delete")
