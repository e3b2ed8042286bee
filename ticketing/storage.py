"""Ticket PDFs live in their own storage, never under MEDIA_URL: only the owner's view serves them."""

from django.core.files.storage import storages


def tickets_storage():
    return storages["tickets"]
