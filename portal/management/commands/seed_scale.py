"""Fill a benchmark database with a national data set: every kind of object the portal has,
at the sizes of Thailand (77 provinces, 350 agencies, 30,000 CSOs, 2,000 calls, 100,000
proposals with reviews, 20,000 agreements with tranches, reports, expenses, variations and
evaluations, 200,000 survey responses, 50,000 grievances, consultations with 500,000
contributions, budget rounds with 1,000,000 ballots). ``make bench`` runs it first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_national \\
        .venv/bin/python manage.py seed_scale                 # or --scale 0.1, --csos 5000

Synthetic load data, bulk-written straight into the tables (portal/management/scale/), each
row valid for the models' constraints. It refuses production and any database not named for
the benchmark or holding rows it did not write (portal/management/bench_safety.py). A second
run finds the data there and does nothing; drop the database to build it again."""

import random
import time
from dataclasses import fields

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string

from csos.models import CSO
from portal.management import bench_safety
from portal.management.scale.context import ScaleContext, Sizes
from portal.models import ActivityField, Province

PARTS = {  # each part reads what the earlier ones wrote
    "core": "portal.management.scale.core.build_core",
    "delivery": "portal.management.scale.delivery.build_delivery",
    "participation": "portal.management.scale.participation.build_participation",
}


class Command(BaseCommand):
    help = (
        "Fill a benchmark database with a national data set (sizes as flags). Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--parts",
            default=",".join(PARTS),
            help="which parts to write, comma-separated (core is always written)",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="every size times this (e.g. 0.1)"
        )
        for f in fields(Sizes):
            parser.add_argument(
                f"--{f.name.replace('_', '-')}",
                type=int,
                default=None,
                help=f"{f.name.replace('_', ' ')} (default {f.default:,} times --scale)",
            )

    def handle(self, *args, scale, parts, **options):
        wanted = {"core", *(p.strip() for p in parts.split(",") if p.strip())}
        if wanted - set(PARTS):
            raise CommandError(f"Unknown parts: {', '.join(sorted(wanted - set(PARTS)))}.")
        sizes = Sizes().scaled(scale) if scale != 1 else Sizes()
        for f in fields(Sizes):
            if options.get(f.name) is not None:
                setattr(sizes, f.name, options[f.name])
        bench_safety.refuse_production(self)
        bench_safety.refuse_other_databases(self)
        bench_safety.create_database_if_missing(self)
        bench_safety.refuse_foreign_data(self)
        call_command("migrate", interactive=False, verbosity=0)
        bench_safety.refuse_foreign_data(self)
        if CSO.objects.exists():
            self.stdout.write(
                "The national data set is already there (drop the database to rebuild)."
            )
            return
        # No log of every statement (DEBUG keeps 9,000 of them, and bulk inserts are large).
        with override_settings(DEBUG=False):
            self.stdout.write(self.build(sizes, [p for p in PARTS if p in wanted]))

    def build(self, sizes: Sizes, parts: list[str]) -> str:
        now = timezone.now()
        ctx = ScaleContext(
            rng=random.Random(18),  # nosec B311 # repeatable synthetic load data, not a secret
            now=now,
            today=timezone.localdate(now),
            sizes=sizes,
            log=lambda message: self.stderr.write(message),
            provinces=list(Province.objects.order_by("code")),
            field_codes=list(ActivityField.objects.order_by("code").values_list("code", flat=True)),
        )
        lines = ["| Part | Rows | Seconds |", "|---|---|--:|"]
        for name in parts:
            started = time.perf_counter()
            counts = import_string(PARTS[name])(ctx)
            took = time.perf_counter() - started
            rows = ", ".join(f"{n:,} {label}" for label, n in counts.items())
            lines.append(f"| {name} | {rows} | {took:.0f} |")
            self.stderr.write(f"{name}: {rows} in {took:.0f} s")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with (
                connection.cursor() as cursor
            ):  # statistics and visibility map, as autovacuum would
                cursor.execute("VACUUM ANALYZE")
        return "\n".join(lines) + "\n"
