"""Production: every secret from the environment, secure cookies, HSTS, hashed static files.

Loading these settings fails, naming every variable to fix, while any development default
would be used (config/settings/guards.py): web, worker and `check --deploy` alike."""

import os
from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

from .guards import production_problems, refusal_message

if problems := production_problems(os.environ):
    raise ImproperlyConfigured(refusal_message(problems))

os.environ.setdefault("LOG_FORMAT", "json")

from config.sentry import init_sentry  # noqa: E402

from .base import *  # noqa: E402, F403
from .base import MARQUEE_SITE_URL, env_list  # noqa: E402

DEBUG = False
MARQUEE_MFA_REQUIRED_GROUPS = env_list("MARQUEE_MFA_REQUIRED_GROUPS", "Finance,superusers")  # noqa: F405
MARQUEE_PRODUCTION = True  # the sandbox payment gateway refuses to run
SECRET_KEY = os.environ["SECRET_KEY"]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", MARQUEE_SITE_URL)

STORAGES = build_storages(  # noqa: F405
    os.environ,
    media_root=MEDIA_ROOT,  # noqa: F405
    private_root=PRIVATE_ROOT,  # noqa: F405
    staticfiles_backend="whitenoise.storage.CompressedManifestStaticFilesStorage",
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin iframe, so frames stay SAMEORIGIN
# (never cross-origin) and Django's advice to use DENY is deliberately silenced.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Error reports by e-mail (Django's mail_admins) to ADMINS="Ops <ops@example.com>, ...", and to
# Sentry when SENTRY_DSN is set (request errors, error log lines, failed django-q2 tasks).
ADMINS = [(name or address, address) for name, address in getaddresses(env_list("ADMINS")) if address]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
init_sentry(os.environ)
