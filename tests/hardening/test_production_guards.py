"""Production settings refuse to start on development defaults, naming every variable to set,
for any command (check --deploy included); the rules one by one (config/settings/guards.py)."""

import subprocess
import sys

import pytest

from config.settings.guards import production_problems
from tests.hardening.test_production import DOCUMENTED_ENV, ROOT, clean_env

REQUIRED = ["EMAIL_ESP", "MARQUEE_SITE_URL", "REDIS_URL", "MARQUEE_TRUSTED_PROXY_COUNT"]


def run_manage(*args, **overrides):
    env = {**clean_env(), **DOCUMENTED_ENV}
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_fails_naming_every_missing_variable_in_one_message():
    out = run_manage("check", "--deploy", **dict.fromkeys(REQUIRED))
    assert out.returncode != 0
    assert out.stderr.count("Production settings refuse to start") == 1
    for name in REQUIRED:
        assert f"- {name}:" in out.stderr, name
    assert "SECRET_KEY" not in out.stderr.split("refuse to start")[1]  # only what is wrong is named


@pytest.mark.parametrize("name", REQUIRED)
def test_each_missing_variable_alone_stops_any_command(name):
    out = run_manage("check", **{name: None})
    assert out.returncode != 0 and f"- {name}:" in out.stderr


def test_email_console_is_an_explicit_opt_out_that_starts():
    out = run_manage("check", "--deploy", "--fail-level", "WARNING", EMAIL_ESP="console")
    assert out.returncode == 0, out.stderr


def test_trusted_proxy_count_zero_is_allowed_but_must_be_said():
    assert run_manage("check", MARQUEE_TRUSTED_PROXY_COUNT="0").returncode == 0


def good_env(**changes):
    env = {**DOCUMENTED_ENV, **changes}
    return {k: v for k, v in env.items() if v is not None}


def named(env):
    return [problem.split(":", 1)[0] for problem in production_problems(env)]


def test_the_documented_environment_has_no_problem():
    assert production_problems(good_env()) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://tickets.example.com",
        "https://localhost:8000",
        "https://127.0.0.1",
        "https://[::1]/",
        "https://10.0.0.5",
        "https://marquee.local",
        "https://",
        "tickets.example.com",
        "https://[not-an-ip",
        "   ",
    ],
)
def test_site_url_must_be_public_https(url):
    assert named(good_env(MARQUEE_SITE_URL=url)) == ["MARQUEE_SITE_URL"]


@pytest.mark.parametrize("value", ["", " ", "one", "-1", "1.5"])
def test_trusted_proxy_count_must_be_a_whole_number(value):
    assert named(good_env(MARQUEE_TRUSTED_PROXY_COUNT=value)) == ["MARQUEE_TRUSTED_PROXY_COUNT"]


@pytest.mark.parametrize("key", ["short", "dev-only-insecure-key-change-me" + "x" * 40, None])
def test_secret_key_rule_is_kept(key):
    assert named(good_env(SECRET_KEY=key)) == ["SECRET_KEY"]


def test_problems_say_what_each_variable_must_be():
    problems = production_problems({})
    assert len(problems) == 5
    assert any("EMAIL_ESP=console" in problem for problem in problems)
    assert any("https://" in problem for problem in problems)
