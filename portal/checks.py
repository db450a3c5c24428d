"""System checks run by ``manage.py check --deploy`` (``make check`` runs it with
production settings): production refuses to start without what it needs to be safe."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches that live inside one process: every gunicorn worker would count its own throttle
# hits, so a client could multiply its rate by the number of processes.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache_in_production(app_configs=None, **kwargs):
    """API throttles, sign-in throttles and the health marks are counted in the default
    cache; in production it must be shared by every process (Redis or Memcached: CACHE_URL)."""
    if getattr(settings, "PORTAL_ENV", "") != "production":
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                "Production needs a cache shared by every process: throttle counters in a "
                f"per-process cache ({backend.rsplit('.', 1)[-1]}) do not limit anything.",
                hint="Set CACHE_URL, e.g. CACHE_URL=redis://redis:6379/1.",
                id="portal.E001",
            )
        ]
    return []
