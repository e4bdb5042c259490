import os

from django.core.asgi import get_asgi_application

from config.warm import warm_and_freeze

# A server started from this module runs the production settings unless told otherwise; they
# refuse to start on an unsafe environment (config/settings/production.py, ADR 0021). The
# demo (`make run`, scripts/serve.sh, the `mispers` command) sets the development settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()

# Every view imported and the long-lived objects frozen before the first request (config/warm.py).
warm_and_freeze()
