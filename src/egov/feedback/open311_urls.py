"""``/open311/v2/``: every resource takes its format as an extension (``services.json``)."""

from django.urls import re_path

from egov.feedback import open311

app_name = "open311"
FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, open311.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + FORMAT, open311.service_definition,
            name="service"),
    re_path(r"^requests" + FORMAT, open311.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+?)" + FORMAT, open311.request_detail,
            name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FORMAT, open311.token_detail, name="token"),
    re_path(r"^(?P<path>.*)$", open311.unknown_resource),
]  # fmt: skip
