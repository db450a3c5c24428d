"""The README lists every account the demo seeding creates, each with the password that
works, and each demo organisation has a signatory and each demo agency an admin."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from portal.models import User
from portal.roles import CsoRole, Role, has_role
from tests.helpers import signs_in

pytestmark = pytest.mark.django_db


def test_every_seeded_account_is_in_the_readme_and_signs_in(capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    listed = set(re.findall(r"^\| `([\w.@+-]+)`", readme, flags=re.MULTILINE))
    seeded = set(User.objects.values_list("username", flat=True))
    assert seeded <= listed, f"missing from the README: {sorted(seeded - listed)}"
    for username in seeded:
        assert username in printed
        if has_role(User.objects.get(username=username), Role.API_CLIENT):  # the API only
            answer = Client().post(
                "/api/v1/auth/token/", {"username": username, "password": "demo-pass"}
            )
            assert answer.status_code == 200, username
        else:
            assert signs_in(username, "demo-pass"), username
    members = User.objects.exclude(cso=None)
    assert members.count() == 3
    assert set(members.values_list("cso_role", flat=True)) == {CsoRole.SIGNATORY}
    assert all(User.objects.exclude(agency=None).values_list("agency_admin", flat=True))
