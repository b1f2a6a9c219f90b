"""The feedback admin: categories are edited here; items are read here (officials act through
the workspace, so every change goes through the services and their history); Open311 clients
are issued here (the key is shown once) and revoked."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.feedback import loaders
from egov.feedback.models import ApiClient, Category, Item, ItemEvent, ItemPhoto
from egov.feedback.open311_keys import issue_key, revoke_key


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = (
            "code",
            "name",
            "description",
            "kind",
            "local",
            "agency",
            "deadline_days",
            "attributes",
            "open311",
            "active",
            "order",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("local") is False and not cleaned.get("agency"):
            self.add_error("agency", _("Lĩnh vực không theo địa bàn cần cơ quan tiếp nhận."))
        attributes = cleaned.get("attributes")
        if not isinstance(attributes, list):
            self.add_error("attributes", _("Thông tin bổ sung phải là một danh sách."))
        else:
            try:
                loaders.check_attributes(cleaned.get("code") or "", attributes)
            except loaders.CategoryDataError as exc:
                self.add_error("attributes", str(exc))
        return cleaned


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ("code", "name", "kind", "agency", "local", "deadline_days", "open311", "active")
    list_filter = ("kind", "local", "open311", "active")
    search_fields = ("code", "name")
    ordering = ("kind", "order", "name")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PhotoInline(ReadOnlyInline):
    model = ItemPhoto
    fields = ("original_name", "content_type", "size", "uploaded_at")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ItemEvent
    fields = ("at", "action", "from_status", "to_status", "agency", "actor", "note")
    readonly_fields = fields


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "kind",
        "category",
        "status",
        "current_agency",
        "submitted_at",
        "due_at",
        "hidden",
    )
    list_filter = ("kind", "status", "hidden", "channel", "category")
    search_fields = ("code", "title")
    date_hierarchy = "submitted_at"
    list_select_related = ("category", "current_agency")
    inlines = (PhotoInline, EventInline)
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Item._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ("name", "contact")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ("name", "key_prefix", "contact", "created_at", "last_used", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "key_prefix")
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("key_prefix", "created_by", "created_at", "last_used", "revoked_at")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = issue_key(obj.name, contact=obj.contact, created_by=request.user)
        obj.pk, obj.key_hash, obj.key_prefix = client.pk, client.key_hash, client.key_prefix
        obj._state.adding = False
        self.message_user(
            request,
            _("Khóa API của “%(name)s” (chỉ hiển thị một lần, hãy lưu lại ngay): %(key)s")
            % {"name": client.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Thu hồi khóa API đã chọn"))
    def revoke(self, request, queryset) -> None:
        count = sum(revoke_key(client) for client in queryset)
        self.message_user(request, _("Đã thu hồi %(n)s khóa.") % {"n": count}, messages.SUCCESS)
