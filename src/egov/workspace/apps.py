from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "egov.workspace"
    verbose_name = "Bàn làm việc của cán bộ"
