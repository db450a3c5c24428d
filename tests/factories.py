"""factory_boy factories. Users get their roles through ``UserRole`` rows; CSOs and missions
are built through the real services, so a CSO "in status X" got there the way a user's
would, with its audit trail."""

import datetime
from decimal import Decimal
from pathlib import Path

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum.th import moa

from agencies import services as agency_services
from agencies.models import Agency, Mission
from contracts.agreements import services as agreement_services
from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from csos import services as cso_services
from csos.models import CSO
from portal.models import ApiClient, User, UserRole
from portal.roles import Role

FILES = Path(__file__).parent / "files"
PASSWORD = "Kh0ng-Ruam-2568"


def sample_file(name: str, *, as_name: str | None = None, content_type="application/octet-stream"):
    """A fresh upload of one of the files in tests/files/."""
    return SimpleUploadedFile(as_name or name, (FILES / name).read_bytes(), content_type)


def juristic_id(n: int) -> str:
    """A valid 13-digit Thai juristic person id (starts with 0, correct check digit)."""
    base = f"0105{n:08d}"
    return base + moa.calc_check_digit(base)


def grant(user, roles) -> None:
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)  # User.roles is a cached_property


def _roles(*default):
    def hook(user, create, extracted, **kwargs):
        if create:
            grant(user, default if extracted is None else extracted)

    return factory.PostGeneration(hook)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name_th = factory.Sequence(lambda n: f"กรมทดสอบที่ {n}")
    name_en = factory.Sequence(lambda n: f"Test Department {n}")
    kind = Agency.Kind.DEPARTMENT
    province_id = "10"


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
    agency = factory.SubFactory(AgencyFactory)
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


class CSOFactory(factory.Factory):
    """``CSOFactory(status="approved")`` registers a complete CSO through the services and
    takes it to ``status`` the way the member and the committee would.

    ``member`` (default: a new member) registers it; ``reviewer`` (default: a new
    reviewer) decides. ``documents=False`` leaves the documents part empty (a draft that
    cannot be submitted yet)."""

    class Meta:
        model = CSO

    name_th = factory.Sequence(lambda n: f"มูลนิธิทดสอบที่ {n}")
    name_en = factory.Sequence(lambda n: f"Test Foundation {n}")
    org_form = "charitable_foundation"
    registered = True
    juristic_id = factory.Sequence(juristic_id)
    founded_year = 2010
    address = "ถนนพหลโยธิน เขตจตุจักร กรุงเทพมหานคร"
    contact_email = factory.Sequence(lambda n: f"cso{n}@example.org")
    contact_phone = "02 000 0000"
    activity_fields = factory.LazyFunction(lambda: ["social_services"])
    service_provinces = factory.LazyFunction(lambda: ["10"])
    staff_count = 12
    certified_staff_count = 3
    networks = "เครือข่ายชมรมผู้สูงอายุ"
    track_record = "ดูแลผู้สูงอายุติดบ้านติดเตียงกว่า 300 คน"

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("CSOs are built through the services; use create().")

    @classmethod
    def _create(cls, model_class, *args, **data):
        status = data.pop("status", CSO.Status.DRAFT)
        member = data.pop("member", None) or MemberFactory()
        reviewer = data.pop("reviewer", None)
        documents = data.pop("documents", True)
        if not data["registered"]:
            data["juristic_id"] = ""
        cso = cso_services.cso_create(user=member, data=data)
        if documents:
            cso_services.cso_document_add(
                cso=cso,
                user=member,
                kind="registration",
                upload=sample_file("registration.pdf", content_type="application/pdf"),
            )
        if status == CSO.Status.DRAFT:
            return CSO.objects.get(pk=cso.pk)
        cso = cso_services.cso_submit(cso=cso, user=member)
        if status == CSO.Status.SUBMITTED:
            return cso
        reviewer = reviewer or ReviewerFactory()
        if status == CSO.Status.CHANGES_REQUESTED:
            return cso_services.cso_request_changes(
                cso=cso, reviewer=reviewer, reason="แนบงบการเงินปีล่าสุด"
            )
        if status == CSO.Status.REJECTED:
            return cso_services.cso_reject(cso=cso, reviewer=reviewer, reason="ไม่ใช่องค์กรไม่แสวงกำไร")
        cso = cso_services.cso_approve(
            cso=cso,
            reviewer=reviewer,
            certified_fields=data["activity_fields"],
            scope_note="ร่วมจัดบริการตามภารกิจที่ได้รับการรับรอง",
        )
        if status == CSO.Status.APPROVED:
            return cso
        if status == CSO.Status.SUSPENDED:
            return cso_services.cso_suspend(cso=cso, reviewer=reviewer, reason="ขาดการรายงานผล")
        raise ValueError(f"unknown CSO status {status!r}")


class MissionFactory(factory.Factory):
    """A mission added through ``mission_create`` by ``officer`` (default: a new officer of
    ``agency``, itself new by default)."""

    class Meta:
        model = Mission

    title_th = factory.Sequence(lambda n: f"บริการดูแลผู้สูงอายุในชุมชน {n}")
    title_en = factory.Sequence(lambda n: f"Community care for older persons {n}")
    description = "ดูแลผู้สูงอายุติดบ้านติดเตียงโดยผู้ดูแลที่ผ่านการอบรม"
    service_category = "social_cultural"
    mission_type = "direct_service"
    activity_field = "social_services"
    target_groups = factory.LazyFunction(lambda: ["ผู้สูงอายุติดบ้านติดเตียง"])
    provinces = factory.LazyFunction(lambda: ["10"])

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Missions are built through the services; use create().")

    @classmethod
    def _create(cls, model_class, *args, **data):
        officer = data.pop("officer", None)
        agency = data.pop("agency", None)
        if officer is None:
            officer = OfficerFactory(agency=agency) if agency else OfficerFactory()
        return agency_services.mission_create(officer=officer, data=data)


class CallFactory(factory.Factory):
    """``CallFactory(status="open")`` drafts a call through ``call_create`` by ``officer``
    (default: a new officer, with a new mission of theirs) and publishes or closes it as
    asked. By default it opened a day ago and closes in 14 days."""

    class Meta:
        model = Call

    instrument = "grant"
    title = factory.Sequence(lambda n: f"ทุนดูแลผู้สูงอายุในชุมชน รอบที่ {n}")
    description = "สนับสนุนองค์กรภาคประชาสังคมจัดบริการดูแลผู้สูงอายุติดบ้านติดเตียง"
    budget_ceiling = Decimal("500000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    costing_method = "per_person"
    required_documents = factory.LazyFunction(lambda: ["แผนการดำเนินงาน"])

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Calls are built through the services; use create().")

    @classmethod
    def _create(cls, model_class, *args, **data):
        status = data.pop("status", Call.Status.OPEN)
        officer = data.pop("officer", None) or OfficerFactory()
        mission = data.pop("mission", None) or MissionFactory(officer=officer)
        call = call_services.call_create(user=officer, mission=mission, data=data)
        if status == Call.Status.DRAFT:
            return call
        call = call_services.call_publish(call=call, user=officer)
        if status == Call.Status.OPEN:
            return call
        if status == Call.Status.CLOSED:
            return call_services.call_close(call=call, user=officer)
        raise ValueError(f"unknown call status {status!r}")


def complete_answers(call, **overrides):
    """Answers that complete every part of a proposal for ``call``."""
    answers = {
        "summary": "จัดผู้ดูแลเยี่ยมบ้านผู้สูงอายุติดเตียงสัปดาห์ละครั้ง",
        "outcomes": "ผู้สูงอายุติดเตียงได้รับการดูแลต่อเนื่องและลดการกลับเข้าโรงพยาบาล",
        "targets": [{"indicator": "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน", "target": "120 คน"}],
        "budget_lines": [
            {"description": "ค่าตอบแทนผู้ดูแล", "unit_cost": "1500.00", "quantity": "120"},
            {"description": "ค่าวัสดุทำแผล", "unit_cost": "250.50", "quantity": "40"},
        ],
        "start_date": datetime.date(2027, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
        "project_document": "เอกสารโครงการที่องค์กรร่วมจัดทำกับหน่วยงาน",
    }
    answers.update(overrides)
    return answers


class ProposalFactory(factory.Factory):
    """``ProposalFactory(call=..., status="submitted")``: a member of ``cso`` (default: a new
    approved CSO serving Bangkok in social services) starts a proposal, completes every part
    through the services and, for ``submitted``, submits it. Requested amount 190,020.00."""

    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"โครงการเยี่ยมบ้านผู้สูงอายุ {n}")

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Proposals are built through the services; use create().")

    @classmethod
    def _create(cls, model_class, *args, **data):
        status = data.pop("status", Proposal.Status.DRAFT)
        call = data.pop("call", None) or CallFactory()
        cso = data.pop("cso", None) or CSOFactory(status="approved")
        member = data.pop("member", None) or cso.members.first()
        complete = data.pop("complete", True)
        proposal = proposal_services.proposal_create(user=member, call=call, title=data["title"])
        if complete:
            proposal = proposal_services.proposal_update(
                proposal=proposal, user=member, data=complete_answers(call, **data)
            )
            for title in call.required_documents:
                proposal_services.proposal_document_add(
                    proposal=proposal,
                    user=member,
                    title=title,
                    upload=sample_file("registration.pdf", content_type="application/pdf"),
                )
        if status == Proposal.Status.DRAFT:
            return Proposal.objects.get(pk=proposal.pk)
        proposal = proposal_services.proposal_submit(proposal=proposal, user=member)
        if status == Proposal.Status.SUBMITTED:
            return proposal
        raise ValueError(f"unknown proposal status {status!r}")


def selected_proposal(*, instrument="grant", call=None, **proposal_kwargs):
    """A proposal taken through submission, closing and selection the way an agency would
    (for a performance contract: shortlisted, presentation scheduled, presented)."""
    call = call or CallFactory(instrument=instrument)
    proposal = ProposalFactory(call=call, status="submitted", **proposal_kwargs)
    officer = call.created_by
    if call.status == Call.Status.OPEN:
        call_services.call_close(call=call, user=officer)
    if call.instrument == "performance_contract":
        proposal_services.proposal_shortlist(proposal=proposal, officer=officer)
        proposal_services.proposal_schedule_presentation(
            proposal=proposal,
            officer=officer,
            at=timezone.now() + datetime.timedelta(days=1),
            location="ห้องประชุมกรม ชั้น 3",
        )
        proposal_services.proposal_mark_presented(proposal=proposal, officer=officer)
    return proposal_services.proposal_select(proposal=proposal, officer=officer)


def award(*, instrument="grant", sign=True, data=None, **proposal_kwargs):
    """An agreement awarded from a freshly selected proposal; ``sign`` makes it active."""

    proposal = selected_proposal(instrument=instrument, **proposal_kwargs)
    agreement = agreement_services.agreement_award(
        proposal=proposal, officer=proposal.call.created_by, data=data
    )
    if sign:
        agreement = agreement_services.agreement_accept(
            agreement=agreement,
            user=proposal.cso.members.first(),
            signed_name="สมหญิง ใจดี",
            confirm=True,
        )
    return agreement
