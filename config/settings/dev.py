"""Local development: debug on, console e-mail, the SQLite file unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["*"]
# Static files come straight from the app folders (WhiteNoise finders); nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
