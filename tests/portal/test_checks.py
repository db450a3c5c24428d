"""Production refuses to start without a shared cache (issue 13, item 9): throttle counters
in a per-process cache would let each process count its own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.checks import shared_cache_in_production

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/14",
    }
}


def test_production_with_a_per_process_cache_is_an_error(settings):
    settings.PORTAL_ENV, settings.CACHES = "production", LOCMEM
    [error] = shared_cache_in_production()
    assert error.id == "portal.E001" and "CACHE_URL" in error.hint


def test_production_with_a_shared_cache_and_development_with_any_pass(settings):
    settings.PORTAL_ENV, settings.CACHES = "production", REDIS
    assert shared_cache_in_production() == []
    settings.PORTAL_ENV, settings.CACHES = "development", LOCMEM
    assert shared_cache_in_production() == []


def _check_deploy(**extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment never has it.
        if key not in {"CACHE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        PORTAL_ENV="production",
        SECRET_KEY="check-deploy-" + "k" * 60,
        ALLOWED_HOSTS="portal.example.go.th",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("cache_url", ["", "redis://127.0.0.1:6379/14"])
def test_check_deploy_fails_without_cache_url_and_passes_with_one(cache_url):
    result = _check_deploy(**({"CACHE_URL": cache_url} if cache_url else {}))
    if cache_url:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0
        assert "portal.E001" in result.stderr
