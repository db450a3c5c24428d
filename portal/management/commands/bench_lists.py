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
import os
import random
import statistics
import time
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from stdnum.th import moa

from agencies.models import Agency, Mission
from contracts.agreements.models import Agreement, Settlement, Tranche
from contracts.calls.models import Call, Instrument
from contracts.proposals.models import Proposal
from csos.models import CSO
from portal.management.bench_data import (
    ADMIN,
    AGENCIES,
    AGENCY_EN,
    AGREEMENT_STATUSES,
    BATCH,
    BENCH,
    CALL_INSTRUMENTS,
    CALLS_PER_AGENCY,
    CENT,
    COMMON_WORD,
    CSO_STATUSES,
    OFFICER,
    PER_PAGE,
    PREFIXES,
    RARE_WORDS,
    SHARES,
    WORDS,
    _dates_as_given,
    _pick,
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
        self._refuse_production()
        self._refuse_other_databases()
        self._create_database_if_missing()
        self._refuse_foreign_data()
        call_command("migrate", interactive=False, verbosity=0)
        self._refuse_foreign_data()
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

    # --- safety ---------------------------------------------------------------------------

    def _refuse_production(self):
        if os.environ.get("PORTAL_ENV") == "production" or getattr(settings, "PRODUCTION", False):
            raise CommandError("bench_lists never runs in production.")
        if not os.environ.get("DATABASE_URL"):  # not the development default by accident
            raise CommandError(
                "Set DATABASE_URL to a database of the benchmark's own, e.g. "
                "postgres://postgres@127.0.0.1:5432/portal_bench_data."
            )

    def _refuse_other_databases(self):
        """An empty database is not enough: the default one of ``make test`` is empty too.
        The benchmark's own has "bench" in its name (or is a throwaway test database)."""
        name = str(connection.settings_dict["NAME"])
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        if "bench" not in name.lower() and not name.startswith("test_") and not in_memory:
            raise CommandError(
                f"The database {name!r} is not named for the benchmark: give it a database "
                "with 'bench' in its name, e.g. "
                "postgres://postgres@127.0.0.1:5432/portal_bench_data."
            )

    def _create_database_if_missing(self):
        """A PostgreSQL database that does not exist yet is created (never dropped)."""
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            db = connection.settings_dict
            if connection.vendor != "postgresql" or "does not exist" not in str(exc):
                raise
            import psycopg2
            from psycopg2 import sql

            server = psycopg2.connect(
                dbname="postgres",
                user=db["USER"] or None,
                password=db["PASSWORD"] or None,
                host=db["HOST"] or None,
                port=db["PORT"] or None,
            )
            server.autocommit = True
            with server.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            server.close()
            self.stderr.write(f"Created the database {db['NAME']}.")

    def _refuse_foreign_data(self):
        """Only rows the benchmark wrote: its bench_* accounts, its agencies, and CSOs,
        calls, proposals and agreements created by those accounts."""
        tables = set(connection.introspection.table_names())
        bench_users = User.objects.filter(username__startswith=BENCH)
        checks = [
            (User, lambda: User.objects.exclude(username__startswith=BENCH)),
            (Agency, lambda: Agency.objects.exclude(name_en__startswith=AGENCY_EN)),
            (Mission, lambda: Mission.objects.exclude(agency__name_en__startswith=AGENCY_EN)),
            (CSO, lambda: CSO.objects.exclude(created_by__in=bench_users)),
            (Call, lambda: Call.objects.exclude(created_by__in=bench_users)),
            (Proposal, lambda: Proposal.objects.exclude(created_by__in=bench_users)),
            (Agreement, lambda: Agreement.objects.exclude(created_by__in=bench_users)),
        ]
        if User._meta.db_table not in tables:
            return
        for model, foreign in checks:
            if model._meta.db_table in tables and foreign().exists():
                raise CommandError(
                    f"This database holds {model._meta.verbose_name_plural} that the benchmark "
                    "did not create. Point DATABASE_URL at a database of its own."
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
                self._csos(rng, n, provinces, admin, now), batch_size=BATCH
            )
            self._cso_links(rng, csos, provinces, field_codes)
            self.stderr.write(f"{len(csos):,} CSOs")
            eligible = [c for c in csos if c.status in {"approved", "suspended"}]
            proposals = Proposal.objects.bulk_create(
                self._proposals(rng, n, eligible, calls, admin, now), batch_size=BATCH
            )
            agreements = Agreement.objects.bulk_create(
                self._agreements(rng, proposals, calls, admin), batch_size=BATCH
            )
            self.stderr.write(f"{len(agreements):,} agreements")
            tranches = Tranche.objects.bulk_create(
                self._tranches(rng, agreements, today), batch_size=BATCH
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

    def _csos(self, rng, n, provinces, admin, now):
        this_year = timezone.localtime(now).year
        for i in range(n):
            status = _pick(rng, CSO_STATUSES)
            prefix = rng.choice(PREFIXES)
            (w1_th, w1_en), (w2_th, w2_en) = rng.sample(WORDS, 2)
            place = rng.choice(provinces)
            registered = rng.random() < 0.6
            jid = ""
            if registered:
                base = f"0105{i:08d}"
                jid = base + moa.calc_check_digit(base)
            created = now - datetime.timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
            sent = status != CSO.Status.DRAFT
            approved = status in {CSO.Status.APPROVED, CSO.Status.SUSPENDED}
            yield CSO(
                name_th=f"{prefix[0]}{w1_th}{w2_th}{place.name_th}",
                name_en=""
                if rng.random() < 0.3
                else f"{prefix[1]} for {w1_en} and {w2_en}, {place.name_en}",
                org_form=rng.choice(CSO._meta.get_field("org_form").choices)[0],
                registered=registered,
                juristic_id=jid,
                founded_year=rng.randint(1970, this_year),
                address=f"{rng.randint(1, 999)} หมู่ {rng.randint(1, 15)} {place.name_th}",
                contact_email=f"cso{i}@example.org",
                contact_phone=f"0{rng.randint(20_000_000, 99_999_999)}",
                staff_count=rng.randint(1, 200),
                certified_staff_count=rng.randint(0, 20),
                networks="เครือข่ายองค์กรในจังหวัด",
                track_record="ดำเนินโครงการร่วมกับหน่วยงานรัฐมาแล้วหลายโครงการ",
                status=status,
                scope_note="งานบริการในพื้นที่" if approved else "",
                certificate_number=f"B{i:07d}" if approved else "",
                created_by=admin,
                created_at=created,
                submitted_at=created + datetime.timedelta(days=3) if sent else None,
                approved_at=created + datetime.timedelta(days=20) if approved else None,
            )

    def _cso_links(self, rng, csos, provinces, field_codes):
        fields_through = CSO.activity_fields.through
        provinces_through = CSO.service_provinces.through
        certified_through = CSO.certified_fields.through
        fields, places, certified = [], [], []
        codes = [p.code for p in provinces]
        for cso in csos:
            mine = rng.sample(field_codes, rng.randint(1, 3))
            fields += [fields_through(cso_id=cso.pk, activityfield_id=c) for c in mine]
            where = set(rng.sample(codes, rng.randint(1, 4)))
            if rng.random() < 0.15:
                where.add("10")
            places += [provinces_through(cso_id=cso.pk, province_id=c) for c in where]
            if cso.status in {CSO.Status.APPROVED, CSO.Status.SUSPENDED}:
                certified.append(certified_through(cso_id=cso.pk, activityfield_id=mine[0]))
        for through, rows in (
            (fields_through, fields),
            (provinces_through, places),
            (certified_through, certified),
        ):
            through.objects.bulk_create(rows, batch_size=5 * BATCH)

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

    def _agreements(self, rng, proposals, calls, admin):
        by_id = {c.pk: c for c in calls}
        for i, proposal in enumerate(proposals):
            call = by_id[proposal.call_id]
            status = _pick(rng, AGREEMENT_STATUSES)
            signed = status in {"active", "completed", "settled"} or (
                status == "terminated" and rng.random() < 0.7
            )
            created = proposal.decided_at + datetime.timedelta(minutes=rng.randint(1, 20_000))
            yield Agreement(
                kind=call.instrument,
                proposal=proposal,
                agency_id=call.agency_id,
                cso_id=proposal.cso_id,
                number=f"BENCH-{i:06d}",
                title=proposal.title,
                amount=proposal.requested_amount,
                start_date=proposal.start_date,
                end_date=proposal.end_date,
                status=status,
                signed_name="ผู้ลงนามทดสอบ" if signed else "",
                signed_at=created + datetime.timedelta(days=5) if signed else None,
                created_by=admin,
                created_at=created,
            )

    def _tranches(self, rng, agreements, today):
        moved = {
            Agreement.Status.ACTIVE: 1,
            Agreement.Status.TERMINATED: 1,
            Agreement.Status.COMPLETED: 99,
            Agreement.Status.SETTLED: 99,
        }
        for a in agreements:
            shares = rng.choice(SHARES[a.kind])
            paid_upto = min(moved.get(a.status, 0), len(shares))
            if a.status == Agreement.Status.TERMINATED and not a.signed_at:
                paid_upto = 0
            rest = a.amount
            for seq, share in enumerate(shares, start=1):
                last = seq == len(shares)
                amount = rest if last else (a.amount * share / 100).quantize(CENT, ROUND_HALF_UP)
                rest -= amount
                paid = seq <= paid_upto
                at = a.signed_at + datetime.timedelta(days=10 * seq) if paid else None
                yield Tranche(
                    agreement=a,
                    seq=seq,
                    share_percent=Decimal(share),
                    amount=amount,
                    condition=(
                        Tranche.Condition.ON_SIGNING
                        if seq == 1
                        else Tranche.Condition.ON_COMPLETION
                        if a.kind == Instrument.PERFORMANCE_CONTRACT
                        else Tranche.Condition.ON_SCHEDULE
                    ),
                    planned_on=None
                    if seq == 1 or a.kind == Instrument.PERFORMANCE_CONTRACT
                    else a.start_date + datetime.timedelta(days=90 * (seq - 1)),
                    status=Tranche.Status.PAID if paid else Tranche.Status.SCHEDULED,
                    released_at=at,
                    paid_at=at,
                    paid_on=at.date() if at else None,
                    payment_reference=f"GF{a.pk:07d}{seq}" if paid else "",
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
