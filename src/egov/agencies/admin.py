from django.contrib import admin

from egov.agencies.models import Agency, StaffRole, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "place", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "name_folded", "short_name"]
    raw_id_fields = ["place", "parent"]
    list_select_related = ["place"]
    inlines = [UnitInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "unit", "created_at"]
    list_filter = ["role", "agency__level"]
    search_fields = ["user__username", "user__full_name", "agency__code", "agency__name"]
    raw_id_fields = ["user", "agency", "unit"]
    list_select_related = ["user", "agency", "unit"]
