"""No ISO date and no C.E. year in what a Thai reader is sent: every kind of notice (its
subject, its body and its email), with its dates as the rules pass them, and the notices a
call, a registration and an agreement's whole life produce."""

import datetime

import pytest
import time_machine
from django.core import mail

from contracts.agreements import services as agreement_services
from portal.models import Notice
from portal.notices.delivery import send_notice_email
from portal.notices.kinds import KINDS
from portal.notices.services import notify
from portal.notices.sweep import sweep
from tests.factories import (
    CallFactory,
    CSOFactory,
    EvaluatorFactory,
    MemberFactory,
    ProposalFactory,
    ReviewerFactory,
    award,
)
from tests.helpers import BKK, date_leaks

pytestmark = pytest.mark.django_db

# The values a rule passes for each placeholder of a kind's subject and body: dates and
# moments as objects (the notice formats them), everything else as the reader sees it.
SAMPLE = {
    "due": datetime.date(2027, 8, 2),
    "since": datetime.date(2027, 7, 19),
    "end": datetime.date(2028, 2, 29),
    "escalated": datetime.date(2027, 8, 4),
    "when": datetime.datetime(2027, 8, 2, 9, 30, tzinfo=BKK),
    "starts": datetime.datetime(2027, 8, 2, 9, 30, tzinfo=BKK),
    "account": "xxxxxx3210",
    "account_name": "มูลนิธิเพื่อนผู้สูงวัย",
    "agency": "กรมกิจการผู้สูงอายุ",
    "bank": "ธนาคารกสิกรไทย",
    "amount": "152,016.00",
    "call": "ทุนดูแลผู้สูงอายุติดเตียง",
    "comment": "โปรดแนบภาพกิจกรรม",
    "count": 3,
    "cso": "มูลนิธิเพื่อนผู้สูงวัย",
    "days": 14,
    "evaluation": "การประเมินระหว่างโครงการ",
    "next": "ดาวน์โหลดหนังสือรับรองได้ที่หน้าองค์กร",
    "number": "GR-2570-000012",
    "reason": "ปรับแผนงบประมาณ",
    "questions": "ขอแผนการดำเนินงานรายเดือน",
    "parts": "งบประมาณ, วันที่",
    "reference": "P2570-000007",
    "payee": "ร้านเวชภัณฑ์ชุมชน",
    "report": 1,
    "seq": 2,
    "status": "อนุมัติ",
    "title": "โครงการเพื่อนเยี่ยมบ้าน",
    "tracking_id": "GR-2570-7K4Q-M2XD",
    "where": "ห้องประชุม 2 ศาลากลาง",
    "meeting": "เวทีประชาคมเรื่องน้ำประปาหมู่บ้าน",
    "assembly": "สมัชชาพลเมืองเรื่องฝุ่น PM2.5",
    "round": "งบประมาณแบบมีส่วนร่วม เชียงใหม่ 2570",
    "outcome": "ทำได้: อยู่ในบัตรลงคะแนน",
    "selected": 3,
    "ballots": 7,
    "rank": 2,
    "consultation": "รับฟังความคิดเห็นเรื่องรถโดยสารประจำทางในชุมชน",
    "needs": "ล่ามภาษามือ",
    "question": "ศูนย์บริการเปิดวันเสาร์หรือไม่",
    "group": "คณะที่ปรึกษาด้านคุณภาพอากาศ",
    "recommendation": "ห้ามเผาในที่โล่งเดือนมีนาคม",
    "answer": "รับไว้บางส่วน",
    "why": "เริ่มสองอำเภอก่อน",
    "note": "เพิ่มแผนอบรมอาสาสมัคร",
    "summary": "ขยายเวลารับข้อเสนอ",
}
READ_AS = {  # how each date reads in Thai
    "due": "2 สิงหาคม พ.ศ. 2570",
    "since": "19 กรกฎาคม พ.ศ. 2570",
    "end": "29 กุมภาพันธ์ พ.ศ. 2571",
    "escalated": "4 สิงหาคม พ.ศ. 2570",
    "when": "2 สิงหาคม พ.ศ. 2570 เวลา 09:30 น.",
    "starts": "2 สิงหาคม พ.ศ. 2570 เวลา 09:30 น.",
}


def placeholders(kind) -> set[str]:
    import re

    return set(re.findall(r"%\((\w+)\)s", f"{kind.subject}\n{kind.body}"))


def emailed_text() -> str:
    for notice in Notice.objects.filter(email_status=Notice.Email.PENDING):
        send_notice_email(notice.pk)
    return "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)


@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_kind_of_notice_reads_its_dates_in_the_buddhist_era(code):
    kind = KINDS[code]
    names = placeholders(kind)
    assert names <= SAMPLE.keys(), f"give {sorted(names - SAMPLE.keys())} a sample value"
    reader = MemberFactory(language="th", email="somying@example.org")

    [notice] = notify(code, [reader], context={name: SAMPLE[name] for name in names})

    text = f"{notice.subject}\n{notice.body}"
    assert date_leaks(text) == [], text
    for name in sorted(names & READ_AS.keys()):
        assert READ_AS[name] in text
    email = emailed_text()
    assert notice.subject in email and date_leaks(email) == [], email


def test_the_notices_of_calls_registrations_and_agreements_read_b_e_dates_in_thai():
    at = lambda y, m, d: datetime.datetime(y, m, d, 9, tzinfo=BKK)  # noqa: E731
    ReviewerFactory()
    waiting = CSOFactory(status="submitted")
    call = CallFactory()
    ProposalFactory(call=call)  # a draft, reminded before the call closes
    ProposalFactory(call=call, status="submitted")
    contract = award(instrument="performance_contract")  # ends 2027-12-31
    contract.evaluations.get(kind="midterm").evaluators.add(EvaluatorFactory())
    commissioning = award(
        instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)}
    )

    moments = [
        waiting.submitted_at + datetime.timedelta(days=14, minutes=1),
        call.closes_at - datetime.timedelta(days=2),
        call.closes_at + datetime.timedelta(days=15),
        *(at(*day) for day in [(2027, 3, 25), (2027, 4, 2), (2027, 6, 18), (2027, 9, 16)]),
        *(at(*day) for day in [(2027, 10, 5), (2028, 2, 15), (2028, 3, 15)]),
    ]
    for moment in sorted(moments):
        with time_machine.travel(moment):
            sweep()
    with time_machine.travel(at(2027, 11, 30)):
        agreement_services.agreement_end_notice(
            agreement=commissioning,
            officer=commissioning.proposal.call.created_by,
            end_date=datetime.date(2028, 2, 29),
            reason="ปรับแผนงบประมาณ",
        )

    notices = Notice.objects.filter(recipient__language="th")
    kinds = set(notices.values_list("kind", flat=True))
    # A realistic spread: calls, registrations, reports, evaluations, settlement, the end.
    assert {"call_closing_soon", "registration_waiting", "report_due", "report_overdue"} <= kinds
    assert {"evaluation_due", "settlement_due", "partnership_ending", "end_notice"} <= kinds
    for notice in notices:
        text = f"{notice.subject}\n{notice.body}"
        assert date_leaks(text) == [], f"{notice.kind}: {text}"
    assert "29 กุมภาพันธ์ พ.ศ. 2571" in notices.get(kind="end_notice").body
    assert date_leaks(emailed_text()) == []
