"""What the grievance tests share: a funded project, its agency's officer, a verifier, and a
grievance filed about the project at a known moment."""

import datetime

import pytest
import time_machine

from assessments.grievances import services
from tests import factories
from tests.helpers import at, member_of, officer_of


def file_one(project, *, when=None, **overrides):
    """A complaint about ``project`` filed at ``when`` (Bangkok), as a citizen would."""
    values = {
        "kind": "complaint",
        "title": "ไม่มีผู้ดูแลมาเยี่ยมตามนัด",
        "body": "นายสมชาย รักดี โทร 0812345678 รอผู้ดูแลทั้งวันแต่ไม่มีใครมา",
        "occurred_on": datetime.date(2026, 1, 5),
        "province": "10",
        "agreement": project.pk,
        "name": "สมชาย รักดี",
        "contact": "somchai@example.org",
    }
    values.update(overrides)
    with time_machine.travel(when or at(2026, 1, 9), tick=False):
        return services.grievance_file(**values)


@pytest.fixture
def project(db):
    return factories.award()


@pytest.fixture
def project_officer(project):
    return officer_of(project)


@pytest.fixture
def project_member(project):
    return member_of(project)


@pytest.fixture
def verifier(db):
    return factories.StaffAdminFactory()


@pytest.fixture
def complaints_officer(db):
    """An officer of another agency flagged as its complaints officer: a verifier."""
    user = factories.OfficerFactory()
    user.complaints_officer = True
    user.save(update_fields=["complaints_officer"])
    return user


@pytest.fixture
def filed(project):
    """A complaint about ``project`` filed on Friday 9 January 2569 at 10:00, and its
    citizen's reply code."""
    return file_one(project)
