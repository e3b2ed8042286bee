"""Public media at MEDIA_URL from the default storage, for a single machine without S3
(MARQUEE_SERVE_MEDIA): WhiteNoise serves only static files, and Django's static() helper only
with DEBUG.

Only Wagtail's images and originals are served (config.storages.PUBLIC_MEDIA_PREFIXES); the
ticket PDFs live in another storage and Wagtail documents have their own view. Any name that
is not a plain relative path is a 404 before storage is asked.
"""

from __future__ import annotations

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.urls import path
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from config.storages import cache_control, is_public_media


def _clean(name: str) -> str | None:
    """The name if it is a plain relative path to public media, else None."""
    if not name or "\x00" in name or "\\" in name or ":" in name or name.startswith("/"):
        return None
    if any(part in {"", ".", ".."} for part in name.split("/")):
        return None
    return name if is_public_media(name) else None


def _open(name: str):
    """(open file, size, modified) of a stored file, or None when there is no such file."""
    try:
        handle = default_storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation):  # missing, a directory, unreadable, outside the root
        return None
    try:
        return handle, handle.size, default_storage.get_modified_time(name)
    except (OSError, SuspiciousFileOperation):
        handle.close()
        return None


@require_safe
def serve_media(request, name):
    name = _clean(name)
    found = _open(name) if name else None
    if found is None:
        raise Http404("No such media file.")
    handle, size, modified = found
    etag = f'"{int(modified.timestamp() * 1_000_000):x}-{size:x}"'
    headers = {"ETag": etag, "Last-Modified": http_date(modified.timestamp()), "Cache-Control": cache_control(name)}
    response = get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))
    if response is None and request.method == "GET":
        response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    else:  # 304 (or 412 for a failed If-Match), or the headers of a HEAD
        handle.close()
        if response is None:
            response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    if response.status_code == 200:
        response["Content-Length"] = str(size)
    return _with_headers(response, headers)


def _with_headers(response, headers: dict):
    for header, value in headers.items():
        response[header] = value
    return response


def media_urlpatterns(media_url: str) -> list:
    """The route for MEDIA_URL ("/media/") when the app serves media itself."""
    return [path(f"{media_url.strip('/')}/<path:name>", serve_media, name="media")]
