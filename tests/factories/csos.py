"""CSOs registered through the real services and taken to a status the way the member and
the committee would, with their audit trail."""

import factory
from stdnum.th import moa

from csos.bank import services as bank_services
from csos.models import CSO
from csos.registration import services as cso_services
from csos.review import services as cso_review_services

from .portal import (
    ApiClientFactory,
    EvaluatorFactory,
    MemberFactory,
    OfficerFactory,
    ReviewerFactory,
    StaffAdminFactory,
    sample_file,
)


def juristic_id(n: int) -> str:
    """A valid 13-digit Thai juristic person id (starts with 0, correct check digit)."""
    base = f"0105{n:08d}"
    return base + moa.calc_check_digit(base)


class CSOFactory(factory.Factory):
    """``CSOFactory(status="approved")`` registers a complete CSO through the services and
    takes it to ``status`` the way the member and the committee would.

    ``member`` (default: a new member) registers it; ``reviewer`` (default: a new
    reviewer) decides. ``documents=False`` leaves the documents part empty (a draft that
    cannot be submitted yet). The committee certifies ``certified_fields`` (default: every
    declared activity field). Once approved, the member records a bank account
    (``bank_account_for``), so its tranches can be released; ``bank_account=False`` leaves
    none, a dict records that one."""

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
        bank_account = data.pop("bank_account", True)
        certified_fields = data.pop("certified_fields", None)
        if certified_fields is None:
            certified_fields = data["activity_fields"]
        if not data["registered"]:
            data["juristic_id"] = ""
        cso = cso_services.cso_create(user=member, **data)
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
            return cso_review_services.cso_request_changes(
                cso=cso, reviewer=reviewer, reason="แนบงบการเงินปีล่าสุด"
            )
        if status == CSO.Status.REJECTED:
            return cso_review_services.cso_reject(
                cso=cso, reviewer=reviewer, reason="ไม่ใช่องค์กรไม่แสวงกำไร"
            )
        cso = cso_review_services.cso_approve(
            cso=cso,
            reviewer=reviewer,
            certified_fields=certified_fields,
            scope_note="ร่วมจัดบริการตามภารกิจที่ได้รับการรับรอง",
        )
        if bank_account:
            account = bank_account if isinstance(bank_account, dict) else bank_account_for(cso)
            bank_services.bank_account_set(cso=cso, user=member, **account)
        if status == CSO.Status.APPROVED:
            return cso
        if status == CSO.Status.SUSPENDED:
            return cso_review_services.cso_suspend(
                cso=cso, reviewer=reviewer, reason="ขาดการรายงานผล"
            )
        raise ValueError(f"unknown CSO status {status!r}")


def bank_account_for(cso, **changes) -> dict:
    """A valid account at Kasikornbank (004) in the organisation's name, typed with dashes as
    people do; ``changes`` overrides any field."""
    return {
        "bank": "004",
        "branch": "สาขาพหลโยธิน",
        "account_name": cso.name_th,
        "account_number": f"123-4-{cso.pk % 100000:05d}-0",
        **changes,
    }


def caller(who, cso):
    """A new user who is ``who`` to ``cso`` (``"own_member"``, ``"reviewer"``, ...)."""
    return {
        "anonymous": lambda: None,
        "own_member": lambda: cso.members.get(),
        "other_member": lambda: CSOFactory(status=CSO.Status.DRAFT).members.get(),
        "officer": OfficerFactory,
        "evaluator": EvaluatorFactory,
        "staff_admin": StaffAdminFactory,
        "reviewer": ReviewerFactory,
        "api_client": lambda: ApiClientFactory(scopes=["read", "payments"]).user,
    }[who]()
