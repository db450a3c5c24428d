"""Demo accounts and data, for `make run` only. Production refuses to run it.

Every account's password is ``demo-pass``. Re-running changes nothing that exists."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.missions.services import mission_create
from agencies.models import Agency, Mission
from agencies.reference_data import load_agencies
from csos.bank import services as bank_services
from csos.models import CSO
from csos.registration import services as cso_services
from csos.review import services as cso_review_services
from portal.models import ApiClient, User, UserRole
from portal.roles import Role

PASSWORD = "demo-pass"  # nosec B105 # the documented demo password; seed_demo refuses production

ACCOUNTS = [
    # username, roles, agency, description
    ("admin", [Role.STAFF_ADMIN], None, "staff_admin (also the Django admin)"),
    (
        "officer",
        [Role.AGENCY_OFFICER],
        "กรมกิจการผู้สูงอายุ",
        "agency_officer, Department of Older Persons",
    ),
    (
        "officer2",
        [Role.AGENCY_OFFICER],
        "กรมควบคุมมลพิษ",
        "agency_officer, Pollution Control Department",
    ),
    ("cso", [Role.CSO_MEMBER], None, "cso_member of an approved demo CSO"),
    ("reviewer", [Role.COMMITTEE_REVIEWER], None, "committee_reviewer"),
    ("evaluator", [Role.EVALUATOR], None, "evaluator"),
    ("finance", [Role.API_CLIENT], None, "api_client with the payments scope"),
    ("citizen", [Role.CITIZEN], None, "citizen with a verified email (votes, proposes, answers)"),
]

CSOS = [
    {
        "owner": "cso",
        "approve": True,
        "bank_account": {
            "bank": "006",
            "branch": "สาขาสะพานควาย",
            "account_name": "มูลนิธิพัฒนางานผู้สูงอายุ",
            "account_number": "123-4-56789-0",
        },
        "data": {
            "name_th": "มูลนิธิพัฒนางานผู้สูงอายุ (ข้อมูลตัวอย่าง)",
            "name_en": "Foundation for Older Persons' Development (demo)",
            "org_form": "charitable_foundation",
            "registered": True,
            "juristic_id": "0105539000128",
            "founded_year": 2005,
            "address": "ถนนพหลโยธิน เขตจตุจักร กรุงเทพมหานคร",
            "contact_email": "contact@example.org",
            "contact_phone": "02 000 0000",
            "activity_fields": ["social_services", "health"],
            "service_provinces": ["10", "50", "40"],
            "staff_count": 24,
            "certified_staff_count": 9,
            "networks": "เครือข่ายชมรมผู้สูงอายุ 120 ชมรม",
            "track_record": "ดูแลผู้สูงอายุติดบ้านติดเตียงกว่า 3,000 คนในปี 2567",
        },
    },
    {
        "owner": "demo-member-air",
        "approve": True,
        "bank_account": {
            "bank": "034",
            "branch": "สาขาเชียงใหม่",
            "account_name": "เครือข่ายเฝ้าระวังคุณภาพอากาศภาคเหนือ",
            "account_number": "0200-1234-5678",
        },
        "data": {
            "name_th": "เครือข่ายเฝ้าระวังคุณภาพอากาศภาคเหนือ (ข้อมูลตัวอย่าง)",
            "name_en": "Northern Air Quality Watch Network (demo)",
            "org_form": "community_organisation",
            "registered": False,
            "founded_year": 2016,
            "contact_email": "air@example.org",
            "activity_fields": ["environment"],
            "service_provinces": ["50", "57", "58"],
            "staff_count": 6,
            "certified_staff_count": 1,
            "networks": "กลุ่มอาสาสมัครตรวจวัดฝุ่นในชุมชน",
            "track_record": "ติดตั้งเครื่องวัดฝุ่น PM2.5 ในชุมชน 80 แห่ง",
        },
    },
    {
        "owner": "demo-member-care",
        "approve": False,
        "data": {
            "name_th": "สมาคมอาสาสมัครดูแลผู้สูงอายุ (ข้อมูลตัวอย่าง)",
            "name_en": "Elderly Care Volunteers Association (demo)",
            "org_form": "nonprofit_service_provider",
            "registered": True,
            "juristic_id": "0993000123450",
            "founded_year": 2012,
            "contact_email": "care@example.org",
            "activity_fields": ["social_services"],
            "service_provinces": ["30", "40"],
            "staff_count": 12,
            "certified_staff_count": 3,
            "networks": "",
            "track_record": "อบรมอาสาสมัครดูแลผู้สูงอายุ 400 คน",
        },
    },
]

MISSIONS = [
    (
        "officer",
        {
            "title_th": "บริการดูแลผู้สูงอายุระยะยาวในชุมชน",
            "title_en": "Long-term community care for older persons",
            "description": "ดูแลผู้สูงอายุติดบ้านติดเตียงโดยผู้ดูแลที่ผ่านการอบรม",
            "service_category": "social_cultural",
            "mission_type": "direct_service",
            "activity_field": "social_services",
            "target_groups": ["ผู้สูงอายุติดบ้านติดเตียง", "ผู้ดูแลในครอบครัว"],
            "provinces": ["10", "50"],
        },
    ),
    (
        "officer2",
        {
            "title_th": "ตรวจวัดฝุ่นละออง PM2.5 โดยชุมชน",
            "title_en": "Community monitoring of PM2.5 dust",
            "description": "ชุมชนร่วมตรวจวัดและรายงานคุณภาพอากาศ",
            "service_category": "industrial_commercial",
            "mission_type": "technical",
            "activity_field": "environment",
            "target_groups": ["ชุมชนในพื้นที่เสี่ยงหมอกควัน"],
            "provinces": ["50", "57"],
        },
    ),
]


CALLS = [
    # officer, mission title, call data, the CSO owner who answers it
    (
        "officer",
        "บริการดูแลผู้สูงอายุระยะยาวในชุมชน",
        {
            "instrument": "grant",
            "title": "ทุนสนับสนุนบริการดูแลผู้สูงอายุระยะยาวในชุมชน ปี 2570 (ตัวอย่าง)",
            "description": "สนับสนุนองค์กรภาคประชาสังคมจัดผู้ดูแลเยี่ยมบ้านผู้สูงอายุติดบ้านติดเตียง",
            "budget_ceiling": "500000.00",
            "budget_total": "3000000.00",
            "costing_method": "per_person",
            "required_documents": ["แผนการดำเนินงาน"],
            "criteria_weights": {
                "expertise": 30,
                "standards": 25,
                "service_area": 20,
                "track_record": 15,
                "networking": 10,
            },
        },
        "cso",
    ),
    (
        "officer2",
        "ตรวจวัดฝุ่นละออง PM2.5 โดยชุมชน",
        {
            "instrument": "performance_contract",
            "title": "สัญญาจ้างตามผลงาน: เครือข่ายตรวจวัดฝุ่นชุมชน (ตัวอย่าง)",
            "description": "ชุมชนตรวจวัดและรายงานค่าฝุ่น PM2.5 รายวันตลอดฤดูหมอกควัน",
            "budget_ceiling": "800000.00",
            "budget_total": "2400000.00",
            "costing_method": "per_project",
            "required_documents": [],
        },
        "demo-member-air",
    ),
]


def _demo_calls(users) -> None:
    """Two open calls, each with one submitted proposal and the demo evaluator on the panel."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from contracts.calls import services as call_services
    from contracts.calls.models import Call
    from contracts.proposals import services as proposal_services

    now = timezone.now()
    for officer_name, mission_title, data, owner_name in CALLS:
        officer = users[officer_name]
        if Call.objects.filter(title=data["title"]).exists():
            continue
        mission = Mission.objects.get(agency=officer.agency, title_th=mission_title)
        call = call_services.call_create(
            user=officer,
            mission=mission,
            **{
                **data,
                "budget_ceiling": Decimal(data["budget_ceiling"]),
                "opens_at": now - datetime.timedelta(days=2),
                "closes_at": now + datetime.timedelta(days=30),
            },
        )
        call = call_services.call_publish(call=call, user=officer)
        call_services.call_assign_evaluators(
            call=call, user=officer, usernames=[users["evaluator"].username]
        )
        owner = User.objects.get(username=owner_name)
        if owner.cso is None or owner.cso.status != CSO.Status.APPROVED:
            continue
        proposal = proposal_services.proposal_create(user=owner, call=call, title=call.title)
        unit = "1500.00" if call.costing_method == "per_person" else "350000.00"
        quantity = "120" if call.costing_method == "per_person" else "1"
        proposal_services.proposal_update(
            proposal=proposal,
            user=owner,
            title=f"โครงการของ{owner.cso.name_th}",
            summary="จัดบริการร่วมกับหน่วยงานตามภารกิจที่ประกาศ",
            outcomes="กลุ่มเป้าหมายได้รับบริการต่อเนื่องและวัดผลได้",
            targets=[{"indicator": "ผู้รับบริการ", "target": "120 คน"}],
            budget_lines=[{"description": "ค่าดำเนินงาน", "unit_cost": unit, "quantity": quantity}],
            start_date=(now + datetime.timedelta(days=60)).date(),
            end_date=(now + datetime.timedelta(days=425)).date(),
            project_document="เอกสารโครงการที่องค์กรร่วมจัดทำกับหน่วยงาน (ตัวอย่าง)",
        )
        for title in call.required_documents:
            proposal_services.proposal_document_add(
                proposal=proposal,
                user=owner,
                title=title,
                upload=SimpleUploadedFile("plan.pdf", _demo_pdf(title)),
            )
        proposal_services.proposal_submit(proposal=proposal, user=owner)


BUDGET_TITLE = "งบประมาณแบบมีส่วนร่วม ลดฝุ่น PM2.5 เชียงใหม่ (ตัวอย่าง)"
BUDGET_PROJECTS = [
    ("เครื่องฟอกอากาศในศูนย์เด็กเล็ก 20 แห่ง", "1200000", "อำเภอเมืองเชียงใหม่"),
    ("รถรับซื้อเศษวัสดุการเกษตรแทนการเผา", "2500000", "อำเภอแม่แจ่ม"),
    ("จุดวัดค่าฝุ่นในโรงเรียนพร้อมป้ายแสดงผล", "800000", "ทุกอำเภอ"),
]


def _demo_budget(users) -> None:
    """A participatory budget round of the Pollution Control Department in Chiang Mai, its
    vote open on three feasible projects the demo citizen proposed."""
    from agencies.budgets import services as budget_services
    from agencies.budgets.models import BudgetRound
    from portal.models import Province

    if BudgetRound.objects.filter(title=BUDGET_TITLE).exists():
        return
    officer, resident = users["officer2"], users["citizen"]
    made = budget_services.round_create(
        officer=officer,
        data={
            "title": BUDGET_TITLE,
            "description": "กรมควบคุมมลพิษจัดสรร 3,000,000 บาท ให้ชาวเชียงใหม่เสนอและเลือกโครงการ"
            "ลดฝุ่นเอง โครงการที่ได้คะแนนมากที่สุดภายในวงเงินจะได้ดำเนินการในปีงบประมาณหน้า",
            "envelope": "3000000",
            "provinces": [Province.objects.get(code="50")],
        },
    )
    for title, cost, place in BUDGET_PROJECTS:
        budget_services.project_propose(
            person=resident,
            budget_round=made,
            data={"title": title, "description": title, "cost": cost, "place": place},
        )
    budget_services.round_start_review(officer=officer, budget_round=made)
    for project in made.projects.all():
        budget_services.project_review(officer=officer, project=project, feasible=True)
    budget_services.round_start_voting(officer=officer, budget_round=made)


def _demo_network(users) -> None:
    """Chiang Mai's public-affairs network, run by the Pollution Control Department's officer:
    the demo citizen and CSO as certified members, a steering committee, and a haze issue
    whose action contract waits for the citizen's signature."""
    import datetime

    from django.utils import timezone

    from csos.actioncontracts import services as contract_services
    from csos.localissues import services as issue_services
    from csos.networks import services as network_services
    from csos.networks.models import Network
    from portal.models import Province

    chiang_mai = Province.objects.get(code="50")
    if Network.objects.filter(province=chiang_mai).exists():
        return
    manager, resident, cso_member = users["officer2"], users["citizen"], users["cso"]
    network = network_services.network_create(
        actor=users["admin"], province=chiang_mai, manager=manager
    )
    person = network_services.member_apply(
        person=resident, network=network,
        data={"kind": "person", "name": "ชาวบ้านแม่แจ่ม (ตัวอย่าง)", "sector": "community",
              "resources": ["local_wisdom", "social_capital"]},
    )  # fmt: skip
    organisation = network_services.member_apply(
        person=cso_member, network=network, on_behalf_of_cso=True,
        data={"kind": "organisation", "name": "-", "sector": "civil_society",
              "resources": ["staff", "knowledge"]},
    )  # fmt: skip
    term = timezone.localdate() + datetime.timedelta(days=730)
    for member in (person, organisation):
        network_services.member_certify(manager=manager, member=member, term_ends=term)
    steering = network_services.group_set_up(
        manager=manager, network=network, kind="steering",
        purpose="กำหนดทิศทางและแผนงานของเครือข่ายจังหวัด",
    )  # fmt: skip
    network_services.seat_add(manager=manager, group=steering, member=organisation, role="chair")
    network_services.seat_add(manager=manager, group=steering, member=person, role="member")
    issue = issue_services.issue_raise(
        person=resident, network=network, raised_for=person,
        data={"title": "ฝุ่นควันจากการเผาในที่โล่งทุกเดือนมีนาคม",
              "description": "ค่า PM2.5 เกิน 150 ไมโครกรัมต่อลูกบาศก์เมตรนานสามสัปดาห์ โรงเรียนต้องปิด",
              "evidence": "ข้อมูลสถานีตรวจวัดคุณภาพอากาศของกรมควบคุมมลพิษ",
              "places": "อ.แม่แจ่ม, อ.จอมทอง"},
    )  # fmt: skip
    issue_services.issue_plan(
        manager=manager, issue=issue,
        data={"goals": "ลดพื้นที่เผาลงครึ่งหนึ่งภายในหนึ่งปี",
              "results": "วันที่คุณภาพอากาศเกินมาตรฐานน้อยกว่า 5 วัน",
              "approach": "รับซื้อเศษวัสดุการเกษตรไปทำปุ๋ยหมัก แทนการเผา"},
    )  # fmt: skip
    contract = contract_services.contract_draw_up(
        manager=manager, issue=issue, title="ข้อตกลงความร่วมมืออากาศสะอาดแม่แจ่ม"
    )
    due = timezone.localdate() + datetime.timedelta(days=180)
    for member, commitments in (
        (organisation, "จัดเครื่องย่อยเศษวัสดุและอบรมการทำปุ๋ยหมัก"),
        (person, "ชักชวนเกษตรกรในหมู่บ้านงดเผา 40 ไร่"),
    ):
        contract_services.party_add(
            manager=manager, contract=contract,
            data={"member": member, "commitments": commitments, "due_date": due},
        )  # fmt: skip
    contract_services.party_sign(
        actor=cso_member, party=contract.parties.get(member=organisation),
        signed_name="ผู้แทนองค์กร (ตัวอย่าง)", confirm=True,
    )  # fmt: skip


def _demo_pdf(title: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{title}</p><p>เอกสารตัวอย่างสำหรับการสาธิตระบบ</p>").write_pdf()


def _user(username, roles=(), agency=None):
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(PASSWORD)
        user.email = f"{username}@example.org"
    if agency is not None:
        user.agency = Agency.objects.get(name_th=agency)
        user.agency_admin = True  # each demo officer may invite the agency's officers
    if Role.STAFF_ADMIN in roles:
        user.is_staff = user.is_superuser = True
    if Role.CITIZEN in roles and user.email_verified_at is None:
        from django.utils import timezone

        user.email_verified_at = timezone.now()
    user.save()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)
    return user


class Command(BaseCommand):
    help = "Create the demo accounts (password demo-pass) and demo data. Never in production."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEMO_SEEDING_ALLOWED:
            raise CommandError("Demo seeding is disabled in production settings.")
        load_agencies(Agency)  # the real agencies the demo officers work at
        users = {name: _user(name, roles, agency) for name, roles, agency, _ in ACCOUNTS}
        ApiClient.objects.get_or_create(
            user=users["finance"],
            defaults={
                "name": "ระบบการเงิน (ตัวอย่าง)",
                "contact": "finance@example.org",
                "scopes": ["read", "payments"],
            },
        )
        reviewer = users["reviewer"]
        for spec in CSOS:
            owner = users.get(spec["owner"]) or _user(spec["owner"], [Role.CSO_MEMBER])
            if owner.cso_id or CSO.objects.filter(name_th=spec["data"]["name_th"]).exists():
                continue
            cso = cso_services.cso_create(user=owner, **spec["data"])
            cso_services.cso_document_add(
                cso=cso,
                user=owner,
                kind="registration",
                title="หนังสือรับรองการจดทะเบียน (ตัวอย่าง)",
                upload=SimpleUploadedFile("registration.pdf", _demo_pdf(cso.name_th)),
            )
            cso = cso_services.cso_submit(cso=cso, user=owner)
            if spec["approve"]:
                cso_review_services.cso_approve(
                    cso=cso,
                    reviewer=reviewer,
                    certified_fields=spec["data"]["activity_fields"],
                    scope_note="ร่วมจัดบริการตามภารกิจที่ได้รับการรับรอง",
                )
            if spec.get("bank_account"):
                bank_services.bank_account_set(cso=cso, user=owner, **spec["bank_account"])
        for username, data in MISSIONS:
            officer = users[username]
            if not Mission.objects.filter(
                agency=officer.agency, title_th=data["title_th"]
            ).exists():
                mission_create(officer=officer, **data)
        _demo_calls(users)
        _demo_budget(users)
        _demo_network(users)

        self.stdout.write(self.style.SUCCESS("Demo accounts (password: demo-pass):"))
        for name, _roles, _agency, description in ACCOUNTS:
            self.stdout.write(f"  {name:<10} {description}")
        for spec in CSOS:  # the other demo organisations' members (each its signatory)
            if spec["owner"] not in users:
                state = "approved" if spec["approve"] else "waiting for the committee"
                self.stdout.write(
                    f"  {spec['owner']:<10} cso_member, signatory of {spec['data']['name_en']}"
                    f" ({state})"
                )
