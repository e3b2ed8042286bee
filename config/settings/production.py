"""Production: every secret from the environment, secure cookies, HSTS, hashed static files."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("LOG_FORMAT", "json")

from .base import *  # noqa: E402, F403

DEBUG = False
MARQUEE_MFA_REQUIRED_GROUPS = env_list("MARQUEE_MFA_REQUIRED_GROUPS", "Finance,superusers")  # noqa: F405
MARQUEE_PRODUCTION = True  # the sandbox payment gateway refuses to run
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "tickets": TICKETS_STORAGE,  # noqa: F405
}

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

# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
