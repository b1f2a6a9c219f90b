import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
application = get_wsgi_application()

from egov.core.profile import assert_ready_to_serve  # noqa: E402  (needs Django set up)

assert_ready_to_serve()
