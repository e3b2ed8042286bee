"""Wagtail images drawn with Pillow, for the media tests."""

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model


def poster(title: str = "Dune", colour: str = "#c2410c", filename: str | None = None):
    """A 200×300 poster stored through the default storage as a Wagtail image."""
    buffer = BytesIO()
    PillowImage.new("RGB", (200, 300), colour).save(buffer, "PNG")
    name = filename or f"{title.lower()}-poster.png"
    return get_image_model().objects.create(title=f"{title} poster", file=ImageFile(buffer, name=name))
