"""``make bench`` in small (issue 18): the national data set at a five-hundredth of its size,
then the real benchmark (gunicorn in production mode, wrk, the open-data builds, the sweep),
so the benchmark anyone runs cannot rot: every page it measures answers 200 to the role
it asks as, the load run has no error, and both result files are written.

Needs PostgreSQL, Redis and wrk: skipped without them on a developer's machine, a failure in
CI (.ci/run installs wrk)."""

import io
import json
import shutil

import pytest
from django.core.management import call_command

from contracts.agreements.models import Agreement
from tests.helpers import database_url, redis_ready, unavailable

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_the_benchmark_measures_every_page_under_gunicorn(tmp_path, monkeypatch, settings):
    if not shutil.which("wrk"):
        unavailable("wrk is not installed (apt-get install wrk)")
    if not redis_ready("redis://127.0.0.1:6379/13"):
        unavailable("Redis is not answering on 127.0.0.1:6379")
    # gunicorn and the open-data builds run in processes of their own, on this test database.
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    log = io.StringIO()
    call_command("seed_scale", scale=0.002, stdout=log, stderr=log)
    call_command(
        "bench", repeat=2, duration=2, clients="4", out=str(tmp_path), stdout=log, stderr=log
    )

    results = json.loads((tmp_path / "results.json").read_text())
    answers = {(c["who"], c["path"]): c["status"] for c in results["cases"]}
    assert len(answers) >= 40
    assert {k: v for k, v in answers.items() if v != 200} == {}
    assert all(c["queries"] and c["median_ms"] > 0 and c["ratio"] for c in results["cases"])
    kinds = {c["kind"] for c in results["cases"]}
    assert kinds == {"page", "api", "pdf"}
    (run,) = results["load"]
    assert run["clients"] == 4 and run["requests"] > 0 and run["errors"] == 0
    files = {f["name"]: f for f in results["open_data"]}
    assert set(files) == {"360giving.json", "360giving.csv", "ocds.json", "ocds.csv"}
    assert all(f["status"] == 200 and f["items"] > 0 and f["peak_mb"] > 0 for f in files.values())
    sweep = results["sweep"]
    assert sweep["agreements"] == Agreement.objects.count() > 0
    # The second run finds everything the first recorded already told.
    assert sweep["first_notices"] > 0 and sweep["notices"] == 0
    table = (tmp_path / "results.md").read_text()
    assert "| Clients | Requests/s |" in table and "Deadline sweep over" in table
