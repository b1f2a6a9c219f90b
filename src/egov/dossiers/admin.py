from django.contrib import admin
from django.core.exceptions import ValidationError

from egov.dossiers.models import Dossier, DossierEvent, Process, ProcessStep, ProcessTransition


class StepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ProcessTransition
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("name", "procedure")
    inlines = (StepInline, TransitionInline)

    def save_related(self, request, form, formsets, change) -> None:
        # Validate the whole process once its steps and transitions are saved; an invalid
        # process is rolled back (the admin wraps the save in a transaction).
        super().save_related(request, form, formsets, change)
        from egov.dossiers.process import validate_process

        problems = validate_process(form.instance)
        if problems:
            raise ValidationError(problems)


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in DossierEvent._meta.fields]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: every change to a dossier goes through egov.dossiers.actions."""

    list_display = ("code", "procedure", "agency", "status", "due_at")
    list_filter = ("status", "channel")
    search_fields = ("code", "search_key")
    inlines = (EventInline,)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
