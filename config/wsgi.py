"""The WSGI entry point gunicorn serves (config.wsgi:application)."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django.setup(set_prefix=False)

from config.handler import Handler  # noqa: E402  (after setup)

application = Handler()  # get_wsgi_application()'s handler, each request freed once answered

from django.conf import settings  # noqa: E402  (after setup)
from django.conf.urls.i18n import is_language_prefix_patterns_used  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.urls import get_resolver  # noqa: E402

# Import the URLconf (and with it every view module), build its reverse map and load the cache
# backend now, while the worker starts, not inside its first customer's request: gunicorn
# recycles each worker every ~2,000 requests, and that first request paid ~0.4 s for them.
is_language_prefix_patterns_used(settings.ROOT_URLCONF)
get_resolver().reverse_dict  # noqa: B018  (populates the reverse map)
caches["default"]

# Everything loaded so far (Django, Wagtail, the URLconf, the middleware chain: ~240,000
# objects) lives as long as the worker: freezing it keeps the collector from walking it again
# on every full collection, and a larger first generation lets a request's short-lived objects
# die between collections instead of being walked each ~700 allocations. docs/performance.md.
gc.freeze()
gc.set_threshold(20_000, 20, 20)
