from django.urls import path

from egov.workspace import feedback_views as feedback
from egov.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tiep-nhan/", views.counter_intake, name="counter"),
    path("tiep-nhan/<str:dossier_id>/", views.counter_done, name="counter_done"),
    path("ho-so/<str:dossier_id>/", views.dossier_page, name="dossier"),
    path("ho-so/<str:dossier_id>/thao-tac/<str:action>/", views.dossier_action, name="action"),
    path("phan-anh/", feedback.inbox, name="feedback_inbox"),
    path("phan-anh/<str:code>/", feedback.item_page, name="feedback_item"),
    path("phan-anh/<str:code>/thao-tac/<str:name>/", feedback.action, name="feedback_action"),
    path("phan-anh/<str:code>/anh/<uuid:photo_id>/", feedback.photo, name="feedback_photo"),
]
