"""The WSGI entry point gunicorn serves (config.wsgi:application)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Everything loaded so far (Django, Wagtail, the URLconf, the middleware chain: ~240,000
# objects) lives as long as the worker: freezing it keeps the collector from walking it again
# on every full collection, and a larger first generation lets a request's short-lived objects
# die between collections instead of being walked each ~700 allocations. docs/performance.md.
gc.freeze()
gc.set_threshold(20_000, 20, 20)
