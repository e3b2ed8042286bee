"""The docker-compose demo: the production image and services (gunicorn, a task worker,
PostgreSQL, Redis, S3-compatible storage) on plain http://localhost, with the sandbox payment
gateway and mail printed to the worker's log. Never for real customers: production settings
refuse the sandbox, plain HTTP and local addresses."""

import os

os.environ.setdefault("LOG_FORMAT", "json")

from .base import *  # noqa: E402, F403
from .base import STORAGES  # noqa: E402

DEBUG = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
