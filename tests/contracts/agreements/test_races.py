"""A tranche released while its agreement is being terminated: the release locks the
agreement first, as the termination does, so the audit log never shows a release after the
end, and the finance system never pays a tranche released after it. Likewise while the
committee suspends the organisation, or its members change its bank account: the release
locks the CSO next, as those do. Run with threads on PostgreSQL, with the worst
interleavings forced and many times freely."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from contracts.agreements import rules as agreement_rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, Tranche
from csos.bank import services as bank_services
from csos.models import CSO
from csos.review import services as review_services
from portal import workflow
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import ReviewerFactory, award, bank_account_for
from tests.helpers import officer_of, pause_after, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("english")]

ROUNDS = 12


def _released_after_termination(agreement) -> bool:
    """True when the audit log shows a release after the agreement's termination."""
    ended = audit_history(agreement).filter(action="terminate").values_list("pk", flat=True)
    if not ended:
        return False
    releases = [
        row.pk
        for tranche in Tranche.objects.filter(agreement=agreement)
        for row in audit_history(tranche).filter(action="release")
    ]
    return any(pk > ended[0] for pk in releases)


def _assert_released_first_or_refused(agreement, outcomes):
    release, _terminate = outcomes
    agreement.refresh_from_db()
    first = agreement.tranches.get(seq=1)
    assert agreement.status == Agreement.Status.TERMINATED, outcomes
    assert not _released_after_termination(agreement), outcomes
    if isinstance(release, Tranche):
        assert first.released_at < agreement.terminated_at
    else:
        assert isinstance(release, InvalidTransition), repr(release)
        assert first.status == Tranche.Status.SCHEDULED


@pytest.mark.django_db(transaction=True)
def test_a_release_in_progress_holds_a_termination_until_it_is_done(monkeypatch):
    agreement = award(instrument="performance_contract")
    officer = officer_of(agreement)
    checked, terminated = threading.Event(), threading.Event()
    # The release pauses after its checks; the termination tries to slip in meanwhile.
    pause_after(monkeypatch, agreement_rules, "release_problems", checked, terminated)
    first = agreement.tranches.get(seq=1)

    def release():
        return agreement_services.tranche_release(tranche=first, officer=officer)

    def terminate():
        checked.wait(timeout=5)
        try:
            return agreement_services.agreement_terminate(
                agreement=agreement, officer=officer, reason="ผิดสัญญา"
            )
        finally:
            terminated.set()

    outcomes = run_together(release, terminate)
    assert isinstance(outcomes[0], Tranche), outcomes
    assert isinstance(outcomes[1], Agreement), outcomes
    _assert_released_first_or_refused(agreement, outcomes)


@pytest.mark.django_db(transaction=True)
def test_releases_and_terminations_at_once_never_release_after_the_end():
    for _ in range(ROUNDS):
        agreement = award(instrument="performance_contract")
        officer = officer_of(agreement)
        first = agreement.tranches.get(seq=1)
        start = threading.Barrier(2, timeout=10)

        def release(first=first, officer=officer, start=start):
            start.wait()
            return agreement_services.tranche_release(tranche=first, officer=officer)

        def terminate(agreement=agreement, officer=officer, start=start):
            start.wait()
            return agreement_services.agreement_terminate(
                agreement=agreement, officer=officer, reason="ผิดสัญญา"
            )

        _assert_released_first_or_refused(agreement, run_together(release, terminate))


@pytest.mark.django_db
def test_a_tranche_released_after_the_termination_is_never_paid(finance):
    """A tranche released before the termination is still paid; one released after it (data
    the old race could leave) is refused with the reason, and stays unpaid."""
    agreement = award(instrument="performance_contract")
    officer = officer_of(agreement)
    first = agreement_services.tranche_release(
        tranche=agreement.tranches.get(seq=1), officer=officer
    )
    agreement_services.agreement_terminate(agreement=agreement, officer=officer, reason="ผิดสัญญา")
    paid = agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-1", paid_on=timezone.localdate()
    )
    assert paid.status == Tranche.Status.PAID

    late = award(instrument="performance_contract")
    agreement_services.agreement_terminate(
        agreement=late, officer=officer_of(late), reason="ผิดสัญญา"
    )
    late_first = late.tranches.get(seq=1)
    Tranche.objects.filter(pk=late_first.pk).update(
        status=Tranche.Status.RELEASED, released_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    with pytest.raises(InvalidTransition) as exc:
        agreement_services.tranche_pay(
            tranche=late_first,
            user=finance,
            payment_reference="GFMIS-2",
            paid_on=timezone.localdate(),
        )
    assert "terminated" in str(exc.value.message)
    assert Tranche.objects.get(pk=late_first.pk).status == Tranche.Status.RELEASED


# --- a suspension (or a new bank account) and a release at the same moment --------------------
#
# The release locks the agreement, then the CSO, then the tranche; the committee's suspension
# and a change of bank account lock the CSO. So whichever takes the CSO first goes first, and
# the other sees what it did: a tranche is never released after the suspension (nor into an
# account that was being replaced).

NOTE = "ไม่ส่งรายงานการเงินตามกำหนด"


def _suspension(cso):
    return audit_history(cso).filter(action="suspend").first()


def _release_row(tranche):
    return audit_history(tranche).filter(action="release").first()


def _pause_until_done_or_blocked(monkeypatch, module, name, reached, done, timeout=5):
    """Like ``pause_after``, but the pause lasts until ``done`` is set or another session of
    this database is waiting for a row lock: long enough for the other thread to slip in
    when nothing stops it, and no longer than needed when a lock does."""
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        deadline = time.monotonic() + timeout
        with connection.cursor() as cursor:
            while not done.is_set() and time.monotonic() < deadline:
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.02)
        return result

    monkeypatch.setattr(module, name, paused)


def _assert_never_released_after_the_suspension(agreement, outcomes):
    release, suspension = outcomes
    cso = CSO.objects.get(pk=agreement.cso_id)
    first = agreement.tranches.get(seq=1)
    assert isinstance(suspension, CSO), repr(suspension)
    assert cso.status == CSO.Status.SUSPENDED
    suspended = _suspension(cso)
    if isinstance(release, Tranche):
        released = _release_row(first)
        assert released.pk < suspended.pk, outcomes
        assert first.released_at <= suspended.at
    else:
        assert isinstance(release, InvalidTransition), repr(release)
        assert NOTE in release.message
        assert first.status == Tranche.Status.SCHEDULED
        assert _release_row(first) is None


@pytest.mark.django_db(transaction=True)
def test_a_release_in_progress_holds_a_suspension_until_it_is_done(monkeypatch):
    agreement = award()
    officer, reviewer = officer_of(agreement), ReviewerFactory()
    checked, suspended = threading.Event(), threading.Event()
    # The release pauses after its checks, holding the CSO, until the suspension has either
    # slipped in and committed or is seen waiting for the lock.
    _pause_until_done_or_blocked(
        monkeypatch, agreement_rules, "release_problems", checked, suspended
    )
    first = agreement.tranches.get(seq=1)

    def release():
        return agreement_services.tranche_release(tranche=first, officer=officer)

    def suspend():
        checked.wait(timeout=5)
        try:
            return review_services.cso_suspend(cso=agreement.cso, reviewer=reviewer, reason=NOTE)
        finally:
            suspended.set()

    outcomes = run_together(release, suspend)
    assert isinstance(outcomes[0], Tranche), outcomes
    _assert_never_released_after_the_suspension(agreement, outcomes)


@pytest.mark.django_db(transaction=True)
def test_a_suspension_in_progress_makes_a_release_wait_and_refuse(monkeypatch):
    agreement = award()
    officer, reviewer = officer_of(agreement), ReviewerFactory()
    written, released = threading.Event(), threading.Event()
    # The suspension pauses with its row saved and audited but not committed; a release
    # that read the CSO without locking it would see it approved and slip in before.
    pause_after(monkeypatch, workflow, "audit_record", written, released)
    first = agreement.tranches.get(seq=1)

    def release():
        written.wait(timeout=5)
        try:
            return agreement_services.tranche_release(tranche=first, officer=officer)
        finally:
            released.set()

    def suspend():
        return review_services.cso_suspend(cso=agreement.cso, reviewer=reviewer, reason=NOTE)

    outcomes = run_together(release, suspend)
    assert isinstance(outcomes[0], InvalidTransition), outcomes
    _assert_never_released_after_the_suspension(agreement, outcomes)


@pytest.mark.django_db(transaction=True)
def test_suspensions_and_releases_at_once_never_release_after_the_suspension():
    reviewer = ReviewerFactory()
    for _ in range(ROUNDS):
        agreement = award()
        officer = officer_of(agreement)
        first = agreement.tranches.get(seq=1)
        start = threading.Barrier(2, timeout=10)

        def release(first=first, officer=officer, start=start):
            start.wait()
            return agreement_services.tranche_release(tranche=first, officer=officer)

        def suspend(cso=agreement.cso, start=start):
            start.wait()
            return review_services.cso_suspend(cso=cso, reviewer=reviewer, reason=NOTE)

        _assert_never_released_after_the_suspension(agreement, run_together(release, suspend))


@pytest.mark.django_db(transaction=True)
def test_a_release_waits_for_a_bank_account_change_and_pays_into_the_new_account(monkeypatch):
    agreement = award()
    officer, member = officer_of(agreement), agreement.cso.members.get()
    new = bank_account_for(agreement.cso, bank="030", account_number="020012345678")
    written, released = threading.Event(), threading.Event()
    # The change pauses with the new account saved and audited but not committed.
    pause_after(monkeypatch, bank_services, "audit_record", written, released)
    first = agreement.tranches.get(seq=1)

    def release():
        written.wait(timeout=5)
        try:
            return agreement_services.tranche_release(tranche=first, officer=officer)
        finally:
            released.set()

    def change():
        return bank_services.bank_account_set(cso=agreement.cso, user=member, **new)

    outcomes = run_together(release, change)
    assert isinstance(outcomes[0], Tranche), outcomes
    first.refresh_from_db()
    assert (first.payee_bank, first.payee_account_number) == ("030", "020012345678")
