"""`manage.py serve` (what `make run` runs) with a real worker and beat on Redis (issue 13,
item 8): /health/ turns 200 once the worker has swept the deadlines; a beat that dies is
restarted; SIGTERM stops serve and every process it started, the worker's pool too.

Needs Redis and PostgreSQL: skipped without them on a developer's machine, a failure in
CI."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers import redis_ready, unavailable

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        unavailable("the serve test needs PostgreSQL (set DATABASE_URL=postgres://...)")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes() -> dict[int, tuple[int, str, str]]:
    """pid → (parent pid, state, command line) of every live process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[1]), fields[0], cmdline)
    return found


def _descendants(pid: int) -> dict[int, str]:
    processes = _processes()
    family, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, state, cmdline) in processes.items():
            if ppid == parent and child not in family and state != "Z":
                family[child] = cmdline
                frontier.append(child)
    return family


def _started_here(var_dir: str) -> list[int]:
    """Every process whose environment names this test's var folder."""
    marker = f"PORTAL_VAR_DIR={var_dir}".encode()
    found = []
    for pid in _processes():
        with contextlib.suppress(OSError):
            if marker in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.append(pid)
    return found


def _alive(pid: int) -> bool:
    info = _processes().get(pid)
    return info is not None and info[1] != "Z"


def _wait_until(check, timeout, every=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    return check()


def _health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?format=json", timeout=10):
            return 200
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


@pytest.fixture
def serve(request, transactional_db, tmp_path):
    extra = getattr(request, "param", [])
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        unavailable(f"the serve test needs Redis (CELERY_BROKER_URL is {broker!r})")
    if not redis_ready(broker):
        unavailable(f"Redis is not answering at {broker}")
    from portal.celery import app

    app.control.purge()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "PORTAL_ENV": "development",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),  # no schedule folder yet: serve makes it
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    log = (tmp_path / "serve.log").open("w")
    command = [sys.executable, "manage.py", "serve", "--port", str(port)]
    if extra == ["as make runs it"]:  # a parent in between, like make (sh forks, not execs)
        command = ["sh", "-c", " ".join(command) + "; exit $?"]
    else:
        command += extra
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.port, process.log = port, tmp_path / "serve.log"
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in _started_here(env["PORTAL_VAR_DIR"]):  # whatever a failed test left
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()


def test_serve_supervises_the_worker_and_beat_and_stops_them_with_itself(serve):
    # The worker sweeps the deadlines (serve queues a sweep at start; so does this test, as
    # beat would within 10 minutes), so /health/ is whole: database, cache, broker, the
    # worker answering a ping and a recent sweep.
    from portal.notices.tasks import sweep_notices

    sweep_notices.delay()
    healthy = _wait_until(lambda: _health(serve.port) == 200, timeout=150, every=2)
    assert healthy, serve.log.read_text()[-3000:]

    family = _descendants(serve.pid)
    [beat] = [pid for pid, cmd in family.items() if " beat " in cmd and _alive(pid)]
    workers = [pid for pid, cmd in family.items() if " worker " in cmd]
    assert workers, family

    os.kill(beat, signal.SIGKILL)  # beat dies: serve restarts it
    restarted = _wait_until(
        lambda: [p for p, c in _descendants(serve.pid).items() if " beat " in c and p != beat],
        timeout=30,
    )
    assert restarted, serve.log.read_text()[-3000:]
    assert "Celery beat stopped" in serve.log.read_text()

    family = _descendants(serve.pid)
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=30) == 0
    survivors = _wait_until(lambda: not any(_alive(pid) for pid in family), timeout=5)
    assert survivors, {pid: cmd for pid, cmd in family.items() if _alive(pid)}


@pytest.mark.parametrize("serve", [["--max-restarts", "0"]], indirect=True)
def test_serve_exits_loudly_when_beat_keeps_dying(serve):
    beat = _wait_until(
        lambda: [p for p, c in _descendants(serve.pid).items() if " beat " in c], timeout=60
    )
    assert beat, serve.log.read_text()[-3000:]
    family = _descendants(serve.pid)
    os.kill(beat[0], signal.SIGKILL)
    assert serve.wait(timeout=30) != 0  # a site serving on without beat would go unnoticed
    assert "Celery beat keeps dying (1 deaths in five minutes" in serve.log.read_text()
    survivors = _wait_until(lambda: not any(_alive(pid) for pid in family), timeout=5)
    assert survivors, {pid: cmd for pid, cmd in family.items() if _alive(pid)}


@pytest.mark.parametrize("serve", [["as make runs it"]], indirect=True)
def test_serve_stops_its_children_when_make_is_killed(serve):
    """`serve` under a parent (make) that is killed outright: nothing is left running."""
    started = _wait_until(
        lambda: len([c for c in _descendants(serve.pid).values() if "celery" in c]) >= 2,
        timeout=60,
    )
    assert started, serve.log.read_text()[-3000:]
    family = _descendants(serve.pid)
    os.kill(serve.pid, signal.SIGKILL)  # the parent goes without passing anything on
    serve.wait()
    # serve notices within half a second and gives each child STOP_GRACE (10 s) to finish
    # before killing its group; on a machine busy with other tests that can take a while.
    # (The parent is killed as soon as the children exist: serve must have noted who its
    # parent was before starting them, or it would never notice the change.)
    gone = _wait_until(lambda: not any(_alive(pid) for pid in family), timeout=45)
    assert gone, {pid: cmd for pid, cmd in family.items() if _alive(pid)}
