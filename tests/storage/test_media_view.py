"""A single machine without S3 serves /media/ itself (MARQUEE_SERVE_MEDIA, DEBUG off): posters
and their renditions from MEDIA_ROOT with the right type, long caching for renditions and
304s; anything that is not a plain path to public media is a 404, and ticket PDFs are never
reachable there."""

from email.utils import formatdate

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from config.storages import IMMUTABLE, REVALIDATE
from tests.storage.helpers import poster

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_media(settings, tmp_path):
    """Production's local layout: media under MEDIA_ROOT, ticket PDFs in PRIVATE_ROOT beside it."""
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "config.storage_backends.MediaFileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
        "tickets": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "private"}},
    }
    assert django_settings.MARQUEE_SERVE_MEDIA
    return tmp_path


@pytest.fixture
def rendition():
    return poster().get_rendition("fill-300x450")


def test_a_rendition_is_served_with_its_type_and_a_year_long_cache(client, rendition):
    assert rendition.url.startswith("/media/images/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == IMMUTABLE
    assert response["Content-Length"] == str(rendition.file.size)
    with default_storage.open(rendition.file.name) as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_rendition_names_carry_a_hash_of_their_bytes(rendition):
    """images/dune-poster.<focal key>.fill-300x450.<sha256[:12]>.png — a changed picture is a new URL."""
    import hashlib

    with default_storage.open(rendition.file.name) as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:12]
    assert rendition.file.name.endswith(f".fill-300x450.{digest}.png")


def test_a_freed_original_name_gets_a_new_rendition_url(rendition):
    """Deleting an image frees its file names; another picture uploaded under the same file name
    takes the original's name back, but never the old rendition's URL."""
    first_original, first_url = rendition.image.file.name, rendition.url
    rendition.file.delete(save=False)  # what Wagtail's on-commit clean-up task does
    rendition.image.file.delete(save=False)
    rendition.image.delete()
    assert not default_storage.exists(first_url.removeprefix("/media/"))
    other = poster(title="Dune", colour="#1d4ed8").get_rendition("fill-300x450")
    assert other.image.file.name == first_original
    assert other.url != first_url


def test_an_original_is_served_with_a_short_cache(client, rendition):
    response = client.get(rendition.image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["Cache-Control"] == REVALIDATE


def test_the_movie_page_poster_is_served(client, movie, rendition):
    movie.poster = rendition.image
    movie.save_revision().publish()
    html = client.get(movie.url).content.decode()
    src = html.split('class="poster__img" src="', 1)[1].split('"', 1)[0]
    assert src.startswith("/media/images/")
    assert client.get(src).status_code == 200


def test_if_none_match_and_if_modified_since_get_304(client, rendition):
    first = client.get(rendition.url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    again = client.get(rendition.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again["Cache-Control"] == IMMUTABLE
    assert not again.content
    assert client.get(rendition.url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(rendition.url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert client.get(rendition.url, HTTP_IF_MODIFIED_SINCE=formatdate(0, usegmt=True)).status_code == 200


def test_head_answers_the_headers_without_the_body(client, rendition):
    response = client.head(rendition.url)
    assert response.status_code == 200
    assert response["Content-Length"] == str(rendition.file.size) and response["Content-Type"] == "image/png"
    assert not response.content
    assert client.post(rendition.url).status_code == 405


def test_a_missing_file_or_a_directory_is_404(client, rendition, local_media):
    (local_media / "media" / "images" / "folder").mkdir()
    assert client.get("/media/images/folder").status_code == 404
    assert client.get("/media/images/nothing-here.png").status_code == 404
    assert client.get(rendition.url + "x").status_code == 404
    assert client.get("/media/images/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/../original_images/dune-poster.png",
        "/media/images/%2e%2e/%2e%2e/private/tickets.pdf",
        "/media/..%2f..%2fetc/passwd",
        "/media/%2fetc/passwd",
        "/media//etc/passwd",
        "/media/images/dune%00.png",
        "/media/images%5c..%5c..%5cetc%5cpasswd",
        "/media/images/./dune-poster.png",
        "/media/C:/windows/win.ini",
        "/media/images",
    ],
)
def test_traversal_and_odd_names_are_404_never_500(client, rendition, path):
    response = client.get(path)
    assert response.status_code == 404


def test_ticket_pdfs_and_documents_are_never_served_under_media(client, local_media):
    tickets = storages["tickets"]
    name = tickets.save("tickets/2026/11/MQABCDEFGH-0011223344556677.pdf", ContentFile(b"%PDF-1.7 private"))
    assert (local_media / "private" / name).exists()
    default_storage.save("documents/price-list.pdf", ContentFile(b"%PDF-1.7 document"))
    default_storage.save("tickets/2026/11/copy.pdf", ContentFile(b"%PDF-1.7 misplaced"))
    for path in (
        f"/media/{name}",
        "/media/../private/" + name,
        "/media/documents/price-list.pdf",
        "/media/tickets/2026/11/copy.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"%PDF" not in response.content
