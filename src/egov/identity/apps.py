from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "egov.identity"
    verbose_name = "Tài khoản"
