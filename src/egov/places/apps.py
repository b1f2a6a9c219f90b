from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "egov.places"
    verbose_name = "Đơn vị hành chính"
