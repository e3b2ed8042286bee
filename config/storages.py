"""Where media (posters, hero images, their renditions) and private ticket PDFs are stored,
built from the environment when settings load.

Local filesystem by default (MEDIA_ROOT, PRIVATE_ROOT). With MEDIA_S3_BUCKET set, both go to
S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, …) through django-storages, so every
web and worker machine sees the same files:

- media: one bucket whose images are read without signing, at MEDIA_URL (the CDN's
  AWS_S3_CUSTOM_DOMAIN when set, else the bucket's own address);
- tickets: a second bucket (TICKETS_S3_BUCKET) that is never public. A separate bucket rather
  than a prefix of the media one, so no bucket policy, CDN origin or listing that opens the
  media bucket can reach a ticket; objects are private and their only URLs are signed ones
  that expire in minutes. Customers get them through the owner-only download view.

S3_OBJECT_ACLS (on by default) sends each object's canned ACL: public-read for images,
private for everything else. Providers without object ACLs (AWS buckets with "ACLs disabled",
Cloudflare R2, MinIO) take S3_OBJECT_ACLS=off: the buckets' policies then decide, and only the
media bucket's images/ and original_images/ may be readable by anyone.

A bad combination raises ImproperlyConfigured naming what is missing, as settings load.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Wagtail writes renditions under images/ and originals under original_images/. Only these are
# public media; anything else in the default storage (Wagtail documents, which have their own
# privacy-checking view) is not served at MEDIA_URL.
RENDITIONS_PREFIX = "images/"
ORIGINALS_PREFIX = "original_images/"
PUBLIC_MEDIA_PREFIXES = (RENDITIONS_PREFIX, ORIGINALS_PREFIX)

# Rendition names carry a hash of their bytes (config.storage_backends), so one URL always
# means the same image: browsers and CDNs may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# An original's name can come back with other bytes: replacing an image's file deletes the old
# one, and the next upload of the same file name takes the freed name. An hour, then revalidate.
REVALIDATE = "public, max-age=3600"
TICKET_URL_SECONDS = 300
STATICFILES_DEFAULT = "django.contrib.staticfiles.storage.StaticFilesStorage"


def is_public_media(name: str) -> bool:
    return name.startswith(PUBLIC_MEDIA_PREFIXES)


def cache_control(name: str) -> str:
    """The Cache-Control a public media file is served with (by S3 or by our /media/ view)."""
    return IMMUTABLE if name.startswith(RENDITIONS_PREFIX) else REVALIDATE


def _value(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def uses_s3(env: Mapping[str, str]) -> bool:
    return bool(_value(env, "MEDIA_S3_BUCKET"))


def _endpoint(env: Mapping[str, str]):
    endpoint = _value(env, "AWS_S3_ENDPOINT_URL")
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"AWS_S3_ENDPOINT_URL must be an http(s):// address, not {endpoint!r}.")
    return parts


def _check_s3(env: Mapping[str, str]) -> None:
    media, tickets = _value(env, "MEDIA_S3_BUCKET"), _value(env, "TICKETS_S3_BUCKET")
    if not media:
        if tickets:
            raise ImproperlyConfigured("TICKETS_S3_BUCKET is set but MEDIA_S3_BUCKET is not: set both, or neither.")
        return
    if not tickets:
        raise ImproperlyConfigured("MEDIA_S3_BUCKET is set: set TICKETS_S3_BUCKET to a second, private bucket for ticket PDFs.")
    if tickets == media:
        raise ImproperlyConfigured("TICKETS_S3_BUCKET must not be the public MEDIA_S3_BUCKET: ticket PDFs need a private bucket.")
    key, secret = _value(env, "AWS_ACCESS_KEY_ID"), _value(env, "AWS_SECRET_ACCESS_KEY")
    if bool(key) != bool(secret):
        missing = "AWS_SECRET_ACCESS_KEY" if key else "AWS_ACCESS_KEY_ID"
        raise ImproperlyConfigured(f"MEDIA_S3_BUCKET is set with half a key pair: set {missing} too.")
    if _endpoint(env) is not None:
        if not key:
            raise ImproperlyConfigured(
                "AWS_S3_ENDPOINT_URL is set: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for that service."
            )
    elif not _value(env, "AWS_S3_REGION_NAME"):
        raise ImproperlyConfigured("MEDIA_S3_BUCKET on AWS S3: set AWS_S3_REGION_NAME (e.g. ap-south-1).")
    if env_flag(env, "MARQUEE_SERVE_MEDIA") is True:
        raise ImproperlyConfigured("MARQUEE_SERVE_MEDIA is for local media; with MEDIA_S3_BUCKET the bucket (or CDN) serves it.")


def env_flag(env: Mapping[str, str], name: str) -> bool | None:
    value = _value(env, name).lower()
    if not value:
        return None
    return value in {"1", "true", "yes", "on"}


def _public_address(env: Mapping[str, str]) -> tuple[str, str]:
    """(protocol, host[/path]) of the media bucket's public address, used as django-storages'
    custom_domain so URLs are built without signing (and without a call to S3)."""
    bucket = _value(env, "MEDIA_S3_BUCKET")
    domain = _value(env, "AWS_S3_CUSTOM_DOMAIN").strip("/")
    if domain:
        return _value(env, "AWS_S3_URL_PROTOCOL") or "https:", domain
    endpoint = _endpoint(env)
    if endpoint is not None:  # path-style: works for MinIO, R2 and any IP or local host name
        return f"{endpoint.scheme}:", f"{endpoint.netloc}{endpoint.path.rstrip('/')}/{bucket}"
    return "https:", f"{bucket}.s3.{_value(env, 'AWS_S3_REGION_NAME')}.amazonaws.com"


def media_url(env: Mapping[str, str]) -> str:
    """MEDIA_URL: /media/ for local media, the bucket's or CDN's address with S3."""
    if not uses_s3(env):
        return "/media/"
    protocol, address = _public_address(env)
    return f"{protocol}//{address}/"


def media_origin(env: Mapping[str, str]) -> str | None:
    """The origin posters load from when it is not the site's own (for the CSP's img-src)."""
    url = urlsplit(media_url(env))
    return f"{url.scheme}://{url.netloc}" if url.netloc else None


def serve_media(env: Mapping[str, str]) -> bool:
    """MARQUEE_SERVE_MEDIA: the app answers MEDIA_URL itself (on by default for local media)."""
    flag = env_flag(env, "MARQUEE_SERVE_MEDIA")
    return (not uses_s3(env)) if flag is None else flag


def _s3_connection(env: Mapping[str, str]) -> dict:
    endpoint = _value(env, "AWS_S3_ENDPOINT_URL") or None
    return {
        "access_key": _value(env, "AWS_ACCESS_KEY_ID") or None,  # None: boto3's own chain (IAM role, …)
        "secret_key": _value(env, "AWS_SECRET_ACCESS_KEY") or None,
        "region_name": _value(env, "AWS_S3_REGION_NAME") or None,
        "endpoint_url": endpoint,
        "addressing_style": _value(env, "AWS_S3_ADDRESSING_STYLE") or ("path" if endpoint else None),
        "signature_version": "s3v4",
        "file_overwrite": False,  # two uploads of "poster.jpg" must not share one object
    }


def build_storages(
    env: Mapping[str, str], *, media_root: Path, private_root: Path, staticfiles_backend: str = STATICFILES_DEFAULT
) -> dict:
    """The STORAGES setting for this environment (see the module docstring)."""
    _check_s3(env)
    staticfiles = {"BACKEND": staticfiles_backend}
    if not uses_s3(env):
        media_root, private_root = Path(media_root).resolve(), Path(private_root).resolve()
        if private_root == media_root or private_root.is_relative_to(media_root):
            raise ImproperlyConfigured("PRIVATE_ROOT must lie outside MEDIA_ROOT: ticket PDFs are never public media.")
        return {
            "default": {"BACKEND": "config.storage_backends.MediaFileSystemStorage", "OPTIONS": {"location": media_root}},
            "staticfiles": staticfiles,
            "tickets": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": private_root}},
        }
    connection = _s3_connection(env)
    acls = env_flag(env, "S3_OBJECT_ACLS") is not False
    protocol, address = _public_address(env)
    return {
        "default": {
            "BACKEND": "config.storage_backends.PublicMediaS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": _value(env, "MEDIA_S3_BUCKET"),
                "custom_domain": address,
                "url_protocol": protocol,
                "querystring_auth": False,
                "object_acls": acls,
            },
        },
        "staticfiles": staticfiles,
        "tickets": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": _value(env, "TICKETS_S3_BUCKET"),
                "custom_domain": None,  # never through the CDN
                "querystring_auth": True,
                "querystring_expire": TICKET_URL_SECONDS,
                "default_acl": "private" if acls else None,
                "object_parameters": {"CacheControl": "private, no-store", "ContentDisposition": "attachment"},
            },
        },
    }
