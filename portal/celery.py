"""The Celery app. The broker comes from settings: Redis when CELERY_BROKER_URL is set,
otherwise kombu's filesystem transport, which needs no server (see settings)."""

import os

from celery import Celery

from portal.discovery import modules_named

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _packages_with_tasks() -> list[str]:
    """Every app's and sub-package's ``tasks`` (portal.notices.tasks, <app>.<noun>.tasks);
    called once the apps are loaded."""
    return [module.rsplit(".", 1)[0] for module in modules_named("tasks")]


app.autodiscover_tasks(_packages_with_tasks)
