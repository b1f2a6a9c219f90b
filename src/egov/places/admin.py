from django.contrib import admin

from egov.places.models import AdminUnit, UnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind", "valid_to"]
    search_fields = ["code", "name", "name_folded"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["old_unit", "new_unit", "effective_on", "source"]
    raw_id_fields = ["old_unit", "new_unit"]
    list_select_related = ["old_unit", "new_unit"]
    search_fields = ["old_unit__code", "old_unit__name", "new_unit__code", "new_unit__name"]
