"""The reads behind the open data: awarded agreements in one prefetched queryset, the data's
version, and how many CSOs sent a proposal to each call."""

import hashlib

from django.db import connection
from django.db.models import Count, Prefetch, Q

from agencies.models import Agency, Mission
from contracts.agreements.models import Agreement, Tranche
from contracts.calls.models import Call
from contracts.open_data.models import Export
from contracts.proposals.models import Proposal
from contracts.report_cards import version_columns
from csos.models import CSO
from portal import page_cache

AS = Agreement.Status
TS = Tranche.Status


def _signed():
    return Agreement.objects.filter(signed_at__isnull=False).exclude(status=AS.DECLINED)


def awarded_agreements():
    """Every agreement the CSO signed, with all the open data needs fetched up front."""
    return (
        _signed()
        .select_related(
            "agency__province",
            "cso",
            "proposal__call__agency__province",
            "proposal__call__mission",
            "proposal__call__mission__activity_field",
        )
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("seq")),
            "variations",
            "cso__service_provinces",
            "proposal__call__mission__provinces",
            "proposal__call__eligible_provinces",
            "proposal__call__eligible_activity_fields",
        )
        .order_by("id")
    )


def awarded_agreements_of_calls(calls) -> list[Agreement]:
    """The awarded agreements answering ``calls``, fetched as ``awarded_agreements``."""
    return list(awarded_agreements().filter(proposal__call__in=[c.pk for c in calls]))


def exports_in(language: str) -> dict:
    """The files as last built in ``language``, by name with the dot as an underscore
    (``ocds_json``), for templates."""
    exports = Export.objects.filter(language=language)
    return {export.name.replace(".", "_"): export for export in exports}


def awarded_counts_by_call() -> dict[int, int]:
    """How many awarded agreements answer each call (one query)."""
    rows = _signed().values("proposal__call_id").annotate(n=Count("id")).order_by()
    return {row["proposal__call_id"]: row["n"] for row in rows}


def published_calls():
    """Every call published, as a forecast or open (drafts are not public), in the order
    they were made, with what its releases read fetched up front."""
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .filter(Q(published_at__isnull=False) | Q(forecast_at__isnull=False))
        .select_related("agency__province", "mission")
        .prefetch_related("eligible_provinces", "eligible_activity_fields")
        .order_by("id")
    )


def data_version() -> str:
    """A fingerprint of everything the open data shows: it changes when an agreement, a
    tranche, a payment, a CSO, a call, a proposal or a mission changes, or a citizen rates a
    service, so a cached file is never served after the data behind it moved. With a shared
    cache, from those tables' versions (no query: a request for a file answers at once);
    else in one query counting and dating their rows."""
    q = connection.ops.quote_name
    agreement, tranche = q(Agreement._meta.db_table), q(Tranche._meta.db_table)
    columns = [
        ("COUNT(*)", agreement, ""),
        ("MAX(updated_at)", agreement, ""),
        ("COUNT(*)", tranche, ""),
        ("COUNT(*)", tranche, " WHERE status = %s"),
        ("MAX(paid_at)", tranche, ""),
        ("MAX(updated_at)", q(CSO._meta.db_table), ""),
        ("MAX(updated_at)", q(Call._meta.db_table), ""),
        ("MAX(updated_at)", q(Proposal._meta.db_table), ""),
        ("MAX(updated_at)", q(Mission._meta.db_table), ""),
        ("COUNT(*)", q(Agency._meta.db_table), ""),
        *version_columns(),  # the citizens' answers behind the report-card aggregates
    ]
    if page_cache.versions_shared():
        return page_cache.fingerprint({table.strip('"') for _what, table, _where in columns})
    # Only the models' own table names (quoted) and the fixed expressions above are joined
    # into the SQL; the one value, the status, is a parameter.
    parts = [f"(SELECT {what} FROM {table}{where})" for what, table, where in columns]  # nosec B608 # fixed expressions and quoted model table names, no input
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [TS.PAID])
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


def _tenderers_by_call() -> dict[int, int]:
    """How many proposals each call received (one query)."""
    rows = (
        Proposal.objects.filter(status__in=Proposal.SENT)
        .values("call_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["call_id"]: row["n"] for row in rows}
