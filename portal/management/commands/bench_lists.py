"""Time the big lists at scale: ``/api/v1/csos/``, ``/api/v1/agreements/``, the CSO directory
and the agreements page, over 100,000 synthetic CSOs and 100,000 agreements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_data \\
        .venv/bin/python manage.py bench_lists        # or: make bench

The rows are synthetic load data, so they are written with ``bulk_create`` straight into
the tables rather than through the services; each one is valid for the models' constraints.
Every request goes through the whole Django stack (the test client), once to count its SQL
queries and then ``--repeat`` times to time it; the result is a Markdown table on stdout.

It runs only against a database of its own: it refuses production, a DATABASE_URL that is
not set explicitly, a database without "bench" in its name, and any database holding rows it
did not create. A missing PostgreSQL database is created. A second run reuses the data (after
applying any new migrations); drop the database to build it afresh.
"""

import datetime
import math
import random
import statistics
import time
from decimal import Decimal
from urllib.parse import unquote, urlencode

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agencies.models import Agency, Mission
from contracts.agreements.models import Agreement, Settlement, Tranche
from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from csos.models import CSO
from portal.management import bench_safety
from portal.management.bench_data import (
    ADMIN,
    AGENCIES,
    AGENCY_EN,
    BATCH,
    CALL_INSTRUMENTS,
    CALLS_PER_AGENCY,
    COMMON_WORD,
    OFFICER,
    PER_PAGE,
    RARE_WORDS,
    WORDS,
    _dates_as_given,
)
from portal.management.scale.core import (
    agreement_rows,
    cso_rows,
    tranche_rows,
    write_cso_links,
)
from portal.models import ActivityField, Province, User, UserRole
from portal.roles import Role


class Command(BaseCommand):
    help = (
        "Fill a benchmark database with 100,000 CSOs and agreements and time the list pages "
        "and endpoints (Markdown table on stdout). Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000, help="CSOs and agreements")
        parser.add_argument("--repeat", type=int, default=20, help="timed requests per case")
        parser.add_argument("--only", default="", help="run only cases whose path contains this")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print EXPLAIN ANALYZE of each case's slowest query (PostgreSQL)",
        )

    def handle(self, *args, rows, repeat, only, explain, **options):
        if rows < 100 or repeat < 1:
            raise CommandError("Use --rows of 100 or more and --repeat of 1 or more.")
        bench_safety.refuse_production(self)
        bench_safety.refuse_other_databases(self)
        bench_safety.create_database_if_missing(self)
        bench_safety.refuse_foreign_data(self)
        call_command("migrate", interactive=False, verbosity=0)
        bench_safety.refuse_foreign_data(self)
        existing = CSO.objects.count()
        if existing == 0:
            started = time.perf_counter()
            self._build(rows)
            self.stderr.write(f"Built the data in {time.perf_counter() - started:.0f} s.")
        elif existing != rows or Agreement.objects.count() != rows:
            raise CommandError(
                f"The database holds {existing:,} benchmark CSOs, not {rows:,}: pass "
                "--rows to match, or drop the database to build it again."
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does to freshly written tables: planner statistics, and the
            # visibility map that lets an index-only scan skip the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        results = self._run(repeat=repeat, only=only, explain=explain)
        self.stdout.write(self._table(results, repeat))
        failed = [r for r in results if r["status"] != 200]
        if failed:
            raise CommandError(
                "Not 200: " + ", ".join(f"{r['path']} ({r['status']})" for r in failed)
            )

    # --- the data -------------------------------------------------------------------------

    def _build(self, n):
        rng = random.Random(6)  # nosec B311 # repeatable synthetic benchmark data, not a secret
        now = timezone.now()
        today = timezone.localdate()
        provinces = list(Province.objects.order_by("code"))
        field_codes = list(ActivityField.objects.order_by("code").values_list("code", flat=True))
        if not provinces or not field_codes:
            raise CommandError("The reference data (provinces, activity fields) is missing.")
        with transaction.atomic(), _dates_as_given(CSO, Proposal, Agreement):
            admin = User.objects.create(username=ADMIN, is_staff=True)
            UserRole.objects.create(user=admin, role=Role.STAFF_ADMIN)
            agencies = Agency.objects.bulk_create(
                Agency(
                    name_th=f"หน่วยงานทดสอบสมรรถนะ {i}",
                    name_en=f"{AGENCY_EN} {i}",
                    kind=Agency.Kind.DEPARTMENT,
                    province=provinces[i % len(provinces)],
                )
                for i in range(1, AGENCIES + 1)
            )
            officer = User.objects.create(username=OFFICER, agency=agencies[0])
            UserRole.objects.create(user=officer, role=Role.AGENCY_OFFICER)
            missions = Mission.objects.bulk_create(
                Mission(
                    agency=agency,
                    title_th=f"ภารกิจทดสอบ {agency.pk}",
                    service_category="social_cultural",
                    mission_type="direct_service",
                    activity_field_id=field_codes[i % len(field_codes)],
                )
                for i, agency in enumerate(agencies)
            )
            calls = Call.objects.bulk_create(
                self._calls(rng, missions, admin, now), batch_size=BATCH
            )
            csos = CSO.objects.bulk_create(
                cso_rows(rng, n, provinces, admin, now), batch_size=BATCH
            )
            write_cso_links(rng, csos, provinces, field_codes)
            self.stderr.write(f"{len(csos):,} CSOs")
            eligible = [c for c in csos if c.status in {"approved", "suspended"}]
            proposals = Proposal.objects.bulk_create(
                self._proposals(rng, n, eligible, calls, admin, now), batch_size=BATCH
            )
            agreements = Agreement.objects.bulk_create(
                agreement_rows(rng, proposals, calls, lambda call: admin), batch_size=BATCH
            )
            self.stderr.write(f"{len(agreements):,} agreements")
            tranches = Tranche.objects.bulk_create(
                tranche_rows(rng, agreements, today), batch_size=BATCH
            )
            Settlement.objects.bulk_create(
                (
                    Settlement(
                        agreement=a, disbursed_total=a.amount, spent_total=a.amount, refund_due=0
                    )
                    for a in agreements
                    if a.status == Agreement.Status.SETTLED
                ),
                batch_size=BATCH,
            )
            self.stderr.write(f"{len(tranches):,} tranches")

    def _calls(self, rng, missions, admin, now):
        for mission in missions:
            for j in range(CALLS_PER_AGENCY):
                opens = now - datetime.timedelta(days=rng.randint(60, 5 * 365))
                yield Call(
                    agency_id=mission.agency_id,
                    mission=mission,
                    instrument=CALL_INSTRUMENTS[j % len(CALL_INSTRUMENTS)],
                    title=f"ประกาศรับข้อเสนอทดสอบ {mission.agency_id}-{j}",
                    budget_ceiling=Decimal("5000000.00"),
                    budget_total=Decimal("50000000.00"),
                    opens_at=opens,
                    closes_at=opens + datetime.timedelta(days=30),
                    costing_method="per_project",
                    status=Call.Status.AWARDED,
                    created_by=admin,
                    published_at=opens,
                    closed_at=opens + datetime.timedelta(days=30),
                )

    def _proposals(self, rng, n, eligible, calls, admin, now):
        """One proposal per agreement. CSO ``i % len(eligible)`` answers a different call each
        time it comes round, so no CSO sends two live proposals to one call."""
        for i in range(n):
            cso = eligible[i % len(eligible)]
            call = calls[(i + i // len(eligible)) % len(calls)]
            (w1, _en1), (w2, _en2) = rng.sample(WORDS, 2)
            start = call.closes_at.date() + datetime.timedelta(days=rng.randint(20, 60))
            amount = Decimal(rng.randrange(5_000_000, 500_000_000)) / 100
            yield Proposal(
                call=call,
                cso=cso,
                title=f"โครงการ{w1}{w2} {i}",
                summary="สรุปโครงการสำหรับการทดสอบสมรรถนะ",
                requested_amount=amount,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.choice([180, 365, 730])),
                status=Proposal.Status.SELECTED,
                reference=f"BENCH-P{i:06d}",
                created_by=admin,
                created_at=call.opens_at + datetime.timedelta(days=rng.randint(1, 25)),
                submitted_at=call.opens_at + datetime.timedelta(days=26),
                decided_at=call.closes_at + datetime.timedelta(days=10),
            )

    # --- the timings ------------------------------------------------------------------------

    def _cases(self):
        approved = CSO.objects.filter(status=CSO.Status.APPROVED).count()
        all_csos = CSO.objects.count()
        agreements = Agreement.objects.count()
        active_grants = Agreement.objects.filter(status="active", kind="grant").count()

        def deep(count):  # four fifths of the way through the list
            return max(1, int(math.ceil(count / PER_PAGE) * 0.8))

        def q(path, **params):
            return f"{path}?{urlencode(params)}" if params else path

        field = ActivityField.objects.order_by("code").values_list("code", flat=True).first()
        csos, agr = "/api/v1/csos/", "/api/v1/agreements/"
        return [
            ("API", "staff_admin", q(csos)),
            ("API", "anonymous", q(csos)),
            ("API", "staff_admin", q(csos, status="approved", province="10")),
            ("API", "anonymous", q(csos, province="10", activity_field=field)),
            ("API", "staff_admin", q(csos, search=COMMON_WORD)),
            ("API", "anonymous", q(csos, search=COMMON_WORD)),
            ("API", "staff_admin", q(csos, search=RARE_WORDS)),
            ("API", "staff_admin", q(csos, page=deep(all_csos))),
            ("API", "anonymous", q(csos, page=deep(approved))),
            ("API", "staff_admin", q(agr)),
            ("API", "staff_admin", q(agr, status="active", kind="grant")),
            ("API", "staff_admin", q(agr, search=COMMON_WORD)),
            ("API", "staff_admin", q(agr, page=deep(agreements))),
            ("API", "staff_admin", q(agr, status="active", kind="grant", page=deep(active_grants))),
            ("API", "officer", q(agr)),
            ("API", "officer", q(agr, status="active")),
            ("web", "anonymous", q("/csos/")),
            ("web", "anonymous", q("/csos/", province="10", activity_field=field)),
            ("web", "anonymous", q("/csos/", q=COMMON_WORD)),
            ("web", "anonymous", q("/csos/", page=deep(approved))),
            ("web", "staff_admin", q("/agreements/")),
            ("web", "staff_admin", q("/agreements/", status="active", kind="grant")),
            ("web", "staff_admin", q("/agreements/", page=deep(agreements))),
            ("web", "officer", q("/agreements/")),
        ]

    def _clients(self):
        admin = User.objects.get(username=ADMIN)
        officer = User.objects.get(username=OFFICER)
        clients = {("API", "anonymous"): Client(), ("web", "anonymous"): Client()}
        for who, user in (("staff_admin", admin), ("officer", officer)):
            token, _created = Token.objects.get_or_create(user=user)
            clients[("API", who)] = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
            web = Client()
            web.force_login(user)
            clients[("web", who)] = web
        return clients

    def _run(self, *, repeat, only, explain):
        results = []
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            clients = self._clients()
            for kind, who, path in self._cases():
                if only and only not in path:
                    continue
                client = clients[(kind, who)]
                cache.clear()  # throttle counters: the benchmark is not a flood
                reset_queries()  # a full log (9,000 under DEBUG) would hide the new ones
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                queries = captured.captured_queries  # before the next request clears the log
                count = None
                if kind == "API" and response.status_code == 200:
                    count = response.json().get("count")
                times = []
                for _i in range(repeat):
                    cache.clear()
                    started = time.perf_counter()
                    client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                results.append(
                    {
                        "kind": kind,
                        "who": who,
                        "path": path,
                        "status": response.status_code,
                        "count": count,
                        "queries": len(queries),
                        "median": statistics.median(times),
                        "p95": times[max(0, math.ceil(0.95 * len(times)) - 1)],
                    }
                )
                self.stderr.write(f"{results[-1]['median']:8.1f} ms  {who:<11} {unquote(path)}")
                if explain:
                    self._explain(queries)
        return results

    def _explain(self, queries):
        if connection.vendor != "postgresql" or not queries:
            return
        slowest = max(queries, key=lambda q: float(q["time"]))
        if not slowest["sql"].lstrip().upper().startswith("SELECT"):
            return
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.stderr.write(f"    slowest ({slowest['time']} s): {slowest['sql'][:300]}\n{plan}\n")

    def _table(self, results, repeat):
        vendor = connection.vendor
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                vendor = f"PostgreSQL {cursor.fetchone()[0]}"
        lines = [
            f"{CSO.objects.count():,} CSOs, {Agreement.objects.count():,} agreements; "
            f"{vendor}; median and 95th percentile of {repeat} requests each.",
            "",
            "| Request | As | Count | Queries | Median ms | p95 ms |",
            "|---|---|--:|--:|--:|--:|",
        ]
        for r in results:
            status = "" if r["status"] == 200 else f" **{r['status']}**"
            count = "" if r["count"] is None else f"{r['count']:,}"
            request = f"{r['kind']} `{unquote(r['path'])}`{status}"
            lines.append(
                f"| {request} | {r['who']} | {count} | {r['queries']} "
                f"| {r['median']:.1f} | {r['p95']:.1f} |"
            )
        return "\n".join(lines) + "\n"
