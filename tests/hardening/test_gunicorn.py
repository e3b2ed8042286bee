"""The image's gunicorn (gunicorn.conf.py): threaded workers, keep-alive longer than a balancer's
idle timeout, jittered worker recycling, JSON access lines; /healthz answered to a balancer that
probes by IP over plain HTTP, while every other page still validates its Host."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.hardening.test_production import DOCUMENTED_ENV, clean_env
from tests.ticketing.test_task_system import redis_up

ROOT = Path(__file__).resolve().parents[2]


def load_config(env: dict[str, str]) -> dict:
    code = "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); print(json.dumps({k: v for k, v in c.items() if k.islower() and isinstance(v, (int, str, bool))}))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean_env(), **env}, capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_defaults_suit_a_load_balancer_and_slow_gateway_calls():
    config = load_config({})
    assert config["worker_class"] == "gthread" and config["threads"] >= 2
    assert config["keepalive"] > 60  # AWS ALB's default idle timeout
    assert config["timeout"] > 25  # MARQUEE_GATEWAY_DEADLINE answers the customer first
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["accesslog"] == "-" and config["logger_class"] == "config.gunicorn_logging.JsonLogger"
    assert config["bind"] == "0.0.0.0:8000"


def test_the_environment_tunes_it():
    config = load_config({"WEB_CONCURRENCY": "5", "GUNICORN_THREADS": "8", "PORT": "9000", "GUNICORN_KEEPALIVE": "120"})
    assert (config["workers"], config["threads"], config["bind"], config["keepalive"]) == (5, 8, "0.0.0.0:9000", 120)


def test_the_image_runs_this_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]' in dockerfile


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, host: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {
        **clean_env(),
        **DOCUMENTED_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BIND_HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)  # waiting for the server to bind, not for a race
    yield f"http://127.0.0.1:{port}", tmp_path / "gunicorn.log"
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379 (CI starts one)")
def test_a_balancer_probing_by_ip_gets_healthz_and_the_access_line_is_json(gunicorn):
    base, log = gunicorn
    status, body = fetch(f"{base}/healthz", host="10.0.3.17:8000")
    assert status == 200, body
    assert json.loads(body) == {"status": "ok", "database": "ok", "broker": "ok"}
    # any other page still refuses a Host that is not in ALLOWED_HOSTS, and redirects plain HTTP
    assert fetch(f"{base}/", host="10.0.3.17:8000")[0] == 400
    assert fetch(f"{base}/", host="tickets.example.com")[0] == 301
    deadline = time.monotonic() + 10
    lines = []
    while time.monotonic() < deadline and not any(line.get("path") == "/healthz" for line in lines):
        lines = [json.loads(text) for text in log.read_text().splitlines() if text.startswith("{")]
        time.sleep(0.1)  # gunicorn writes the access line after the response
    access = next(line for line in lines if line.get("path") == "/healthz")
    assert access["logger"] == "gunicorn.access" and access["status"] == 200 and access["method"] == "GET"
    assert access["remote_addr"] == "127.0.0.1" and access["duration_ms"] >= 0


def test_healthz_comes_before_host_validation(client, db):
    assert client.get("/healthz", HTTP_HOST="10.0.3.17").status_code == 200
    assert client.head("/healthz/", HTTP_HOST="[fd00::7]:8000").status_code == 200
    assert client.post("/healthz", HTTP_HOST="10.0.3.17").status_code == 405
    assert client.get("/", HTTP_HOST="10.0.3.17").status_code == 400


def test_the_image_leaves_out_private_and_local_files():
    ignored = [
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    for needed in ("private", ".env", "db.sqlite3*", "media", ".venv", ".git", "artifacts", "tests"):
        assert needed in ignored, needed
    assert "!.env.example" in ignored
    assert os.path.isfile(ROOT / ".env.example")
