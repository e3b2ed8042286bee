"""Storage classes for public media, on the local filesystem or S3-compatible object storage.

Wagtail names a rendition after its original, its focal point and its filter spec
("images/dune.2e16d0ba.fill-300x450.jpg"). That name can come back with other bytes: when an
image's file is replaced, the old original and its renditions are deleted, and a later upload
of the same file name takes the freed names. Renditions are served with a year-long,
immutable cache, so each one's name here also carries a hash of its bytes: a URL is never
re-used for a different picture. Originals keep Wagtail's names and a short cache
(config.storages.cache_control).
"""

from __future__ import annotations

import hashlib
import posixpath

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from config.storages import RENDITIONS_PREFIX, cache_control, is_public_media

HASH_LENGTH = 12


def content_hashed_name(name: str, content) -> str:
    """ "images/dune.fill-300x450.jpg" → "images/dune.fill-300x450.<sha256[:12]>.jpg"."""
    digest = hashlib.sha256()
    for chunk in content.chunks():
        digest.update(chunk)
    root, extension = posixpath.splitext(name)
    return f"{root}.{digest.hexdigest()[:HASH_LENGTH]}{extension}"


class ContentHashedRenditionsMixin:
    def save(self, name, content, max_length=None):
        name = name or content.name
        if name and name.startswith(RENDITIONS_PREFIX):
            if not hasattr(content, "chunks"):
                content = File(content, name)
            name = content_hashed_name(name, content)
        return super().save(name, content, max_length=max_length)


class MediaFileSystemStorage(ContentHashedRenditionsMixin, FileSystemStorage):
    """Local media (MEDIA_ROOT), served by config.media_views when MARQUEE_SERVE_MEDIA is on."""


class PublicMediaS3Storage(ContentHashedRenditionsMixin, S3Storage):
    """The media bucket: unsigned URLs; each object carries the Cache-Control our /media/ view
    would send and, with object ACLs on, public-read for images only (private otherwise)."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "object_acls": True}

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        public = is_public_media(name.removeprefix(self.location).lstrip("/"))
        params.setdefault("CacheControl", cache_control(name) if public else "private, no-cache")
        if self.object_acls:
            params.setdefault("ACL", "public-read" if public else "private")
        return params
