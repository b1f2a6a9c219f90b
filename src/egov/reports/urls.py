from django.urls import path

from egov.reports import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="report"),
    path("ho-so/", views.report_dossiers, name="report_dossiers"),
    path("tai-ve.<str:kind>", views.report_download, name="report_download"),
    path("dieu-hanh/", dashboard_views.dashboard_page, name="dashboard"),
    path("chi-so-766/", dashboard_views.quality_page, name="quality"),
]
