from django.urls import path

from egov.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tiep-nhan/", views.counter_intake, name="counter"),
    path("tiep-nhan/<str:dossier_id>/", views.counter_done, name="counter_done"),
    path("ho-so/<str:dossier_id>/", views.dossier_page, name="dossier"),
    path("ho-so/<str:dossier_id>/thao-tac/<str:action>/", views.dossier_action, name="action"),
]
