"""Two-factor sign-in on the pages, as people meet it: the code step after the password, a
reviewer and staff forced to set it up, the admin closed to a session without the code, an
officer invited but not forced, recovery codes that work once."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditLog
from portal.twofactor import services
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import plain_force_login, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ENROL = "/accounts/two-factor/"
CODE = "/accounts/two-factor/code/"


def sign_in_with_password(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def enrolled(user):
    """``user`` with a confirmed app and ten recovery codes, through the services."""
    device = services.two_factor_enrol_begin(user=user)
    _device, codes = services.two_factor_enrol_confirm(user=user, code=totp_code(device))
    return device, codes


def secret_on_page(html: str) -> str:
    return re.search(r'id="secret-key"[^>]*>([A-Z2-7 ]+)<', html).group(1).replace(" ", "")


# --- the code step at sign-in ------------------------------------------------------------


def test_a_password_alone_does_not_get_past_sign_in_for_someone_with_an_app(client):
    officer = factories.OfficerFactory()
    enrolled(officer)

    response = sign_in_with_password(client, officer, next_url="/notices/")
    step = client.get(response["Location"], follow=True)
    work = client.get("/work/")

    assert step.redirect_chain[-1][0].startswith(CODE)
    assert "รหัสผ่านถูกต้อง" in step.content.decode()  # "your password is right; now the code"
    assert work.status_code == 302 and work["Location"].startswith(CODE)
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "otp_required"


def test_the_right_code_signs_in_and_goes_where_the_person_was_going(client):
    reviewer = factories.ReviewerFactory()
    device, _codes = enrolled(reviewer)
    sign_in_with_password(client, reviewer)

    response = client.post(CODE, {"code": totp_code(device, steps_ahead=1), "next": "/notices/"})

    assert response.status_code == 302 and response["Location"] == "/notices/"
    assert client.get("/work/").status_code == 200
    assert client.get("/review/csos/").status_code == 200


def test_a_wrong_code_says_so_in_thai_and_english_and_keeps_the_person_out(client):
    officer = factories.OfficerFactory()
    enrolled(officer)
    sign_in_with_password(client, officer)

    thai = client.post(CODE, {"code": "000000"})
    client.cookies.load({"django_language": "en"})
    english = client.post(CODE, {"code": "12 34"}, HTTP_ACCEPT_LANGUAGE="en")

    assert thai.status_code == 200
    assert "รหัสไม่ถูกต้องหรือหมดอายุแล้ว" in thai.content.decode()
    assert 'aria-invalid="true"' in thai.content.decode()
    assert "That code is wrong or has expired" in english.content.decode()
    assert client.get("/work/")["Location"].startswith(CODE)


def test_wrong_codes_in_a_row_lock_the_code_step_for_a_while(client):
    officer = factories.OfficerFactory()
    device, _codes = enrolled(officer)
    sign_in_with_password(client, officer)

    client.post(CODE, {"code": "000000"})
    locked = client.post(CODE, {"code": totp_code(device, steps_ahead=1)})  # right, too soon

    assert "ใส่รหัสผิดหลายครั้งเกินไป" in locked.content.decode()
    assert client.get("/work/")["Location"].startswith(CODE)
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1


def test_a_recovery_code_works_once_and_its_use_is_recorded(client):
    evaluator = factories.EvaluatorFactory()
    _device, codes = enrolled(evaluator)
    sign_in_with_password(client, evaluator)

    typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]  # as shown, in two groups
    first = client.post(CODE, {"code": typed})

    assert first.status_code == 302
    assert client.get("/work/").status_code == 200
    row = AuditLog.objects.get(action="two_factor_recovery_code_used", object_id=evaluator.pk)
    assert row.actor == evaluator and row.data == {"recovery_codes_left": 9}

    again = Client()
    sign_in_with_password(again, evaluator)
    StaticDevice.objects.filter(user=evaluator).update(throttling_failure_count=0)
    refused = again.post(CODE, {"code": codes[0]})
    assert refused.status_code == 200
    assert again.get("/work/")["Location"].startswith(CODE)


def test_a_session_with_no_app_skips_the_code_step(client):
    officer = factories.OfficerFactory()
    sign_in_with_password(client, officer)

    assert client.get(CODE)["Location"] == "/work/"
    assert client.get("/work/").status_code == 200


# --- required for staff and committee reviewers -------------------------------------------


@pytest.mark.parametrize("factory", [factories.ReviewerFactory, factories.StaffAdminFactory])
def test_a_reviewer_or_staff_without_an_app_reaches_only_the_set_up(client, factory):
    person = factory()

    sign_in_with_password(client, person)

    for path in ("/work/", "/review/csos/", "/notices/", "/admin/", "/accounts/password/change/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(ENROL), path
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "บทบาทของท่านต้องใช้การยืนยันตัวตนสองขั้นตอน" in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR code, drawn on the server
    assert client.get("/help/").status_code == 200
    assert client.get("/privacy/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_setting_up_shows_ten_codes_once_and_then_opens_the_portal(client, mailoutbox):
    reviewer = factories.ReviewerFactory(email="reviewer@example.org")
    sign_in_with_password(client, reviewer)
    page = client.get(ENROL).content.decode()
    secret = secret_on_page(page)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert device.config_url.split("secret=")[1].startswith(secret)

    wrong = client.post(ENROL, {"code": "123"})
    assert "โปรดใส่ตัวเลข 6 หลักที่แอปแสดง" in wrong.content.decode()
    assert secret_on_page(wrong.content.decode()) == secret  # the same secret, not a new one

    done = client.post(ENROL, {"code": totp_code(device)})

    html = done.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", html)
    assert len(codes) == 10
    assert 'download="recovery-codes.txt"' in html
    assert "no-store" in done["Cache-Control"]
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/work/").status_code == 200  # this session gave the code
    overview = client.get(ENROL).content.decode()
    assert codes[0] not in overview  # shown once
    assert "10" in overview
    assert AuditLog.objects.filter(action="two_factor_enrol", object_id=reviewer.pk).exists()


def test_the_admin_needs_the_code_not_only_a_staff_password(client):
    staff = factories.StaffAdminFactory()
    device, _codes = enrolled(staff)

    sign_in_with_password(client, staff)
    before = client.get("/admin/")
    client.post(CODE, {"code": totp_code(device, steps_ahead=1)})
    after = client.get("/admin/")

    assert before.status_code == 302 and before["Location"].startswith(CODE)
    assert after.status_code == 200


def test_the_admin_itself_refuses_a_staff_session_without_the_code(client, settings):
    """Even were the middleware gone, the admin site asks for a verified session."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "portal.twofactor.middleware.TwoFactorMiddleware"
    ]
    staff = factories.StaffAdminFactory()
    enrolled(staff)
    plain_force_login(client, staff)

    response = client.get("/admin/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- offered to officers and evaluators ----------------------------------------------------


def test_an_officer_is_invited_but_not_forced(client):
    officer = factories.OfficerFactory()
    sign_in_with_password(client, officer)

    work = client.get("/work/")

    assert work.status_code == 200
    assert 'href="/accounts/two-factor/"' in work.content.decode()
    assert "ปกป้องบัญชีของท่านด้วยการยืนยันตัวตนสองขั้นตอน" in work.content.decode()
    assert client.get("/notices/").status_code == 200


def test_an_officer_turns_it_off_with_the_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    officer = factories.OfficerFactory()
    device, _codes = enrolled(officer)
    sign_in_with_password(client, officer)
    client.post(CODE, {"code": totp_code(device, steps_ahead=1)})

    wrong = client.post("/accounts/two-factor/disable/", {"password": "not-it"})
    with django_capture_on_commit_callbacks() as callbacks:
        done = client.post("/accounts/two-factor/disable/", {"password": PASSWORD})

    assert "รหัสผ่านไม่ถูกต้อง" in wrong.content.decode()
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert AuditLog.objects.filter(action="two_factor_disable", object_id=officer.pk).exists()
    assert len(callbacks) == 1  # the email, queued once the change is committed


def test_a_reviewer_may_not_turn_it_off(client):
    reviewer = factories.ReviewerFactory()
    client.force_login(reviewer)  # with a verified session (tests/conftest.py)

    page = client.get("/accounts/two-factor/disable/")
    post = client.post("/accounts/two-factor/disable/", {"password": PASSWORD})

    assert page.status_code == 403 and post.status_code == 403
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    officer = factories.OfficerFactory()
    device, old = enrolled(officer)
    sign_in_with_password(client, officer)
    client.post(CODE, {"code": totp_code(device, steps_ahead=1)})

    assert client.get("/accounts/two-factor/recovery-codes/").status_code == 200
    page = client.post("/accounts/two-factor/recovery-codes/").content.decode()

    new = [c.replace(" ", "") for c in re.findall(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", page)]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticDevice.objects.get(user=officer).token_set.values_list("token", flat=True)
    ) == set(new)
    assert AuditLog.objects.filter(action="two_factor_codes_regenerate").count() == 1


def test_a_session_without_the_code_cannot_make_codes_or_turn_it_off(client):
    officer = factories.OfficerFactory()
    enrolled(officer)
    sign_in_with_password(client, officer)

    for path in ("/accounts/two-factor/recovery-codes/", "/accounts/two-factor/disable/"):
        response = client.post(path, {"password": PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith(CODE), path
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
