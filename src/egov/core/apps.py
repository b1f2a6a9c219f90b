from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "egov.core"
    verbose_name = "Nền tảng"
