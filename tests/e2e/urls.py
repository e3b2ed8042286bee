"""The project's URLs plus media served from the default storage (in-memory in tests)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def media(request, name):
    if not default_storage.exists(name):
        raise Http404(name)
    return FileResponse(default_storage.open(name))


urlpatterns = [path("media/<path:name>", media), *project_urlpatterns]
