"""A tranche released while its agreement is being terminated: the release locks the
agreement first, as the termination does, so the audit log never shows a release after the
end, and the finance system never pays a tranche released after it. Run with threads on
PostgreSQL, once with the worst interleaving forced and many times freely."""

import datetime
import threading

import pytest
from django.utils import timezone

from contracts.agreements import rules as agreement_rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, Tranche
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import award
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
