from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from egov.dossiers.models import Dossier, DossierEvent, Process, ProcessStep, ProcessTransition
from egov.dossiers.process import validate_process


class InvalidProcess(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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
        # The whole process can only be judged once its steps and transitions are saved.
        super().save_related(request, form, formsets, change)
        problems = validate_process(form.instance)
        if problems:
            raise InvalidProcess(problems)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InvalidProcess as exc:
            # The admin saves inside a transaction, so leaving it by the exception undid the
            # save; say why, on the same page.
            for problem in exc.problems:
                self.message_user(request, problem, messages.ERROR)
            self.message_user(request, _("Quy trình chưa được lưu."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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
