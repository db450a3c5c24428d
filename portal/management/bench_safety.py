"""What keeps the benchmark commands (``bench_lists``, ``seed_scale``, ``bench``) away from
real data: they refuse production, a DATABASE_URL not set explicitly, a database without
"bench" in its name and any database holding rows they did not write. A missing PostgreSQL
database is created (never dropped)."""

import os

from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from agencies.models import Agency, Mission
from contracts.agreements.models import Agreement
from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from csos.models import CSO
from portal.management.bench_data import AGENCY_EN, BENCH
from portal.models import User


def refuse_production(command):
    if os.environ.get("PORTAL_ENV") == "production" or getattr(settings, "PRODUCTION", False):
        raise CommandError("The benchmark never runs in production.")
    if not os.environ.get("DATABASE_URL"):  # not the development default by accident
        raise CommandError(
            "Set DATABASE_URL to a database of the benchmark's own, e.g. "
            "postgres://postgres@127.0.0.1:5432/portal_bench_data."
        )


def refuse_other_databases(command):
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


def create_database_if_missing(command):
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
        command.stderr.write(f"Created the database {db['NAME']}.")


def refuse_foreign_data(command):
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
