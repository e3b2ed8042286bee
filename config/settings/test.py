"""Test settings: fast hashing, in-memory e-mail, tasks run synchronously."""

from .base import *  # noqa: F403
from .base import Q_CLUSTER

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Anymail's test backend (tests/conftest.py re-applies it over pytest-django's locmem).
EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
ANYMAIL = {"WEBHOOK_SECRET": "tracker:s3cret"}
MARQUEE_SITE_URL = "http://testserver"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "tickets": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
