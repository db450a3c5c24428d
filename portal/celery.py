"""The Celery app. The broker comes from settings: Redis when CELERY_BROKER_URL is set,
otherwise kombu's filesystem transport, which needs no server (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
