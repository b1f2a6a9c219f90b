"""The platform's HTTP API: one NinjaAPI, each bounded context adds its router under /api/v1/."""

from ninja import NinjaAPI

from egov.agencies.api import router as agencies_router
from egov.calendar.api import router as calendar_router
from egov.catalog.api import router as catalog_router
from egov.core.api_errors import install_error_handlers
from egov.dossiers.api import router as dossiers_router
from egov.dossiers.api import workspace_router
from egov.feedback.api import router as feedback_router
from egov.identity.api import router as identity_router
from egov.places.api import router as places_router
from egov.reports.api import router as reports_router

api = NinjaAPI(
    title="egov API",
    version="1",
    description="API của nền tảng chính quyền số tỉnh — the provincial digital-government API.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/v1/places", places_router)
api.add_router("/v1/agencies", agencies_router)
api.add_router("/v1/calendar", calendar_router)
api.add_router("/v1/procedures", catalog_router)
api.add_router("/v1/auth", identity_router)
api.add_router("/v1/dossiers", dossiers_router)
api.add_router("/v1/workspace", workspace_router)
api.add_router("/v1/reports", reports_router)
api.add_router("/v1/feedback", feedback_router)
