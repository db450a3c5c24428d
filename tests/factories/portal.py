"""Users, by role (their roles granted through ``UserRole`` rows), other systems' API
clients, and the sample files in tests/files/."""

from pathlib import Path

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from portal.models import ApiClient, User, UserRole
from portal.roles import Role

FILES = Path(__file__).resolve().parent.parent / "files"
PASSWORD = "Kh0ng-Ruam-2568"


def sample_file(name: str, *, as_name: str | None = None, content_type="application/octet-stream"):
    """A fresh upload of one of the files in tests/files/."""
    return SimpleUploadedFile(as_name or name, (FILES / name).read_bytes(), content_type)


def grant(user, roles) -> None:
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)  # User.roles is a cached_property


def _roles(*default):
    def hook(user, create, extracted, **kwargs):
        if create:
            grant(user, default if extracted is None else extracted)

    return factory.PostGeneration(hook)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)
    roles = _roles()


class OfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"officer{n}")
    agency = factory.SubFactory("tests.factories.agencies.AgencyFactory")
    roles = _roles(Role.AGENCY_OFFICER)


class MemberFactory(UserFactory):
    """A CSO-member account; it is bound to a CSO once it registers one."""

    username = factory.Sequence(lambda n: f"member{n}")
    roles = _roles(Role.CSO_MEMBER)


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"reviewer{n}")
    roles = _roles(Role.COMMITTEE_REVIEWER)


class EvaluatorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"evaluator{n}")
    roles = _roles(Role.EVALUATOR)


class StaffAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    roles = _roles(Role.STAFF_ADMIN)


class ApiClientFactory(DjangoModelFactory):
    class Meta:
        model = ApiClient

    user = factory.SubFactory(
        UserFactory,
        username=factory.Sequence(lambda n: f"system{n}"),
        roles=[Role.API_CLIENT],
    )
    name = factory.Sequence(lambda n: f"ระบบการเงิน {n}")
    scopes = factory.LazyFunction(lambda: ["read"])
