"""Idempotency-Key on the writes that move money, on PostgreSQL: a replay gets the first
answer and changes nothing, another body with the key is a conflict, keys are per caller,
errors are not kept, and two requests at once with one key give one effect."""

import datetime
import threading
import time

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, MoneyMovement, Settlement
from portal.audit import audit_history
from portal.models import IdempotencyRecord
from tests.factories import ApiClientFactory, award, selected_proposal
from tests.helpers import assert_error, token_key

pytestmark = pytest.mark.django_db

KEY = "9b2f6c1e-5d0a-4f7e-8c3b-2a1d0e9f8b7c"


def url(agreement, action):
    return f"/api/v1/agreements/{agreement.pk}/{action}/"


def client_for(user, key=None):
    """A client with the user's token and, if given, an Idempotency-Key on every request."""
    client = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"Token {token_key(user)}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    client.credentials(**headers)
    return client


@pytest.fixture
def released(db):
    """A signed performance contract whose first tranche is released."""
    agreement = award(instrument="performance_contract")
    agreement_services.tranche_release(
        tranche=agreement.tranches.get(seq=1), officer=agreement.proposal.call.created_by
    )
    return agreement


def payment(reference="GFMIS-0001"):
    return {"payment_reference": reference, "paid_on": timezone.localdate().isoformat()}


def test_a_replayed_payment_returns_the_first_answer_and_pays_once(released, finance):
    client = client_for(finance, KEY)
    first = client.post(url(released, "tranches/1/pay"), payment(), format="json")
    assert first.status_code == 200, first.content
    assert "Idempotent-Replayed" not in first

    # The same body with its keys in another order is the same request.
    again = client.post(
        url(released, "tranches/1/pay"),
        {"paid_on": payment()["paid_on"], "payment_reference": "GFMIS-0001"},
        format="json",
    )
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert MoneyMovement.objects.filter(kind="payment").count() == 1
    assert audit_history(released.tranches.get(seq=1)).filter(action="pay").count() == 1

    # Without the key, a second payment is refused as usual.
    assert_error(
        client_for(finance).post(url(released, "tranches/1/pay"), payment(), format="json"),
        409,
        "invalid_transition",
    )


def test_the_same_key_with_another_body_is_a_conflict(released, finance):
    client = client_for(finance, KEY)
    assert client.post(url(released, "tranches/1/pay"), payment(), format="json").status_code == 200
    assert_error(
        client.post(url(released, "tranches/1/pay"), payment("GFMIS-9999"), format="json"),
        409,
        "conflict",
    )
    # Another address with the key is another request too.
    assert_error(
        client.post(url(released, "tranches/2/pay"), payment(), format="json"), 409, "conflict"
    )
    assert released.tranches.get(seq=1).payment_reference == "GFMIS-0001"


def test_keys_belong_to_their_caller(finance):
    first, second = award(), award()
    other_finance = ApiClientFactory(scopes=["read", "payments"]).user
    for agreement in (first, second):
        agreement_services.tranche_release(
            tranche=agreement.tranches.get(seq=1), officer=agreement.proposal.call.created_by
        )
    a = client_for(finance, KEY).post(url(first, "tranches/1/pay"), payment("A"), format="json")
    b = client_for(other_finance, KEY).post(
        url(second, "tranches/1/pay"), payment("B"), format="json"
    )
    assert (a.status_code, b.status_code) == (200, 200)
    assert "Idempotent-Replayed" not in b
    assert b.json()["payment_reference"] == "B"
    assert MoneyMovement.objects.filter(kind="payment").count() == 2
    assert IdempotencyRecord.objects.filter(key=KEY).count() == 2


def test_an_error_is_not_kept_so_the_key_can_be_used_again(finance):
    agreement = award(instrument="performance_contract", sign=False)
    officer = client_for(agreement.proposal.call.created_by, KEY)
    assert_error(officer.post(url(agreement, "tranches/1/release")), 409, "invalid_transition")
    assert not IdempotencyRecord.objects.exists()
    agreement_services.agreement_accept(
        agreement=agreement,
        user=agreement.cso.members.first(),
        signed_name="สมหญิง ใจดี",
        confirm=True,
    )
    response = officer.post(url(agreement, "tranches/1/release"))
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    record = IdempotencyRecord.objects.get()
    assert (record.status_code, record.body["status"]) == (200, "released")


def test_a_key_longer_than_255_characters_is_refused(released, finance):
    response = client_for(finance, "k" * 256).post(
        url(released, "tranches/1/pay"), payment(), format="json"
    )
    assert_error(response, 400, "validation_error", fields=["Idempotency-Key"])
    assert released.tranches.get(seq=1).status == "released"
    ok = client_for(finance, "k" * 255).post(
        url(released, "tranches/1/pay"), payment(), format="json"
    )
    assert ok.status_code == 200


def test_award_sign_and_settlement_replay_too(finance):
    proposal = selected_proposal()
    officer = client_for(proposal.call.created_by, "award-1")
    awarded = officer.post(f"/api/v1/proposals/{proposal.pk}/award/", {}, format="json")
    replay = officer.post(f"/api/v1/proposals/{proposal.pk}/award/", {}, format="json")
    assert (awarded.status_code, replay.status_code) == (201, 201)
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == awarded.json()["id"]
    assert Agreement.objects.count() == 1

    agreement = Agreement.objects.get()
    member = client_for(proposal.cso.members.first(), "sign-1")
    body = {"signed_name": "สมหญิง ใจดี", "confirm": True}
    assert member.post(url(agreement, "accept"), body, format="json").status_code == 200
    replay = member.post(url(agreement, "accept"), body, format="json")
    assert (replay.status_code, replay["Idempotent-Replayed"]) == (200, "true")
    assert [r.action for r in audit_history(agreement)] == ["award", "sign"]

    with time_machine.travel(datetime.datetime(2028, 1, 15, 10, tzinfo=datetime.UTC)):
        # A year on, the program holds a new token (a person's lasts API_TOKEN_DAYS).
        member = client_for(proposal.cso.members.first(), "settle-1")
        body = {"spent_total": "0.00"}
        first = member.post(url(agreement, "settlement"), body, format="json")
        replay = member.post(url(agreement, "settlement"), body, format="json")
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert (first.json()["disbursed_total"], first.json()["refund_due"]) == ("0.00", "0.00")
    assert Settlement.objects.count() == 1


# --- two requests at once ---------------------------------------------------------------


def _at_once(monkeypatch, agreement, key):
    """Two requests from the officer to release tranche 1 at the same moment. The release
    lingers a little after its work, so the second request arrives while the first is still
    open."""
    real = agreement_services.tranche_release

    def slow_release(**kwargs):
        tranche = real(**kwargs)
        time.sleep(0.3)
        return tranche

    monkeypatch.setattr(agreement_services, "tranche_release", slow_release)
    officer = agreement.proposal.call.created_by
    start = threading.Barrier(2, timeout=10)
    responses = []

    clients = [client_for(officer, key) for _ in range(2)]  # one token, made beforehand

    def release(client):
        try:
            start.wait()
            responses.append(client.post(url(agreement, "tranches/1/release")))
        finally:
            connection.close()

    threads = [threading.Thread(target=release, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(responses) == 2, responses
    return responses


@pytest.mark.django_db(transaction=True)
def test_two_releases_at_once_with_one_key_have_one_effect_and_one_answer(monkeypatch):
    agreement = award(instrument="performance_contract")
    responses = _at_once(monkeypatch, agreement, KEY)

    assert [r.status_code for r in responses] == [200, 200], [r.content for r in responses]
    assert responses[0].json() == responses[1].json()
    assert responses[0].json()["status"] == "released"
    assert sorted(r.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]
    tranche = agreement.tranches.get(seq=1)
    assert MoneyMovement.objects.filter(tranche=tranche, kind="release").count() == 1
    assert audit_history(tranche).filter(action="release").count() == 1
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_releases_at_once_without_a_key_give_one_success_and_one_refusal(monkeypatch):
    agreement = award(instrument="performance_contract")
    responses = _at_once(monkeypatch, agreement, None)

    assert sorted(r.status_code for r in responses) == [200, 409], [r.content for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["error"]["code"] in {"invalid_transition", "conflict"}
    tranche = agreement.tranches.get(seq=1)
    assert MoneyMovement.objects.filter(tranche=tranche, kind="release").count() == 1
    assert not IdempotencyRecord.objects.exists()
