"""The deploy kit's shape: docker-compose.yml (not run here: no Docker engine in CI) serves the
demo with web, worker, PostgreSQL, Redis and S3-compatible storage, each stateful service on
its own volume; .env.example lists every variable the code reads."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r"""(?:os\.environ\.get|os\.environ\.setdefault|os\.getenv|env_bool|env_list|env\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']|os\.environ\[["']([A-Z][A-Z0-9_]+)["']\]"""
)
# Read by the code but set by the code itself, never by an operator.
INTERNAL = {"RUN_MAIN"}  # Django's autoreloader marks its child process (home/management/commands/serve.py)
RUNTIME_CODE = ["config", "home", "cinema", "ticketing", "wallet"]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_the_demo_needs(compose):
    services = compose["services"]
    assert {"web", "worker", "db", "redis", "minio", "migrate", "buckets"} <= set(services)
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert services["worker"]["command"] == ["python", "manage.py", "qcluster"]
    assert "seed_demo" in " ".join(services["migrate"]["command"])
    for name in ("web", "worker", "migrate"):
        assert services[name]["build"] == "."
        assert services[name]["depends_on"], name


def test_stateful_services_keep_their_data_on_named_volumes(compose):
    declared = set(compose["volumes"])
    for name, path in (("db", "/var/lib/postgresql/data"), ("redis", "/data"), ("minio", "/data")):
        mounts = compose["services"][name]["volumes"]
        volume = next(mount.split(":")[0] for mount in mounts if mount.endswith(":" + path))
        assert volume in declared, name


def test_web_waits_for_migrations_which_wait_for_healthy_services(compose):
    services = compose["services"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["worker"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    waits = services["migrate"]["depends_on"]
    assert waits["db"]["condition"] == waits["redis"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_published_ports_listen_on_loopback_only(compose):
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), name


def test_every_compose_variable_is_documented(compose):
    documented = documented_variables()
    for name in compose["services"]["web"]["environment"]:
        assert name in documented, name


def documented_variables() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            names.add(line.split("=", 1)[0].strip())
    return names


def variables_read_by_the_code() -> set[str]:
    files = [ROOT / "gunicorn.conf.py", *[path for folder in RUNTIME_CODE for path in (ROOT / folder).rglob("*.py")]]
    names = set()
    for path in files:
        if "migrations" in path.parts:
            continue
        for match in READS.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def test_env_example_lists_every_variable_the_code_reads():
    read = variables_read_by_the_code()
    assert {"SECRET_KEY", "REDIS_URL", "MARQUEE_SITE_URL", "SENTRY_DSN", "GUNICORN_THREADS"} <= read  # the scan works
    missing = sorted(read - INTERNAL - documented_variables())
    assert missing == [], f"add to .env.example: {missing}"


def test_env_example_marks_what_production_requires():
    text = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "EMAIL_ESP", "MARQUEE_SITE_URL", "REDIS_URL", "MARQUEE_TRUSTED_PROXY_COUNT"):
        block = text.split(f"\n{name}=")[0].rsplit("\n", 2)[-1]
        assert "REQUIRED" in block, name
