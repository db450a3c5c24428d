"""``make bench``: the portal under gunicorn, as in production, over the national data set
(``seed_scale``, built first if the database is empty), measured the way anyone can repeat:

- every main page and API list, one client: median and p95 of ``--repeat`` requests, the
  SQL queries it costs, and both as a ratio to the floor (a tiny public list, measured in
  the same run);
- 16 and 64 concurrent clients for ``--duration`` seconds over a mix of those pages (wrk):
  throughput, p95 and errors;
- the deadline sweep over every agreement (in a transaction rolled back afterwards);
- each PDF the portal renders;
- each open-data file: the time and peak memory to build it (in a process of its own) and
  the time to its first byte once built.

It writes ``bench/results.json`` and ``bench/results.md`` and prints the Markdown table. The
same safety as ``seed_scale``: never production, only a database of the benchmark's own."""

import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess  # nosec B404 # runs gunicorn, wrk and this interpreter, fixed arguments
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from csos.models import CSO
from portal.management import bench_safety
from portal.models import User

ROOT = Path(settings.BASE_DIR)
FLOOR = "/api/v1/reference/service-categories/"


@dataclass
class Case:
    label: str
    who: str  # anonymous, or a role whose session or token is sent
    path: str
    kind: str = "page"  # page, api, pdf, open-data
    queries: int | None = None
    status: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    ratio: float | None = None
    # Signed out, answers come from the page cache (portal/page_cache.py) after the first:
    # the median of requests each with a query string of its own, so each is built anew.
    built_median_ms: float | None = None

    def __post_init__(self):
        self.path = quote(self.path, safe="/?=&%")  # Thai search words, as a browser sends


class Command(BaseCommand):
    help = "Benchmark the portal under gunicorn over the national data set (bench/results.*)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per case")
        parser.add_argument("--duration", type=int, default=30, help="seconds per load run")
        parser.add_argument("--clients", default="16,64", help="concurrent clients per run")
        parser.add_argument(
            "--workers", type=int, default=3, help="gunicorn workers (3, as in production)"
        )
        parser.add_argument("--scale", type=float, default=1.0, help="seed_scale --scale")
        parser.add_argument("--out", default=str(ROOT / "bench"), help="where results go")
        parser.add_argument("--only", default="", help="only cases whose path has this")

    def handle(self, *args, repeat, duration, clients, workers, scale, out, only, **options):
        bench_safety.refuse_production(self)
        bench_safety.refuse_other_databases(self)
        bench_safety.create_database_if_missing(self)
        if not CSO.objects.exists():
            call_command("seed_scale", scale=scale, stdout=self.stderr)
        bench_safety.refuse_foreign_data(self)
        people = self._people()
        cases = [c for c in self._cases(people) if only in c.path]
        signed_in = self._sign_in(people)
        self._count_queries(cases, signed_in)
        results = {
            "machine": {**self._machine(), "gunicorn_workers": workers},
            "when": timezone.now().isoformat(),
        }
        with self._gunicorn(workers) as base:
            auth = self._auth_headers(people, signed_in)
            floor = self._time(base, Case("floor", "anonymous", FLOOR, "api"), auth, repeat * 3)
            for case in cases:
                self._time(base, case, auth, repeat if case.kind != "pdf" else 5)
                if case.median_ms and floor.median_ms:
                    case.ratio = case.median_ms / floor.median_ms
                self.stderr.write(
                    f"{case.median_ms or 0:8.1f} ms  p95 {case.p95_ms or 0:7.1f}  "
                    f"{case.queries if case.queries is not None else '-':>3} q  "
                    f"{case.status}  {case.who:<16} {case.path}"
                )
            results["floor"] = asdict(floor)
            results["cases"] = [asdict(c) for c in cases]
            results["open_data"] = self._open_data(base)
            results["load"] = [
                self._load(base, auth, cases, int(n), duration) for n in clients.split(",")
            ]
        results["sweep"] = self._sweep()
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        table = self._markdown(results)
        (out_dir / "results.md").write_text(table)
        self.stdout.write(table)

    # --- who asks ------------------------------------------------------------------------

    def _people(self) -> dict[str, User]:
        from portal.roles import Role

        def first(**lookup):
            return (
                User.objects.filter(username__startswith="bench_", **lookup).order_by("pk").first()
            )

        officer = User.objects.get(username="bench_officer")
        member = first(role_rows__role=Role.CSO_MEMBER, cso__status="approved")
        return {
            "staff_admin": User.objects.get(username="bench_admin"),
            "agency_officer": officer,
            "cso_member": member,
            "committee_reviewer": first(role_rows__role=Role.COMMITTEE_REVIEWER),
            "citizen": first(role_rows__role=Role.CITIZEN),
        }

    def _cases(self, people) -> list[Case]:
        """Every main page and API list, each with the object that has the most behind it."""
        from django.db.models import Count

        from agencies.budgets.models import BudgetRound
        from agencies.consultations.models import Consultation
        from assessments.grievances.models import Grievance
        from contracts.agreements.models import Agreement
        from contracts.calls.models import Call

        officer, member = people["agency_officer"], people["cso_member"]
        agreement = (
            Agreement.objects.filter(agency_id=officer.agency_id, status="active")
            .annotate(n=Count("tranches"))
            .order_by("-n", "pk")
            .first()
        )
        call = (
            Call.objects.filter(agency_id=officer.agency_id, status__in=["closed", "awarded"])
            .annotate(n=Count("proposals"))
            .order_by("-n", "pk")
            .first()
        )
        awarded = Call.objects.filter(status="awarded").order_by("pk").first()
        consultation = (
            Consultation.objects.annotate(n=Count("contributions")).order_by("-n").first()
        )
        reported = (
            Consultation.objects.filter(status="reported")
            .annotate(n=Count("contributions"))
            .order_by("-n")
            .first()
        )
        budget = BudgetRound.objects.annotate(n=Count("ballots")).order_by("-n").first()
        grievance = Grievance.objects.order_by("pk").first()
        settled = Agreement.objects.filter(status="settled").order_by("pk").first()
        proposal = member.cso.proposals.exclude(status="draft").order_by("pk").first()
        cases = [
            Case("Home", "anonymous", "/"),
            Case("Calls (public)", "anonymous", "/calls/"),
            Case("Calls, search", "anonymous", "/calls/?q=ทดสอบ"),
            Case("CSO directory", "anonymous", "/csos/"),
            Case("CSO directory, filtered", "anonymous", "/csos/?province=10&field=health"),
            Case("CSO directory, search", "anonymous", "/csos/?q=สุขภาพ"),
            Case("CSO directory, deep page", "anonymous", "/csos/?page=500"),
            Case("Registration review queue", "committee_reviewer", "/review/csos/"),
            Case("My work (officer)", "agency_officer", "/work/"),
            Case("My work (CSO member)", "cso_member", "/work/"),
            Case("My work (citizen)", "citizen", "/work/"),
            Case("Agency dashboard", "agency_officer", "/agency/dashboard/"),
            Case("Agreements (officer)", "agency_officer", "/agreements/"),
            Case("Agreements (staff)", "staff_admin", "/agreements/"),
            Case("Funded projects (public)", "anonymous", "/projects/"),
            Case("Consultations", "anonymous", "/consultations/"),
            Case("Budget rounds", "anonymous", "/budgets/"),
            Case("Open data page", "anonymous", "/open-data/"),
        ]
        if agreement:
            cases += [
                Case("Agreement page", "agency_officer", f"/agreements/{agreement.pk}/"),
                Case(
                    "Agreement expenses", "agency_officer", f"/agreements/{agreement.pk}/expenses/"
                ),
                Case("Project page (public)", "anonymous", f"/projects/{agreement.pk}/"),
                Case("Report card", "anonymous", f"/csos/{agreement.cso_id}/report-card/"),
                Case(
                    "Agreement PDF",
                    "agency_officer",
                    f"/agreements/{agreement.pk}/document.pdf",
                    "pdf",
                ),
            ]
        if call:
            cases.append(Case("Ranking", "agency_officer", f"/calls/{call.pk}/ranking/"))
            cases.append(Case("Call page", "anonymous", f"/calls/{call.pk}/"))
        if awarded:
            cases.append(Case("Awarded call page", "anonymous", f"/calls/{awarded.pk}/"))
        if consultation:
            cases.append(
                Case("Consultation page", "anonymous", f"/consultations/{consultation.pk}/")
            )
        if reported:
            path = f"/consultations/{reported.pk}/response"
            cases.append(Case("What we heard", "anonymous", path + "/"))
            cases.append(Case("What we heard, PDF", "anonymous", path + ".pdf", "pdf"))
        if budget:
            cases.append(Case("Budget results", "anonymous", f"/budgets/{budget.pk}/results/"))
        if grievance:
            cases.append(
                Case("Grievance status", "anonymous", f"/grievances/{grievance.tracking_id}/")
            )
        if settled:
            cases.append(
                Case(
                    "Settlement PDF",
                    "staff_admin",
                    f"/agreements/{settled.pk}/settlement.pdf",
                    "pdf",
                )
            )
        if proposal:
            cases.append(
                Case(
                    "Proposal receipt PDF",
                    "cso_member",
                    f"/proposals/{proposal.pk}/receipt.pdf",
                    "pdf",
                )
            )
        cases.append(
            Case("Certificate PDF", "cso_member", f"/csos/{member.cso_id}/certificate.pdf", "pdf")
        )
        for path, who in [
            ("/api/v1/calls/", "anonymous"),
            ("/api/v1/calls/?search=ทดสอบ", "anonymous"),
            ("/api/v1/csos/", "anonymous"),
            ("/api/v1/csos/?search=สุขภาพ", "anonymous"),
            ("/api/v1/csos/?province=10", "anonymous"),
            ("/api/v1/agreements/", "staff_admin"),
            ("/api/v1/agreements/?status=active", "staff_admin"),
            ("/api/v1/agreements/?search=สุขภาพ", "staff_admin"),
            ("/api/v1/agreements/", "agency_officer"),
            ("/api/v1/proposals/", "agency_officer"),
            ("/api/v1/agencies/", "anonymous"),
            ("/api/v1/missions/", "anonymous"),
            ("/api/v1/consultations/", "anonymous"),
            ("/api/v1/budget-rounds/", "anonymous"),
            ("/api/v1/polls/", "anonymous"),
            ("/api/v1/meetings/", "anonymous"),
            ("/api/v1/networks/", "anonymous"),
            ("/api/v1/grievances/", "agency_officer"),
            ("/api/v1/notices/", "agency_officer"),
        ]:
            cases.append(Case(f"API {path}", who, path, "api"))
        return cases

    def _sign_in(self, people) -> dict[str, Client]:
        """A test client per asker, signed in (and past the two-factor step) once: its
        session serves the query counts here and, as a cookie, the requests to gunicorn."""
        clients = {"anonymous": Client()}
        for who, user in people.items():
            clients[who] = Client()
            clients[who].force_login(user)
            self._verify_session(clients[who], user)
        return clients

    def _count_queries(self, cases, clients):
        """Each case once through the test client in this process, to count its queries
        (as the view builds it: without the page cache)."""
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], PAGE_CACHE_SECONDS=0):
            for case in cases:
                with CaptureQueriesContext(connection) as captured:
                    response = clients[case.who].get(case.path)
                case.queries, case.status = len(captured), response.status_code

    def _verify_session(self, client, user):
        """Staff and reviewers passed the two-factor step (an app made for the benchmark)."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _made = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def _auth_headers(self, people, clients) -> dict[str, dict]:
        """What each asker sends: a session cookie for pages, a token for the API."""
        from rest_framework.authtoken.models import Token

        headers = {"anonymous": {}}
        for who, user in people.items():
            key = clients[who].session.session_key
            token, _made = Token.objects.get_or_create(user=user)
            # A browser holds the CSRF cookie from its first page with a form (every signed-in
            # page: the sign-out button); a signed-in page is kept for that browser only.
            csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
            cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}"
            headers[who] = {"Cookie": cookie, "token": token.key}
        return headers

    # --- the server ----------------------------------------------------------------------

    @contextmanager
    def _gunicorn(self, workers):
        port = _free_port()
        static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
        env = {
            **os.environ,
            "PORTAL_ENV": "production",
            # The sessions and tokens made here must be valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CACHE_URL": _cache_url(),
            "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"),
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(static_root),  # the production build, away from the checkout
            # One client asking hundreds of times a second is the benchmark, not a flood.
            "THROTTLE_ANON": "1000000/minute",
            "THROTTLE_USER": "1000000/minute",
            "THROTTLE_CLIENT": "1000000/minute",
        }
        python = sys.executable
        subprocess.run(  # nosec B603 # fixed arguments: this interpreter and manage.py
            [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(  # nosec B603 # fixed arguments
            [
                python,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            if not _wait_for(base + FLOOR):
                raise CommandError("gunicorn did not answer within 60 s.")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(static_root, ignore_errors=True)

    def _time(self, base, case, auth, repeat) -> Case:
        headers = {k: v for k, v in auth[case.who].items() if k != "token"}
        if case.kind == "api" and auth[case.who].get("token"):
            headers = {"Authorization": f"Token {auth[case.who]['token']}"}
        times, status = [], None
        with _Connection(base) as http:
            http.get(case.path, headers)  # warm: the worker's first request pays for imports
            for _i in range(repeat):
                started = time.perf_counter()
                status, _first_byte = http.get(case.path, headers)
                times.append((time.perf_counter() - started) * 1000)
            if case.kind == "page" or (case.who == "anonymous" and case.kind == "api"):
                built = []
                joiner = "&" if "?" in case.path else "?"
                for i in range(max(5, repeat // 2)):
                    started = time.perf_counter()
                    http.get(f"{case.path}{joiner}uncached={i}-{started}", headers)
                    built.append((time.perf_counter() - started) * 1000)
                case.built_median_ms = round(statistics.median(built), 1)
        times.sort()
        case.status = status
        case.median_ms = round(statistics.median(times), 1)
        case.p95_ms = round(times[max(0, -(-95 * len(times) // 100) - 1)], 1)
        return case

    # --- load ----------------------------------------------------------------------------

    def _load(self, base, auth, cases, clients, duration) -> dict:
        """wrk (Debian's package) with a script that goes round the public pages and API
        lists and the officer's pages, and reports p95 and errors."""
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("The load runs need wrk: apt-get install wrk.")
        mix = [
            c
            for c in cases
            if c.kind in {"page", "api"} and c.who in {"anonymous", "agency_officer"}
        ]
        if not mix:
            return {"clients": clients, "skipped": "no page or API list in this run"}
        lines = []
        for c in mix:
            if c.who == "anonymous":
                header = ""
            elif c.kind == "api":
                header = f"Authorization: Token {auth[c.who]['token']}"
            else:
                header = f"Cookie: {auth[c.who]['Cookie']}"
            lines.append(f"{{{_lua(c.path)}, {_lua(header)}}}")
        script = LUA.replace("CASES", ",\n  ".join(lines))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(script)
        try:
            run = subprocess.run(  # nosec B603 # wrk with fixed arguments
                [
                    wrk,
                    "-t",
                    "2",
                    "-c",
                    str(clients),
                    "-d",
                    f"{duration}s",
                    "--timeout",
                    "10s",
                    "-s",
                    handle.name,
                    base,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            os.unlink(handle.name)
        found = dict(re.findall(r"^BENCH (\w+) ([\d.]+)$", run.stdout, re.M))
        result = {
            "clients": clients,
            "seconds": duration,
            "requests_per_second": float(found.get("rps", 0)),
            "p50_ms": float(found.get("p50", 0)),
            "p95_ms": float(found.get("p95", 0)),
            "errors": int(float(found.get("errors", 0))),
            "requests": int(float(found.get("requests", 0))),
        }
        self.stderr.write(f"{clients} clients: {result}")
        return result

    # --- the rest ------------------------------------------------------------------------

    def _open_data(self, base) -> list[dict]:
        """Each file built in a process of its own (its peak memory is the build's), with
        gunicorn's cache (so both fingerprint the data alike), then fetched through gunicorn:
        the median time to the first byte of five requests."""
        from contracts.open_data.services import KINDS

        rows = []
        for name in KINDS:
            code = BUILD.format(name=name)
            run = subprocess.run(  # nosec B603 # this interpreter with a fixed script
                [sys.executable, "-c", code],
                cwd=ROOT,
                env={**os.environ, "CACHE_URL": _cache_url()},
                capture_output=True,
                text=True,
                check=True,
            )
            built = json.loads(run.stdout.strip().splitlines()[-1])
            firsts = []
            with _Connection(base) as http:
                for _i in range(5):
                    status, first_byte = http.get(
                        f"/api/v1/open-data/{name}", {}, first_byte_only=True
                    )
                    firsts.append(first_byte)
                built["first_byte_ms"] = round(statistics.median(firsts) * 1000, 1)
                built["status"] = status
            rows.append(built)
            self.stderr.write(f"open data {name}: {built}")
        return rows

    def _sweep(self) -> dict:
        """The deadline sweep over every agreement, as beat runs it, twice: the first run
        records every notice due in the whole data set at once (a backlog no portal in use
        has); the second is what beat costs every few minutes from then on. Rolled back after,
        so the data stays as it was. Between the two, the new notices are analysed, as
        PostgreSQL's autovacuum does once they are committed (it cannot see them here)."""
        from contracts.agreements.models import Agreement

        sweep = import_string("portal.notices.sweep.sweep")
        with transaction.atomic():
            started = time.perf_counter()
            recorded = sweep()
            first = time.perf_counter() - started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE portal_notice")
            started = time.perf_counter()
            again = sweep()
            steady = time.perf_counter() - started
            transaction.set_rollback(True)
        return {
            "agreements": Agreement.objects.count(),
            "seconds": round(steady, 2),
            "notices": again,
            "first_seconds": round(first, 2),
            "first_notices": recorded,
        }

    def _machine(self) -> dict:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            "database": f"PostgreSQL {version}",
            "data": {
                "csos": CSO.objects.count(),
                "agreements": import_string(
                    "contracts.agreements.models.Agreement"
                ).objects.count(),
            },
        }

    def _markdown(self, results) -> str:
        m, floor = results["machine"], results["floor"]
        lines = [
            f"Measured {results['when'][:10]} on {m['cpus']} CPUs, {m['database']}, Python "
            f"{m['python']}, gunicorn with {m['gunicorn_workers']} workers; "
            f"{m['data']['csos']:,} CSOs and {m['data']['agreements']:,} agreements. "
            f"Floor (`{FLOOR}`): median {floor['median_ms']} ms, p95 {floor['p95_ms']} ms.",
            "",
            "A page or a public API list is built once and then served from the cache until its "
            "rows change (signed in: for that person's browser alone); *Built ms* is the median "
            "of requests that each built it.",
            "",
            "| Request | As | Status | Queries | Median ms | p95 ms | × floor | Built ms |",
            "|---|---|--:|--:|--:|--:|--:|--:|",
        ]
        for c in results["cases"]:
            ratio = f"{c['ratio']:.1f}" if c["ratio"] else ""
            built = c.get("built_median_ms") or ""
            lines.append(
                f"| {c['label']} `{unquote(c['path'])}` | {c['who']} | {c['status']} "
                f"| {c['queries']} | {c['median_ms']} | {c['p95_ms']} | {ratio} | {built} |"
            )
        lines += [
            "",
            "| Clients | Requests/s | p50 ms | p95 ms | Errors |",
            "|--:|--:|--:|--:|--:|",
        ]
        for run in results["load"]:
            if "skipped" in run:
                continue
            lines.append(
                f"| {run['clients']} | {run['requests_per_second']:.0f} | {run['p50_ms']} "
                f"| {run['p95_ms']} | {run['errors']} |"
            )
        lines += [
            "",
            "| Open-data file | Items | MB | Build s | Peak MB | First byte ms |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        for f in results["open_data"]:
            lines.append(
                f"| {f['name']} | {f['items']:,} | {f['size'] / 1e6:.1f} | {f['seconds']:.0f} "
                f"| {f['peak_mb']:.0f} | {f['first_byte_ms']} |"
            )
        s = results["sweep"]
        lines += [
            "",
            f"Deadline sweep over {s['agreements']:,} agreements, as beat runs it: "
            f"{s['seconds']} s ({s['notices']:,} new notices). The very first sweep over the "
            f"whole data set, with nothing notified before: {s['first_seconds']} s "
            f"({s['first_notices']:,} notices).",
        ]
        return "\n".join(lines) + "\n"


def _lua(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


LUA = """
local cases = {
  CASES
}
local i = 0
request = function()
  i = i % #cases + 1
  local c = cases[i]
  local headers = {}
  if c[2] ~= "" then
    local k, v = c[2]:match("^([^:]+):%s*(.*)$")
    headers[k] = v
  end
  return wrk.format("GET", c[1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  print("BENCH rps " .. summary.requests / (summary.duration / 1e6))
  print("BENCH requests " .. summary.requests)
  print("BENCH p50 " .. latency:percentile(50) / 1000)
  print("BENCH p95 " .. latency:percentile(95) / 1000)
  print("BENCH errors " .. (e.connect + e.read + e.write + e.timeout + e.status))
end
"""

BUILD = """
import json, os, resource, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["DEBUG"] = "false"  # as the worker runs in production: no log of every query
import django
django.setup()
from contracts.open_data import services
export = services.export_build(name="{name}", language="th")
# This process's own peak (VmHWM, in kB). ru_maxrss would not do: Linux carries it across
# exec, so it reported the benchmark's own size at the fork (390-490 MB) as the build's.
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"name": export.name, "items": export.items, "size": export.size,
                  "seconds": round(export.seconds, 1), "peak_mb": round(peak)}}))
"""


class _Connection:
    """One keep-alive HTTP connection, as a browser or an API client holds one."""

    def __init__(self, base):
        import http.client

        parts = urlsplit(base)
        self.http = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.http.close()

    def get(self, path, headers, first_byte_only=False):
        started = time.perf_counter()
        self.http.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = self.http.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started if first else 0.0
        response.read()
        return response.status, first_byte


def _cache_url() -> str:
    return os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, timeout=60.0) -> bool:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # nosec B310 # our own local server
                return True
        except Exception:  # not up yet
            time.sleep(0.5)
    return False
