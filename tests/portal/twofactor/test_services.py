"""Two-factor sign-in's services: who may do what, the audit rows, the emails, a staff
administrator's reset."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditLog
from portal.twofactor import services
from portal.twofactor.delivery import send_two_factor_email
from portal.workflow import InvalidTransition
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db


def enrolled(user):
    device = services.two_factor_enrol_begin(user=user)
    _device, codes = services.two_factor_enrol_confirm(user=user, code=totp_code(device))
    return device, codes


def actions(user):
    return list(
        AuditLog.objects.filter(object_id=str(user.pk), action__startswith="two_factor")
        .order_by("id")
        .values_list("action", "actor_id")
    )


def test_each_change_leaves_an_audit_row_with_who_did_it(django_capture_on_commit_callbacks):
    officer = factories.OfficerFactory()
    staff = factories.StaffAdminFactory()

    device, codes = enrolled(officer)
    services.two_factor_verify(user=officer, code=codes[0])
    services.two_factor_recovery_codes_regenerate(user=officer)
    services.two_factor_disable(user=officer, password=PASSWORD)
    enrolled(officer)
    services.two_factor_reset(user=officer, actor=staff, reason="Lost phone")

    assert actions(officer) == [
        ("two_factor_enrol", officer.pk),
        ("two_factor_recovery_code_used", officer.pk),
        ("two_factor_codes_regenerate", officer.pk),
        ("two_factor_disable", officer.pk),
        ("two_factor_enrol", officer.pk),
        ("two_factor_reset", staff.pk),
    ]
    reset = AuditLog.objects.get(action="two_factor_reset")
    assert reset.reason == "Lost phone"
    assert str(reset.action_label) == "เจ้าหน้าที่รีเซ็ตการยืนยันตัวตนสองขั้นตอน"


def test_a_staff_reset_makes_a_reviewer_set_it_up_again_at_once(mailoutbox):
    reviewer = factories.ReviewerFactory(email="reviewer@example.org")
    staff = factories.StaffAdminFactory()
    device, _codes = enrolled(reviewer)
    client = Client()
    client.post("/accounts/login/", {"username": reviewer.username, "password": PASSWORD})
    client.post("/accounts/two-factor/code/", {"code": totp_code(device, steps_ahead=1)})
    assert client.get("/work/").status_code == 200

    services.two_factor_reset(user=reviewer, actor=staff)

    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    response = client.get("/work/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")


def test_the_admin_action_resets_and_refuses_ones_own(client):
    staff = factories.StaffAdminFactory(is_superuser=True)
    other = factories.ReviewerFactory()
    enrolled(other)
    client.force_login(staff)  # with a verified session (tests/conftest.py)

    client.post(
        "/admin/portal/user/",
        {"action": "reset_two_factor", "_selected_action": [other.pk, staff.pk]},
    )

    assert not TOTPDevice.objects.filter(user=other).exists()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert AuditLog.objects.get(action="two_factor_reset").actor == staff


@pytest.mark.parametrize("who", ["officer", "self"])
def test_only_another_staff_administrator_resets(who):
    staff = factories.StaffAdminFactory()
    enrolled(staff)
    actor = factories.OfficerFactory() if who == "officer" else staff

    with pytest.raises(PermissionDenied):
        services.two_factor_reset(user=staff, actor=actor)
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_a_reset_of_someone_without_an_app_is_refused():
    with pytest.raises(InvalidTransition):
        services.two_factor_reset(
            user=factories.OfficerFactory(), actor=factories.StaffAdminFactory()
        )


def test_setting_up_twice_is_refused():
    officer = factories.OfficerFactory()
    enrolled(officer)

    with pytest.raises(InvalidTransition):
        services.two_factor_enrol_begin(user=officer)


def test_the_app_code_is_checked_once_per_time_step():
    """A code seen once (on the wire, over a shoulder) does not sign in again."""
    officer = factories.OfficerFactory()
    device, _codes = enrolled(officer)
    code = totp_code(device, steps_ahead=1)
    services.two_factor_verify(user=officer, code=code)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    with pytest.raises(ValidationError):
        services.two_factor_verify(user=officer, code=code)


@pytest.mark.parametrize("event", ["enrolled", "disabled", "reset"])
def test_the_person_is_emailed_in_their_language(mailoutbox, event):
    officer = factories.OfficerFactory(email="officer@example.org", language="th")

    assert send_two_factor_email(officer.pk, event) == 1

    message = mailoutbox[0]
    assert message.to == ["officer@example.org"]
    assert "การยืนยันตัวตนสองขั้นตอน" in message.subject
    assert "/accounts/two-factor/" in message.body


def test_enrolment_queues_the_email_once_committed(django_capture_on_commit_callbacks):
    officer = factories.OfficerFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        enrolled(officer)

    assert len(callbacks) == 1
