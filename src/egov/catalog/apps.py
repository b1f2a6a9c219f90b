from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "egov.catalog"
    verbose_name = "Thủ tục hành chính"
