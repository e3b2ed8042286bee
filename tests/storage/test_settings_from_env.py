"""STORAGES, MEDIA_URL and MARQUEE_SERVE_MEDIA built from the environment: local files by
default, two S3 buckets with MEDIA_S3_BUCKET, and a clear refusal of every bad combination."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storages import IMMUTABLE, REVALIDATE, build_storages, cache_control, media_origin, media_url, serve_media

ROOT = Path(__file__).resolve().parents[2]
S3 = {
    "MEDIA_S3_BUCKET": "marquee-media",
    "TICKETS_S3_BUCKET": "marquee-tickets",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_S3_ENDPOINT_URL": "http://minio:9000",
}


def build(env, tmp_path=Path("/srv/marquee")):
    return build_storages(env, media_root=tmp_path / "media", private_root=tmp_path / "private")


def test_local_files_by_default_with_tickets_outside_media():
    storages = build({})
    assert storages["default"]["BACKEND"] == "config.storage_backends.MediaFileSystemStorage"
    assert storages["default"]["OPTIONS"]["location"] == Path("/srv/marquee/media")
    assert storages["tickets"]["OPTIONS"]["location"] == Path("/srv/marquee/private")
    assert storages["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert media_url({}) == "/media/" and serve_media({}) is True
    assert serve_media({"MARQUEE_SERVE_MEDIA": "off"}) is False


def test_tickets_inside_media_root_are_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PRIVATE_ROOT must lie outside MEDIA_ROOT"):
        build_storages({}, media_root=tmp_path, private_root=tmp_path / "private")


def test_s3_media_is_public_and_unsigned_tickets_private_and_signed():
    storages = build(S3)
    media, tickets = storages["default"], storages["tickets"]
    assert media["BACKEND"] == "config.storage_backends.PublicMediaS3Storage"
    assert media["OPTIONS"]["bucket_name"] == "marquee-media" and media["OPTIONS"]["querystring_auth"] is False
    assert media["OPTIONS"]["custom_domain"] == "minio:9000/marquee-media" and media["OPTIONS"]["url_protocol"] == "http:"
    assert tickets["BACKEND"] == "storages.backends.s3.S3Storage"
    assert tickets["OPTIONS"]["bucket_name"] == "marquee-tickets" and tickets["OPTIONS"]["custom_domain"] is None
    assert tickets["OPTIONS"]["querystring_auth"] is True and tickets["OPTIONS"]["querystring_expire"] == 300
    assert tickets["OPTIONS"]["default_acl"] == "private"
    for storage in (media, tickets):
        assert storage["OPTIONS"]["file_overwrite"] is False
        assert storage["OPTIONS"]["endpoint_url"] == "http://minio:9000"
        assert storage["OPTIONS"]["addressing_style"] == "path"
    assert media_url(S3) == "http://minio:9000/marquee-media/" and serve_media(S3) is False


def test_object_acls_can_be_left_to_bucket_policies():
    storages = build({**S3, "S3_OBJECT_ACLS": "off"})
    assert storages["default"]["OPTIONS"]["object_acls"] is False
    assert storages["tickets"]["OPTIONS"]["default_acl"] is None


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({**S3, "AWS_S3_CUSTOM_DOMAIN": "cdn.example.com"}, "https://cdn.example.com/"),
        ({**S3, "AWS_S3_CUSTOM_DOMAIN": "media.example.com/", "AWS_S3_URL_PROTOCOL": "http:"}, "http://media.example.com/"),
        (
            {"MEDIA_S3_BUCKET": "m", "TICKETS_S3_BUCKET": "t", "AWS_S3_REGION_NAME": "ap-south-1"},
            "https://m.s3.ap-south-1.amazonaws.com/",
        ),
    ],
)
def test_media_url_is_the_cdn_or_the_bucket(env, url):
    assert media_url(env) == url
    assert build(env)["default"]["OPTIONS"]["custom_domain"] == url.split("//", 1)[1].rstrip("/")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"TICKETS_S3_BUCKET": ""}, "set TICKETS_S3_BUCKET"),
        ({"TICKETS_S3_BUCKET": "marquee-media"}, "TICKETS_S3_BUCKET must not be the public MEDIA_S3_BUCKET"),
        ({"MEDIA_S3_BUCKET": ""}, "TICKETS_S3_BUCKET is set but MEDIA_S3_BUCKET is not"),
        ({"AWS_SECRET_ACCESS_KEY": ""}, "set AWS_SECRET_ACCESS_KEY too"),
        ({"AWS_ACCESS_KEY_ID": ""}, "set AWS_ACCESS_KEY_ID too"),
        ({"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, "AWS_S3_ENDPOINT_URL is set: set AWS_ACCESS_KEY_ID"),
        ({"AWS_S3_ENDPOINT_URL": "minio:9000"}, "AWS_S3_ENDPOINT_URL must be an http"),
        ({"AWS_S3_ENDPOINT_URL": ""}, "set AWS_S3_REGION_NAME"),
        ({"MARQUEE_SERVE_MEDIA": "1"}, "MARQUEE_SERVE_MEDIA is for local media"),
    ],
)
def test_bad_combinations_name_what_is_missing(change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        build({**S3, **change})


def test_aws_without_keys_uses_the_default_credential_chain():
    env = {"MEDIA_S3_BUCKET": "m", "TICKETS_S3_BUCKET": "t", "AWS_S3_REGION_NAME": "ap-south-1"}
    options = build(env)["default"]["OPTIONS"]
    assert options["access_key"] is None and options["secret_key"] is None and options["endpoint_url"] is None


def test_renditions_are_cached_forever_originals_for_an_hour():
    assert cache_control("images/dune.2e16d0ba.fill-300x450.3f9a1b2c4d5e.jpg") == IMMUTABLE
    assert cache_control("original_images/dune.png") == REVALIDATE


def settings_env(**extra):
    """The documented production environment (tests/hardening) plus `extra`."""
    from tests.hardening.test_production import DOCUMENTED_ENV, clean_env

    env = clean_env()
    env.update(DOCUMENTED_ENV, DATABASE_URL="sqlite:///" + str(ROOT / "db-check-storage.sqlite3"), **extra)
    return env


def test_the_csp_lets_pages_show_posters_from_the_bucket_or_cdn():
    assert media_origin({}) is None
    assert media_origin(S3) == "http://minio:9000"
    assert media_origin({**S3, "AWS_S3_CUSTOM_DOMAIN": "cdn.example.com/marquee"}) == "https://cdn.example.com"
    show = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=ROOT,
        env=settings_env(**S3, AWS_S3_CUSTOM_DOMAIN="cdn.example.com"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "'https://cdn.example.com'" in out.stdout and "'self'" in out.stdout


def test_production_settings_refuse_a_media_bucket_without_a_tickets_bucket():
    env = settings_env(MEDIA_S3_BUCKET="marquee-media", AWS_S3_REGION_NAME="ap-south-1")
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and "set TICKETS_S3_BUCKET" in out.stderr
