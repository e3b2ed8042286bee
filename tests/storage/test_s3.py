"""Media and ticket PDFs on S3-compatible object storage, against a local S3 server (moto's)
started by this module, with STORAGES built by config.storages from an environment.

Posters: stored in the media bucket, rendition URLs under MEDIA_URL and unsigned, readable
without credentials, each object with its Cache-Control and a public-read ACL. Ticket PDFs: in
the private bucket only, private ACL, signed short-lived URLs; the owner downloads them through
/bookings/<ref>/tickets.pdf, anyone else gets 404. (moto does not enforce ACLs, so privacy is
asserted on the objects' ACLs and on where they are stored.)"""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from config.storages import IMMUTABLE, REVALIDATE, build_storages, media_url
from tests.fixtures.checkout import signed_in
from tests.storage.helpers import poster
from ticketing.models import Booking

pytestmark = pytest.mark.django_db

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture(scope="module")
def s3_env():
    """One moto server on 127.0.0.1 for the module, its two buckets, and the environment that
    points Marquee at it. Proxy variables are cleared so no S3 request leaves this machine."""
    with pytest.MonkeyPatch.context() as patch:
        for name in PROXY_VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        patch.setenv("no_proxy", "127.0.0.1,localhost")
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        env = {
            "MEDIA_S3_BUCKET": "marquee-media",
            "TICKETS_S3_BUCKET": "marquee-tickets",
            "AWS_ACCESS_KEY_ID": "test-key",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ENDPOINT_URL": f"http://{host}:{port}",
        }
        client = s3_client(env)
        for bucket in (env["MEDIA_S3_BUCKET"], env["TICKETS_S3_BUCKET"]):
            client.create_bucket(Bucket=bucket)
        try:
            yield env
        finally:
            server.stop()


def s3_client(env):
    return boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_S3_REGION_NAME"],
        config=Config(proxies={}, s3={"addressing_style": "path"}),
    )


@pytest.fixture(autouse=True)
def on_s3(s3_env, settings, tmp_path, monkeypatch):
    """Settings as production builds them from s3_env; the tickets field follows STORAGES."""
    settings.STORAGES = build_storages(s3_env, media_root=tmp_path / "media", private_root=tmp_path / "private")
    settings.MEDIA_URL = media_url(s3_env)
    monkeypatch.setattr(Booking._meta.get_field("tickets_pdf"), "storage", storages["tickets"])
    return s3_client(s3_env)


def anonymous_get(url):
    """GET without credentials and without any proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.status, response.read()


def test_a_poster_rendition_is_public_unsigned_and_cached_forever(on_s3, s3_env, settings):
    rendition = poster().get_rendition("fill-300x450")
    url = rendition.url
    endpoint = s3_env["AWS_S3_ENDPOINT_URL"]
    assert endpoint + "/marquee-media/" == settings.MEDIA_URL
    assert url.startswith(settings.MEDIA_URL + "images/dune-poster.") and url.endswith(".png")
    assert "?" not in url and "Signature" not in url

    status, body = anonymous_get(url)
    stored = on_s3.get_object(Bucket="marquee-media", Key=rendition.file.name)
    assert status == 200 and body == stored["Body"].read()
    assert stored["CacheControl"] == IMMUTABLE and stored["ContentType"] == "image/png"
    grants = on_s3.get_object_acl(Bucket="marquee-media", Key=rendition.file.name)["Grants"]
    assert {"Type": "Group", "URI": ALL_USERS} in [grant["Grantee"] for grant in grants if grant["Permission"] == "READ"]


def test_the_original_has_a_short_cache_and_two_uploads_never_share_an_object(on_s3):
    first, second = poster(colour="#111111"), poster(colour="#eeeeee")
    assert first.file.name != second.file.name
    head = on_s3.head_object(Bucket="marquee-media", Key=first.file.name)
    assert head["CacheControl"] == REVALIDATE
    assert on_s3.head_object(Bucket="marquee-media", Key=second.file.name)["ContentLength"] == second.file.size


def test_a_custom_domain_puts_media_urls_on_the_cdn(s3_env, settings):
    env = {**s3_env, "AWS_S3_CUSTOM_DOMAIN": "cdn.example.test"}
    settings.STORAGES = build_storages(env, media_root=settings.MEDIA_ROOT, private_root=settings.BASE_DIR / "private")
    rendition = poster().get_rendition("fill-120x180")
    assert media_url(env) == "https://cdn.example.test/"
    assert rendition.url.startswith("https://cdn.example.test/images/") and "?" not in rendition.url


def test_a_ticket_pdf_is_private_signed_and_only_in_the_tickets_bucket(on_s3):
    name = storages["tickets"].save("tickets/2026/11/MQABCDEFGH-00aa11bb22cc33dd.pdf", ContentFile(b"%PDF-1.7 private"))
    head = on_s3.head_object(Bucket="marquee-tickets", Key=name)
    assert head["CacheControl"] == "private, no-store"
    assert name not in [item["Key"] for item in on_s3.list_objects_v2(Bucket="marquee-media").get("Contents", [])]
    grants = on_s3.get_object_acl(Bucket="marquee-tickets", Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants)
    query = parse_qs(urlsplit(storages["tickets"].url(name)).query)
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]


def test_the_owner_downloads_the_stored_pdf_and_another_customer_gets_404(on_s3, as_alice, bob, confirmed):
    response = as_alice.get(f"/bookings/{confirmed.reference}/tickets.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    downloaded = b"".join(response.streaming_content)
    name = Booking.objects.get(pk=confirmed.pk).tickets_pdf.name
    stored = on_s3.get_object(Bucket="marquee-tickets", Key=name)["Body"].read()
    assert downloaded.startswith(b"%PDF") and downloaded == stored
    again = as_alice.get(f"/bookings/{confirmed.reference}/tickets.pdf")  # now read back from the bucket
    assert b"".join(again.streaming_content) == stored

    other = signed_in(bob).get(f"/bookings/{confirmed.reference}/tickets.pdf")
    assert other.status_code == 404 and b"%PDF" not in other.content


def test_deleting_an_image_removes_its_objects_from_the_bucket(on_s3, django_capture_on_commit_callbacks):
    """Wagtail's clean-up task rebuilds the media storage from its deconstructed form."""
    rendition = poster().get_rendition("fill-120x180")
    keys = {rendition.file.name, rendition.image.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        rendition.image.delete()
    left = {item["Key"] for item in on_s3.list_objects_v2(Bucket="marquee-media").get("Contents", [])}
    assert keys and not keys & left
