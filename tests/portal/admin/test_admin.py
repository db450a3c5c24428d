"""The Django admin is no back door (issue 13, items 5 and 6): a staff superuser can look at
scored and decided records but not change or delete them there, and a person who has acted
is deactivated, never deleted, so every audit row and money movement keeps its actor."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from assessments.reviews.models import Review
from contracts.agreements import services as agreement_services
from contracts.agreements.models import MoneyMovement
from portal.audit import audit_history
from portal.models import AuditLog, User
from tests import factories
from tests.factories import award
from tests.factories.assessments import make_call, ranked_call
from tests.helpers import fresh, in_thai, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def superuser_client(client):
    admin_user = factories.StaffAdminFactory(is_superuser=True)
    client.force_login(admin_user)
    client.admin_user = admin_user
    return client


def _url(obj, view):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def test_a_submitted_review_is_shown_but_its_scores_cannot_be_changed_or_deleted(
    superuser_client, officer
):
    _call, [proposal], _panel = ranked_call(officer, scores=(4,), panel=1)
    review = Review.objects.get(proposal=proposal)
    assert review.status == "submitted"

    shown = superuser_client.get(_url(review, "change"))
    assert shown.status_code == 200  # readable ...
    assert b'name="score_expertise"' not in shown.content  # ... but no field to change

    changed = superuser_client.post(
        _url(review, "change"), {"score_expertise": "0", "status": "draft", "comment": "x"}
    )
    deleted = superuser_client.post(_url(review, "delete"), {"post": "yes"})
    assert (changed.status_code, deleted.status_code) == (403, 403)
    review = fresh(review)
    assert (review.status, review.score_expertise) == ("submitted", 4)


@pytest.mark.parametrize("kind", ["call", "proposal", "cso", "mission"])
def test_published_calls_submitted_proposals_certified_csos_and_missions_stay_as_they_are(
    superuser_client, officer, kind
):
    call, [proposal] = make_call(officer, close=False)
    obj = {
        "call": call,
        "proposal": proposal,
        "cso": proposal.cso,
        "mission": call.mission,
    }[kind]
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    changed = superuser_client.post(_url(obj, "change"), {"status": "draft", "title": "แก้"})
    deleted = superuser_client.post(_url(obj, "delete"), {"post": "yes"})
    listed = superuser_client.post(
        reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist"),
        {"action": "delete_selected", "index": 0, "_selected_action": [obj.pk], "post": "yes"},
    )

    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert listed.status_code in (200, 302)
    after = fresh(obj)
    assert {f.attname: getattr(after, f.attname) for f in obj._meta.concrete_fields} == before
    assert superuser_client.get(_url(obj, "change")).status_code == 200  # still readable


def test_a_user_who_has_acted_cannot_be_deleted_and_keeps_their_name_on_the_record(officer):
    call, _ = make_call(officer)  # audited: created, published, closed
    acted = AuditLog.objects.filter(actor=officer)
    assert acted.exists()
    with pytest.raises(ProtectedError):
        officer.delete()
    assert set(acted.values_list("actor", flat=True)) == {officer.pk}


def test_the_admin_deactivates_instead_of_deleting_and_records_it(superuser_client, officer):
    make_call(officer)
    assert superuser_client.post(_url(officer, "delete"), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=officer.pk).exists()

    response = superuser_client.post(
        reverse("admin:portal_user_changelist"),
        {"action": "deactivate", "index": 0, "_selected_action": [officer.pk]},
        follow=True,
    )
    said = in_thai("%(name)s: deactivated.") % {"name": officer}
    assert said.lower() in response.content.decode().lower()  # the admin capitalises it
    assert fresh(officer).is_active is False
    [row] = [r for r in audit_history(officer) if r.action == "deactivate"]
    assert (row.actor, row.from_status, row.to_status) == (
        superuser_client.admin_user,
        "active",
        "inactive",
    )
    # Reactivating by editing the form is not a way around the audit: the field is read-only.
    form = superuser_client.get(_url(officer, "change")).content.decode()
    assert 'name="is_active"' not in form


def test_an_administrator_cannot_deactivate_themselves(superuser_client):
    me = superuser_client.admin_user
    response = superuser_client.post(
        reverse("admin:portal_user_changelist"),
        {"action": "deactivate", "index": 0, "_selected_action": [me.pk]},
        follow=True,
    )
    assert fresh(me).is_active is True
    assert in_thai("You cannot deactivate your own account.") in response.content.decode()


def test_a_deactivated_user_is_reactivated_by_the_admin_and_it_is_recorded(
    superuser_client, officer
):
    for action in ("deactivate", "reactivate"):
        superuser_client.post(
            reverse("admin:portal_user_changelist"),
            {"action": action, "index": 0, "_selected_action": [officer.pk]},
        )
    assert fresh(officer).is_active is True
    rows = [(r.action, r.actor) for r in audit_history(officer)]
    admin_user = superuser_client.admin_user
    assert rows[-2:] == [("deactivate", admin_user), ("reactivate", admin_user)]


def test_the_officer_who_released_money_stays_the_actor_of_the_movement():
    agreement = award(instrument="performance_contract")
    officer = officer_of(agreement)
    agreement_services.tranche_release(tranche=agreement.tranches.get(seq=1), officer=officer)
    with pytest.raises(ProtectedError) as refused:
        officer.delete()
    protected = {type(obj) for obj in refused.value.protected_objects}
    assert MoneyMovement in protected
    assert MoneyMovement.objects.get(tranche__agreement=agreement).actor == officer
