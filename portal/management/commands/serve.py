"""Serve the portal with a real Celery worker and beat beside it (used by `make run`).

`serve` is their supervisor: the web server, the worker and beat each run in a process
group of their own; a worker or beat that dies is restarted (and its death said on stderr),
and one that keeps dying stops everything with an error, rather than leaving a site that
serves on while no deadline notice goes out. SIGTERM or SIGINT (Ctrl-C) stops all three,
the worker's pool processes with them; so does the end of the process that started serve
(`make`, killed without passing the signal on)."""

import contextlib
import os
import signal
import subprocess  # nosec B404 # starts the Celery worker and beat for `make run`
import sys
import time
from collections import deque
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

RESTART_WINDOW = 300.0  # seconds: deaths counted over the last five minutes
STOP_GRACE = 10.0  # seconds a child has to stop before it and its group are killed


class Command(BaseCommand):
    help = "Run the web server on 127.0.0.1:PORT with a Celery worker and beat, supervised."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument(
            "--max-restarts",
            type=int,
            default=5,
            help="Restarts of the worker or beat within five minutes before serve gives up.",
        )

    def handle(self, *args, port, max_restarts, **options):
        # Who started us, read first: read after the children start (they take seconds on a
        # busy machine), it could already be the process we were handed to when it died.
        parent = os.getppid()
        schedule = Path(settings.CELERY_BEAT_SCHEDULE_FILENAME)
        schedule.parent.mkdir(parents=True, exist_ok=True)
        celery = [sys.executable, "-m", "celery", "-A", "portal"]
        commands = {
            "web": [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            "worker": celery + ["worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": celery + ["beat", "--loglevel=INFO", "--schedule", str(schedule)],
        }
        stop_requested = []

        def request_stop(signum, frame):
            stop_requested.append(signum)

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

        children = {name: _start(command) for name, command in commands.items()}
        deaths = {name: deque() for name in commands}
        self.stdout.write(
            f"Web server, Celery worker and beat started (broker: "
            f"{settings.CELERY_BROKER_URL.split('@')[-1]})."
        )
        self._queue_first_sweep()
        try:
            while not stop_requested:
                time.sleep(0.5)
                if os.getppid() != parent:  # `make run` was stopped without telling us
                    self.stderr.write("The command that started serve is gone; stopping.")
                    break
                for name, child in list(children.items()):
                    code = child.poll()
                    if code is None or stop_requested:
                        continue
                    if name == "web":
                        raise CommandError(f"The web server stopped (exit code {code}).")
                    now = time.monotonic()
                    deaths[name].append(now)
                    while deaths[name] and now - deaths[name][0] > RESTART_WINDOW:
                        deaths[name].popleft()
                    if len(deaths[name]) > max_restarts:
                        raise CommandError(
                            f"Celery {name} keeps dying ({len(deaths[name])} deaths in five "
                            f"minutes, last exit code {code}); stopping: deadline notices and "
                            "emails would not go out."
                        )
                    self.stderr.write(
                        f"Celery {name} stopped (exit code {code}); restarting it "
                        f"({len(deaths[name])} of {max_restarts})."
                    )
                    _stop([child])  # whatever it left in its group goes too
                    children[name] = _start(commands[name])
        finally:
            _stop(list(children.values()))
            self.stdout.write("Web server, Celery worker and beat stopped.")

    def _queue_first_sweep(self):
        """One deadline sweep now, so the health check need not wait for beat's first."""
        try:
            from portal.notices.tasks import sweep_notices

            sweep_notices.apply_async(expires=600)
        except Exception as exc:  # noqa: BLE001 - the broker may be down; beat will try
            self.stderr.write(f"Could not queue the first deadline sweep: {exc}")


def _start(command) -> subprocess.Popen:
    # A session of its own: the child leads a process group that holds its pool, and a
    # Ctrl-C in the terminal reaches serve alone, which stops the children in order.
    return subprocess.Popen(command, start_new_session=True)  # nosec B603 # fixed arguments, no shell


def _stop(children) -> None:
    """SIGTERM to each child, time to finish, then SIGKILL to its whole process group."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # the group outlives its leader
        if child.poll() is None:
            child.wait(timeout=5)
