"""Beyond one machine (issue 18, section 4): the production-like stack scales its web and
worker replicas behind one proxy, with one migration run and one beat; sessions and throttle
counters live in Redis, shared by every replica. No Docker engine runs here, so the compose
file is read as Compose reads it; the sessions run on the real Redis."""

import os
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.helpers import redis_ready

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_web_and_worker_scale_behind_one_proxy_with_one_migration_and_one_beat(compose):
    services = compose["services"]
    env = services["web"]["environment"]
    # Replicas publish no host port (two would clash); the proxy publishes the one port.
    for name in ("web", "worker"):
        assert "ports" not in services[name] and "container_name" not in services[name]
        assert "media:/data/media" in services[name]["volumes"]  # uploads shared
    assert services["proxy"]["ports"] == ["8000:8000"]
    assert "./docker/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    # Migrations run once, before any replica, and never by the replicas.
    assert "migrate --noinput" in " ".join(services["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        needs = services[name]["depends_on"]["migrate"]
        assert needs == {"condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(services[name]["command"])
    # One beat: a fixed container name makes a second impossible.
    assert services["beat"]["container_name"]
    # Shared state: the database, the broker, the cache (throttles) and the sessions.
    assert env["CACHE_URL"].startswith("redis://redis:")
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert env["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert env["NUM_PROXIES"] == "${NUM_PROXIES:-2}"  # the TLS proxy and nginx


def test_the_proxy_follows_the_replicas_and_takes_a_whole_upload():
    conf = (ROOT / "docker" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"resolver 127\.0\.0\.11 valid=\d+s", conf)  # Docker's DNS, asked again
    assert re.search(r"set \$web http://web:8000;\s+proxy_pass \$web;", conf)
    limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert limit * 1024 * 1024 > settings.MAX_UPLOAD_BYTES


@pytest.mark.django_db
def test_a_session_kept_in_redis_signs_in_on_any_replica(client, member, settings):
    """With the compose file's session engine and a Redis cache, a session written by one
    process is read by another (the cache is shared, not per process)."""
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import caches

    url = os.environ.get("CACHE_URL", "")
    if not url.startswith("redis://"):
        broker = os.environ.get("CELERY_BROKER_URL", "")
        url = broker.rsplit("/", 1)[0] + "/1" if broker.startswith("redis://") else ""
    if not url or not redis_ready(url):
        if os.environ.get("CI"):
            pytest.fail("needs Redis: set CACHE_URL or CELERY_BROKER_URL", pytrace=False)
        pytest.skip("needs Redis")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-sessions-{os.getpid()}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(member)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert caches["default"].get(SessionStore.cache_key_prefix + key) is not None  # in Redis
    # A page only a signed-in person sees: read through the session kept in Redis.
    assert client.get("/notices/").status_code == 200
    # And a fresh store (another replica's process) finds the same session.
    assert SessionStore(session_key=key).get("_auth_user_id") == str(member.pk)


def test_production_keeps_each_processs_database_connection():
    """Opening a PostgreSQL connection for every request cost a signed-in page about a third
    of its time under gunicorn; in production each process keeps its own, checked before
    reuse (CONN_MAX_AGE overrides)."""
    import subprocess  # nosec B404 # this interpreter, fixed arguments
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "production",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "portal.example.go.th",
        "DATABASE_URL": "postgres://portal@db.example:5432/portal",
    }
    base.pop("CONN_MAX_AGE", None)

    def read(**env):
        run = subprocess.run(  # nosec B603 # this interpreter, fixed arguments
            [sys.executable, "-c", code],
            env={**base, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return run.stdout.split()[-2:]

    assert read() == ["60", "True"]
    assert read(CONN_MAX_AGE="0") == ["0", "True"]
    assert read(PORTAL_ENV="development") == ["0", "True"]
