"""Serve the portal with a real Celery worker and beat beside it (used by `make run`)."""

import signal
import subprocess  # nosec B404 # starts the Celery worker and beat for `make run`
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server on 127.0.0.1:PORT with a Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        celery = [sys.executable, "-m", "celery", "-A", "portal"]
        children = [
            # Both children: a fixed argument list (this Python, celery), no shell, no input.
            subprocess.Popen(celery + ["worker", "--loglevel=INFO", "--concurrency=2"]),  # nosec B603 # fixed arguments
            subprocess.Popen(  # nosec B603 # the same fixed argument list, for beat
                celery
                + ["beat", "--loglevel=INFO", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME]
            ),
        ]
        self.stdout.write(
            f"Celery worker and beat started (broker: {settings.CELERY_BROKER_URL.split('@')[-1]})."
        )
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
