from django.urls import path

from egov.portal import applicant_views as mine
from egov.portal import feedback_views as feedback
from egov.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedures, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/nop-ho-so/", mine.start, name="start"),
    path("ho-so/", mine.my_dossiers, name="my_dossiers"),
    path("ho-so/<uuid:dossier_id>/", mine.dossier, name="dossier"),
    path("ho-so/<uuid:dossier_id>/to-khai/", mine.dossier_form, name="dossier_form"),
    path("ho-so/<uuid:dossier_id>/giay-to/", mine.dossier_files, name="dossier_files"),
    path("ho-so/<uuid:dossier_id>/nop/", mine.submit, name="submit"),
    path("ho-so/<uuid:dossier_id>/bo-sung/", mine.answer_supplement, name="answer_supplement"),
    path("ho-so/<uuid:dossier_id>/rut/", mine.withdraw, name="withdraw"),
    path("ho-so/<uuid:dossier_id>/danh-gia/", mine.rate, name="rate"),
    path("ho-so/<uuid:dossier_id>/tep/<uuid:file_id>/", mine.download, name="download"),
    path("ho-so/<uuid:dossier_id>/tep/<uuid:file_id>/xoa/", mine.remove_file, name="remove_file"),
    path("tra-cuu/", mine.track, name="track"),
    path("phan-anh/", feedback.home, name="feedback_home"),
    path("phan-anh/gui/<slug:slug>/", feedback.send, name="feedback_send"),
    path("phan-anh/da-gui/<str:code>/", feedback.sent, name="feedback_sent"),
    path("phan-anh/tra-cuu/", feedback.follow, name="feedback_follow"),
    path("phan-anh/tra-cuu/<str:code>/", feedback.item_page, name="feedback_item"),
    path("phan-anh/tra-cuu/<str:code>/danh-gia/", feedback.rate, name="feedback_rate"),
    path("phan-anh/tra-cuu/<str:code>/mo-lai/", feedback.reopen, name="feedback_reopen"),
    path("phan-anh/tra-cuu/<str:code>/anh/<uuid:photo_id>/", feedback.photo, name="feedback_photo"),
    path("phan-anh/cua-toi/", feedback.mine, name="feedback_mine"),
    path("phan-anh/cong-khai/", feedback.public, name="feedback_public"),
]
