from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import DocumentComponent, Fee, LegalBasis, Procedure, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "name_folded", "code"]
    prepopulated_fields = {"code": ["name"]}


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class DocumentComponentInline(admin.TabularInline):
    model = DocumentComponent
    extra = 0
    fields = [
        "order",
        "name",
        "form",
        "originals",
        "copies",
        "mandatory",
        "template_name",
        "template",
        "note",
    ]


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sector", "level", "online_level", "is_active", "updated_at"]
    list_filter = ["level", "online_level", "is_active", "sector"]
    # search_key is the folded "code name", so a search without diacritics finds procedures.
    search_fields = ["code", "name", "search_key"]
    list_select_related = ["sector"]
    autocomplete_fields = ["sector"]
    filter_horizontal = ["agencies"]
    readonly_fields = ["updated_at"]
    inlines = [FeeInline, DocumentComponentInline, LegalBasisInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "level", "agencies", "is_active"]}),
        (
            _("Thời hạn giải quyết"),
            {
                "fields": [
                    "processing_time_amount",
                    "processing_time_unit",
                    "same_day_cutoff",
                    "processing_time_note",
                ]
            },
        ),
        (
            _("Kết quả và trực tuyến"),
            {"fields": ["result", "online_level", "applicant_types", "unconfirmed_fields"]},
        ),
        (_("Biểu mẫu điện tử"), {"fields": ["eform"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        from egov.core.text import fold

        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            queryset |= self.model.objects.filter(search_key__contains=folded)
        return queryset, duplicates
