"""Long lists stay fast (issue 6): how fast is measured by ``make bench`` at 100,000 rows, not
here. These tests hold what makes them fast to what the lists promised before: the same rows,
each once, in the same order and the same count, for the same number of queries, and the
benchmark command itself working and refusing any database but its own."""

import pytest
from django.core.management import CommandError, call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.agreements.selectors import agreement_base_queryset
from contracts.agreements.timeline import has_settlement
from csos.models import CSO
from portal.lists import KeysFirstPaginator
from tests.factories import CSOFactory, EvaluatorFactory, StaffAdminFactory, award

pytestmark = pytest.mark.django_db


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def ids(body):
    return [row["id"] for row in body["results"]]


# --- pages by key --------------------------------------------------------------------------


def test_keys_first_pages_hold_the_same_rows_as_plain_pages():
    for _ in range(5):
        award()
    newest_first = agreement_base_queryset().order_by("-created_at", "-id")
    by_amount = agreement_base_queryset().order_by("amount", "id")
    for qs in (newest_first, by_amount):
        for per_page, orphans in ((2, 0), (2, 1), (3, 0), (10, 0)):
            plain = Paginator(qs, per_page, orphans=orphans)
            keyed = KeysFirstPaginator(qs, per_page, orphans=orphans)
            assert (keyed.count, keyed.num_pages) == (plain.count, plain.num_pages)
            for number in plain.page_range:
                assert [a.pk for a in keyed.page(number)] == [a.pk for a in plain.page(number)]


def test_a_deep_page_costs_the_queries_of_the_first():
    for _ in range(3):
        award()
    pages = KeysFirstPaginator(agreement_base_queryset().order_by("-created_at", "-id"), 1)

    def read(number):
        with CaptureQueriesContext(connection) as captured:
            for a in pages.page(number):
                (a.proposal.call.title, a.cso.name_th, a.agency.name_th, has_settlement(a))
                (list(a.tranches.all()), list(a.reports.all()), list(a.evaluations.all()))
                [list(t.payment_requests.all()) for t in a.tranches.all()]
        return len(captured.captured_queries)

    assert pages.count == 3  # counted once, before the pages are read
    # The page's keys, its rows with their joins, then one query per prefetched relation.
    assert read(1) == read(3) <= 8


# --- filters through a to-many relation ----------------------------------------------------


def test_province_and_field_filters_list_each_matching_cso_once(api_client):
    both = CSOFactory(
        status="approved",
        service_provinces=["10", "50"],
        activity_fields=["social_services", "health"],
    )
    bangkok = CSOFactory(status="approved", service_provinces=["10"])
    CSOFactory(status="approved", service_provinces=["50"])

    body = ok(api_client.get("/api/v1/csos/", {"province": "10"}))
    assert (body["count"], sorted(ids(body))) == (2, sorted([both.pk, bangkok.pk]))
    body = ok(api_client.get("/api/v1/csos/", {"province": "10", "activity_field": "health"}))
    assert (body["count"], ids(body)) == (1, [both.pk])
    assert ok(api_client.get("/api/v1/csos/", {"province": "96"}))["count"] == 0


def test_the_directory_lists_a_cso_once_whatever_it_matches(client):
    cso = CSOFactory(
        status="approved",
        name_th="มูลนิธิรักษ์ป่าทดสอบ",
        service_provinces=["10", "50"],
        activity_fields=["social_services", "health"],
    )
    response = client.get("/csos/", {"q": "รักษ์ป่า", "province": "10"})
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"].object_list] == [cso.pk]
    assert response.context["page"].paginator.count == 1


def test_an_evaluator_of_two_evaluations_sees_the_agreement_once(api_as):
    agreement = award(instrument="performance_contract")  # a mid-term and a final
    evaluator = EvaluatorFactory()
    for evaluation in agreement.evaluations.all()[:2]:
        evaluation.evaluators.add(evaluator)
    assert agreement.evaluations.count() >= 2

    body = ok(api_as(evaluator).get("/api/v1/agreements/"))
    assert (body["count"], ids(body)) == (1, [agreement.pk])


# --- search across tables ------------------------------------------------------------------


def test_agreement_search_matches_its_own_fields_and_its_csos_name(api_as):
    health = award(cso=CSOFactory(status="approved", name_th="มูลนิธิสุขภาพชุมชนทดสอบ"))
    other = award()
    staff = api_as(StaffAdminFactory())

    def found(term):
        body = ok(staff.get("/api/v1/agreements/", {"search": term}))
        assert body["count"] == len(body["results"])
        return sorted(ids(body))

    assert found("สุขภาพชุมชน") == [health.pk]  # the CSO's name
    assert found(other.number) == [other.pk]  # the agreement's own number
    assert found(other.number.lower()) == [other.pk]  # case does not matter
    # Every term must match somewhere: one the title, one the CSO's name.
    assert found(f"{health.title[:4]} สุขภาพชุมชน") == [health.pk]
    assert found(f"{other.number} สุขภาพชุมชน") == []
    assert found("ไม่มีคำนี้ในระบบ") == []


def test_cso_search_by_name_or_exact_juristic_id(api_client):
    cso = CSOFactory(status="approved", name_th="สมาคมดนตรีพื้นบ้านทดสอบ")
    CSOFactory(status="approved")

    def found(term):
        return ids(ok(api_client.get("/api/v1/csos/", {"search": term})))

    assert found("ดนตรีพื้นบ้าน") == [cso.pk]
    assert found(cso.juristic_id) == [cso.pk]
    assert found(cso.juristic_id[:6]) == []  # the ID matches whole, not in part


# --- the benchmark command ------------------------------------------------------------------


def test_the_benchmark_refuses_production(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(CommandError, match="never runs in production"):
        call_command("bench_lists", rows=100, repeat=1)


def test_the_benchmark_wants_its_database_given_explicitly(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(CommandError, match="DATABASE_URL"):
        call_command("bench_lists", rows=100, repeat=1)


def test_the_benchmark_wants_a_database_named_for_it_not_just_an_empty_one(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "set-by-the-test")
    monkeypatch.setitem(connection.settings_dict, "NAME", "portal")  # make test's default
    with pytest.raises(CommandError, match="not named for the benchmark"):
        call_command("bench_lists", rows=100, repeat=1)


def test_the_benchmark_leaves_a_database_with_real_data_alone(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "set-by-the-test")
    StaffAdminFactory(username="admin")
    with pytest.raises(CommandError, match="did not create"):
        call_command("bench_lists", rows=100, repeat=1)
    assert not CSO.objects.exists()  # refused before writing a row


def test_the_benchmark_fills_and_times_every_list(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "set-by-the-test")
    call_command("bench_lists", rows=120, repeat=1)
    table = capsys.readouterr().out
    assert "| Request | As | Count | Queries | Median ms | p95 ms |" in table
    assert "| API `/api/v1/csos/` | staff_admin | 120 |" in table
    assert "| API `/api/v1/agreements/` | staff_admin | 120 |" in table
    rows = [line for line in table.splitlines() if line.startswith("| API") or "| web" in line]
    assert len(rows) == 24
    assert "**" not in table  # every request answered 200

    # A second run reuses the data; a different size is refused, not mixed in.
    call_command("bench_lists", rows=120, repeat=1, only="/csos/")
    with pytest.raises(CommandError, match="120 benchmark CSOs, not 200"):
        call_command("bench_lists", rows=200, repeat=1)
