from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from egov.api import api

urlpatterns = [
    path("", include("egov.core.urls")),
    path("", include("egov.portal.urls")),
    path("tai-khoan/", include("egov.identity.urls")),
    path("can-bo/bao-cao/", include("egov.reports.urls")),
    path("can-bo/", include("egov.workspace.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
    path("open311/v2/", include("egov.feedback.open311_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
