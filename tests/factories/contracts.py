"""Calls, proposals and agreements, each built through the real services: a call drafted
and published by its officer, a proposal started, completed and submitted by a CSO member,
and an agreement awarded from a selected proposal."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from contracts.agreements import services as agreement_services
from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal

from .agencies import MissionFactory
from .csos import CSOFactory
from .portal import OfficerFactory, sample_file


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
    budget_total = Decimal("5000000.00")  # room for ten proposals at the ceiling
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
        call = call_services.call_create(user=officer, mission=mission, **data)
        if status == Call.Status.DRAFT:
            return call
        if status == Call.Status.FORECAST:
            return call_services.call_forecast(call=call, user=officer)
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
                proposal=proposal, user=member, **complete_answers(call, **data)
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


def concept_note(*, call, cso=None, send=True, amount="350000.00", title=None):
    """A concept note for a two-stage ``call`` by a member of ``cso`` (default: a new
    approved CSO): a summary, outcomes and a budget estimate, sent unless ``send=False``."""
    cso = cso or CSOFactory(status="approved")
    member = cso.members.first()
    proposal = proposal_services.proposal_create(
        user=member,
        call=call,
        title=title or f"แนวคิดโครงการของ {cso.name_th}",
        summary="ศูนย์ดูแลผู้สูงอายุกลางวันในชุมชน",
        outcomes="ผู้สูงอายุมีที่พักกลางวันและได้ทำกิจกรรม",
        requested_amount=amount,
    )
    if send:
        proposal = proposal_services.proposal_submit(proposal=proposal, user=member)
    return proposal


def two_stage_call(*, officer=None, notes=2, close=True, **call_kwargs):
    """A two-stage call with ``notes`` concept notes sent, closed unless ``close=False``.
    Returns the call and its concept notes."""
    call = CallFactory(stages=2, officer=officer, **call_kwargs)
    proposals = [concept_note(call=call) for _ in range(notes)]
    if close:
        call = call_services.call_close(call=call, user=call.created_by)
    return call, proposals


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


def award(*, instrument="grant", sign=True, terms=None, **proposal_kwargs):
    """An agreement awarded from a freshly selected proposal; ``sign`` makes it active."""

    proposal = selected_proposal(instrument=instrument, **proposal_kwargs)
    agreement = agreement_services.agreement_award(
        proposal=proposal, officer=proposal.call.created_by, **(terms or {})
    )
    if sign:
        agreement = agreement_services.agreement_accept(
            agreement=agreement,
            user=proposal.cso.members.first(),
            signed_name="สมหญิง ใจดี",
            confirm=True,
        )
    return agreement


def send_reports(agreement, *, due_before, accept=False, spent_to_date=None):
    """The organisation sends each progress report due before ``due_before`` that is still
    waiting for it (a short narrative, ``spent_to_date`` or the last amount reported, ten
    people reached in each group the agreement counts), and,
    with ``accept``, the officer accepts every sent one."""
    from contracts.agreements.models import ProgressReport

    member = agreement.cso.members.first()
    officer = agreement.proposal.call.created_by
    RS = ProgressReport.Status
    reports = ProgressReport.objects.filter(agreement=agreement).order_by("seq")
    spent = spent_to_date or "0.00"
    # The agreement's groups of people reached, each counted (none when it names none).
    groups = type(agreement).objects.get(pk=agreement.pk).beneficiary_groups
    reached = [{"group": group, "count": 10} for group in groups]
    for report in reports:
        if report.spent_to_date is not None and spent_to_date is None:
            spent = report.spent_to_date
        if report.due_on < due_before and report.status in {RS.DUE, RS.RETURNED}:
            report = agreement_services.report_submit(
                report=report,
                user=member,
                narrative=f"รายงานความก้าวหน้างวดที่ {report.seq}",
                indicators=[],
                spent_to_date=spent,
                beneficiaries=reached,
            )
        if accept and report.status == RS.SUBMITTED:
            agreement_services.report_accept(report=report, officer=officer)
