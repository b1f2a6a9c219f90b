from django.contrib import admin

from egov.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by ``notify`` and the worker, never by hand."""

    list_display = [
        "created_at",
        "event_key",
        "channel",
        "template",
        "address",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template"]
    search_fields = ["event_key", "address", "reference"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False  # a count(*) over millions of rows on every page is slow

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
