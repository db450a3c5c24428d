"""The agreement's documents as PDFs: the grant offer letter, the performance contract, the
commissioning partnership agreement, a tranche's payment order and the settlement statement.
Each gives back, through ``pdftotext -raw``, the CSO's Thai name, dates in B.E. and amounts in
Thai words, with Sarabun embedded; each is for those who may see the agreement only."""

import datetime
import re
import shutil
import subprocess
import unicodedata

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments.evaluations import services as evaluation_services
from contracts.agreements import services as agreement_services
from contracts.agreements.pdf import agreement_pdf, payment_order_pdf, settlement_pdf
from contracts.agreements.selectors import agreement_base_queryset
from tests.factories import CSOFactory, EvaluatorFactory, award, send_reports
from tests.helpers import at, member_of, officer_of

pytestmark = pytest.mark.django_db

CSO_NAME = "มูลนิธิเพื่อนผู้สูงวัยบางเขน"
FULL_AMOUNT = "หนึ่งแสนเก้าหมื่นยี่สิบบาทถ้วน"  # 190,020.00, the factory's proposal
EIGHTY_PERCENT = "หนึ่งแสนห้าหมื่นสองพันสิบหกบาทถ้วน"  # 152,016.00 = 190,020.00 × 0.80
TWENTY_PERCENT = "สามหมื่นแปดพันสี่บาทถ้วน"  # 38,004.00, the remainder


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text with every space and line break taken out: ``pdftotext -raw`` keeps
    Thai marks in order, but Thai has no spaces between words and lines wrap anywhere. The
    PDF writes ำ as ํ + า (see portal.pdf), so text compares after NFKC."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; .ci/run installs it")
    assert content.startswith(b"%PDF-")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return squash(text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def pdf_title(content: bytes, tmp_path) -> str:
    """The document's title, from its metadata."""
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    titles = [
        line.split(":", 1)[1] for line in out.stdout.splitlines() if line.startswith("Title:")
    ]
    return nfkc(titles[0].strip())


def embedded_fonts(content: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for each font of the PDF, from ``pdffonts``."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]  # a header line and a rule
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def assert_sarabun_embedded(content: bytes, tmp_path):
    fonts = embedded_fonts(content, tmp_path)
    assert fonts
    assert all("Sarabun" in name and emb == "yes" for name, emb in fonts), fonts


def assert_in(needle: str, text: str):
    assert squash(needle) in text, needle


def fresh(agreement):
    return agreement_base_queryset().get(pk=agreement.pk)


def named_cso(**kwargs):
    return CSOFactory(status="approved", name_th=CSO_NAME, **kwargs)


# --- 1. the grant offer letter ------------------------------------------------------------


def test_the_grant_offer_letter_reads_back_the_offer_and_then_the_signature(tmp_path):
    cso = named_cso()
    agreement = award(
        instrument="grant",
        sign=False,
        cso=cso,
        terms={
            "shares": ["60", "40"],
            "scope": "เยี่ยมบ้านผู้สูงอายุติดเตียงในเขตบางเขน",
            "terms": "ห้ามใช้เงินซื้อครุภัณฑ์",
        },
    )
    document = agreement_pdf(fresh(agreement))
    text = pdf_text(document, tmp_path)

    assert pdf_title(document, tmp_path) == nfkc(f"หนังสือแจ้งการให้เงินอุดหนุน {agreement.number}")
    assert_in("หนังสือแจ้งการให้เงินอุดหนุน", text)
    assert_in(agreement.number, text)
    assert_in(CSO_NAME, text)
    assert_in(f"นิติบุคคล เลขทะเบียน {cso.juristic_id}", text)
    assert_in(agreement.agency.name_th, text)
    assert_in(FULL_AMOUNT, text)
    assert_in("190,020.00", text)
    # dates in B.E.: the period, the tranches' planned dates and the reports' due dates
    assert_in("1 มกราคม พ.ศ. 2570", text)
    assert_in("31 ธันวาคม พ.ศ. 2570", text)
    assert_in("1 เมษายน พ.ศ. 2570", text)  # the first quarterly report
    assert "2027" not in text
    # the tranche table: 60 % and 40 %, in figures and in words
    assert_in("114,012.00", text)
    assert_in("หนึ่งแสนหนึ่งหมื่นสี่พันสิบสองบาทถ้วน", text)
    assert_in("76,008.00", text)
    assert_in("เจ็ดหมื่นหกพันแปดบาทถ้วน", text)
    # scope, terms, targets
    assert_in("เยี่ยมบ้านผู้สูงอายุติดเตียงในเขตบางเขน", text)
    assert_in("ห้ามใช้เงินซื้อครุภัณฑ์", text)
    assert_in("ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน", text)
    assert_in("120 คน", text)
    assert_in("ยังไม่ได้ลงนาม", text)

    with time_machine.travel(at(2026, 12, 15, 14)):
        agreement_services.agreement_accept(
            agreement=agreement, user=member_of(agreement), signed_name="สมหญิง ใจดี", confirm=True
        )
    signed = pdf_text(agreement_pdf(fresh(agreement)), tmp_path)
    assert "ยังไม่ได้ลงนาม" not in signed
    assert_in("(สมหญิง ใจดี)", signed)
    assert_in("ลงนามอิเล็กทรอนิกส์ผ่านระบบเมื่อวันที่ 15 ธันวาคม พ.ศ. 2569 เวลา 14:00 น.", signed)


def test_an_informal_group_is_named_as_one(tmp_path):
    agreement = award(instrument="grant", cso=named_cso(registered=False))
    text = pdf_text(agreement_pdf(fresh(agreement)), tmp_path)
    assert_in(CSO_NAME, text)
    assert_in("กลุ่มที่ไม่ได้จดทะเบียนเป็นนิติบุคคล", text)
    assert "เลขทะเบียน" not in text
    assert "informalgroup" not in text  # no English aside in the Thai document


# --- 2. the performance contract, and its payment orders and settlement -------------------


def test_a_performance_contract_from_offer_to_settlement_on_paper(tmp_path, finance):
    agreement = award(
        instrument="performance_contract",
        cso=named_cso(),
        project_document="แผนเยี่ยมบ้านรายสัปดาห์ของมูลนิธิ",
    )
    officer, member = officer_of(agreement), member_of(agreement)
    document = agreement_pdf(fresh(agreement))
    text = pdf_text(document, tmp_path)

    assert pdf_title(document, tmp_path) == nfkc(f"สัญญาจ้างตามผลการดำเนินงาน {agreement.number}")
    assert_in(agreement.number, text)
    assert_in(CSO_NAME, text)
    assert_in(FULL_AMOUNT, text)
    # the 80/20 clauses: tranche 1 on signing, tranche 2 on completion and the mid-term
    assert_in(f"งวดที่ 1 ร้อยละ 80 ของค่าจ้าง เป็นเงิน 152,016.00 บาท ({EIGHTY_PERCENT})", text)
    assert_in("จ่ายเมื่อสัญญานี้ได้ลงนามและมีผลใช้บังคับแล้ว", text)
    assert_in(f"งวดที่ 2 ร้อยละ 20 ของค่าจ้าง เป็นเงิน 38,004.00 บาท ({TWENTY_PERCENT})", text)
    assert_in(f"({TWENTY_PERCENT}) จ่ายเมื่อผู้รับจ้าง", text)
    assert_in("ตามสัญญา และผ่านการประเมินผลระหว่าง", text)
    # the deadlines, in B.E.: mid-term at the midpoint, final within 3 months after the end,
    # settlement about 2 months after the end (2028 is a leap year)
    assert_in("ภายในวันที่ 2 กรกฎาคม พ.ศ. 2570", text)
    assert_in("ภายใน 3 เดือนนับแต่วันสิ้นสุดสัญญา คือภายในวันที่ 31 มีนาคม พ.ศ. 2571", text)
    assert_in("คือภายในวันที่ 29 กุมภาพันธ์ พ.ศ. 2571", text)
    # the co-written project document is annexed, and the signature recorded
    assert_in("เอกสารแนบท้ายสัญญา", text)
    assert_in("แผนเยี่ยมบ้านรายสัปดาห์ของมูลนิธิ", text)
    assert_in("(สมหญิง ใจดี)", text)
    assert_sarabun_embedded(document, tmp_path)

    first, last = agreement.tranches.all()
    with time_machine.travel(at(2027, 1, 4)):
        agreement_services.tranche_release(tranche=first, officer=officer)
    content = payment_order_pdf(fresh(agreement).tranches.all()[0])
    assert pdf_title(content, tmp_path) == nfkc(f"คำสั่งจ่ายเงินงวดที่ 1 {agreement.number}")
    order = pdf_text(content, tmp_path)
    assert_in(agreement.number, order)
    assert_in(CSO_NAME, order)
    assert_in("1 จาก 2 งวด", order)
    assert_in("ร้อยละ 80", order)
    assert_in(f"152,016.00 บาท ({EIGHTY_PERCENT})", order)
    assert_in("อนุมัติจ่ายเมื่อ4 มกราคม พ.ศ. 2570 เวลา 10:00 น.", order)
    assert_in("อนุมัติจ่ายแล้ว รอการโอนเงิน", order)
    assert_in(officer.display_name(), order)

    with time_machine.travel(at(2027, 1, 6)):
        agreement_services.tranche_pay(
            tranche=first,
            user=finance,
            payment_reference="GFMIS-0001",
            paid_on=datetime.date(2027, 1, 5),
        )
    paid = pdf_text(payment_order_pdf(fresh(agreement).tranches.all()[0]), tmp_path)
    assert_in("เลขที่อ้างอิงการจ่ายเงินGFMIS-0001", paid)
    assert_in("วันที่จ่ายเงิน5 มกราคม พ.ศ. 2570", paid)
    assert_in("จ่ายเงินแล้ว", paid)

    with time_machine.travel(at(2027, 7, 5)):
        evaluation_services.evaluation_submit(
            evaluation=agreement.evaluations.get(kind="midterm"),
            user=officer,
            score="82.50",
            findings="ดำเนินงานตามแผน",
        )
    with time_machine.travel(at(2027, 12, 31)):
        send_reports(agreement, due_before=datetime.date(2027, 12, 31))
        agreement_services.agreement_complete(agreement=agreement, officer=officer)
        agreement_services.tranche_release(tranche=last, officer=officer)
        agreement_services.tranche_pay(
            tranche=last,
            user=finance,
            payment_reference="GFMIS-0002",
            paid_on=datetime.date(2027, 12, 31),
        )
    second = pdf_text(payment_order_pdf(fresh(agreement).tranches.all()[1]), tmp_path)
    assert_in(f"38,004.00 บาท ({TWENTY_PERCENT})", second)
    assert_in("2 จาก 2 งวด", second)

    with time_machine.travel(at(2028, 2, 20, 9)):
        agreement_services.settlement_submit(
            agreement=agreement, user=member, spent_total="180000.00", note="เหลือค่าวัสดุ"
        )
    statement = settlement_pdf(fresh(agreement))
    text = pdf_text(statement, tmp_path)
    assert pdf_title(statement, tmp_path) == nfkc(f"รายงานการชำระบัญชี {agreement.number}")
    assert_in(agreement.number, text)
    assert_in(CSO_NAME, text)
    assert_in(f"เงินที่ได้รับโอนแล้ว190,020.00{FULL_AMOUNT}", text)
    assert_in("ค่าใช้จ่ายจริง180,000.00หนึ่งแสนแปดหมื่นบาทถ้วน", text)
    assert_in("เงินคงเหลือที่ต้องส่งคืน10,020.00หนึ่งหมื่นยี่สิบบาทถ้วน", text)
    assert squash("รับภาระเอง") not in text  # nothing spent beyond what was paid
    assert_in("เหลือค่าวัสดุ", text)
    assert_in("องค์กรรายงานเมื่อ20 กุมภาพันธ์ พ.ศ. 2571 เวลา 09:00 น.", text)
    assert_in("ภายในวันที่ 29 กุมภาพันธ์ พ.ศ. 2571", text)
    assert_in("GFMIS-0002", text)
    assert_in("รอหน่วยงานตรวจสอบและปิดบัญชี", text)
    assert_sarabun_embedded(statement, tmp_path)


def test_a_settlement_with_nothing_to_refund_says_so(tmp_path):
    agreement = award(instrument="grant", cso=named_cso())
    with time_machine.travel(at(2028, 1, 15)):
        agreement_services.settlement_submit(
            agreement=agreement, user=member_of(agreement), spent_total="0"
        )
    text = pdf_text(settlement_pdf(fresh(agreement)), tmp_path)
    assert_in("เงินที่ได้รับโอนแล้ว0.00ศูนย์บาทถ้วน", text)
    assert_in("ไม่มีเงินคงเหลือที่ต้องส่งคืน", text)
    assert_in("ยังไม่มีเงินงวดที่จ่ายแล้ว", text)


def test_a_settlement_spent_beyond_what_was_paid_shows_the_uncovered_amount(tmp_path, finance):
    agreement = award(instrument="grant", cso=named_cso(), terms={"shares": ["60", "40"]})
    first = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-1", paid_on=timezone.localdate()
    )
    with time_machine.travel(at(2028, 1, 15)):
        agreement_services.settlement_submit(
            agreement=agreement, user=member_of(agreement), spent_total="200000.00"
        )
    text = pdf_text(settlement_pdf(fresh(agreement)), tmp_path)
    assert_in("เงินที่ได้รับโอนแล้ว114,012.00หนึ่งแสนหนึ่งหมื่นสี่พันสิบสองบาทถ้วน", text)
    assert_in("ค่าใช้จ่ายจริง200,000.00สองแสนบาทถ้วน", text)
    assert_in("ไม่มีเงินคงเหลือที่ต้องส่งคืน", text)
    assert_in(
        "ค่าใช้จ่ายเกินเงินที่ได้รับโอน (องค์กรรับภาระเอง)85,988.00แปดหมื่นห้าพันเก้าร้อยแปดสิบแปดบาทถ้วน",
        text,
    )
    assert_in("องค์กรใช้จ่ายเกินกว่าเงินที่ได้รับโอน 85,988.00 บาท", text)


def test_a_scheduled_tranche_has_no_payment_order():
    agreement = award(instrument="performance_contract")
    with pytest.raises(ValueError):
        payment_order_pdf(fresh(agreement).tranches.all()[0])


# --- 3. the commissioning partnership agreement -------------------------------------------


def test_the_commissioning_agreement_carries_the_co_designed_service_and_the_split(tmp_path):
    agreement = award(
        instrument="commissioning",
        sign=False,
        cso=named_cso(),
        terms={
            "outcomes": "ผู้สูงอายุติดเตียงได้รับการดูแลต่อเนื่อง",
            "needs_assessment": "สอบถามผู้สูงอายุ 300 ครัวเรือน",
            "resources": "บุคลากรสาธารณสุข 4 คน",
        },
    )
    member, officer = member_of(agreement), officer_of(agreement)
    agreement_services.agreement_update_design(
        agreement=agreement,
        user=member,
        service_design="ผู้ดูแลเยี่ยมบ้านสัปดาห์ละครั้ง",
        responsibilities=[
            {"task": "เยี่ยมบ้าน", "party": "cso"},
            {"task": "ส่งต่อโรงพยาบาล", "party": "agency"},
            {"task": "ประชุมทบทวนรายไตรมาส", "party": "joint"},
        ],
    )
    agreement_services.agreement_accept(
        agreement=agreement, user=member, signed_name="สมหญิง ใจดี", confirm=True
    )
    evaluation = agreement.evaluations.get(kind="final")
    evaluation_services.evaluation_plan(
        evaluation=evaluation,
        officer=officer,
        mode="external",
        evaluators=[EvaluatorFactory().username],
        committee=[
            {"name": "ศ.ดร.สมชาย", "organisation": "มหาวิทยาลัยธรรมศาสตร์", "type": "professional"}
        ],
        due_on=datetime.date(2028, 3, 31),
    )
    document = agreement_pdf(fresh(agreement))
    text = pdf_text(document, tmp_path)

    assert pdf_title(document, tmp_path) == nfkc(
        f"ข้อตกลงความร่วมมือการมอบหมายภารกิจ {agreement.number}"
    )
    assert_in("ข้อตกลงความร่วมมือการมอบหมายภารกิจ", text)
    assert_in(agreement.number, text)
    assert_in(CSO_NAME, text)
    assert_in(FULL_AMOUNT, text)
    assert_in("ผู้สูงอายุติดเตียงได้รับการดูแลต่อเนื่อง", text)
    assert_in("สอบถามผู้สูงอายุ 300 ครัวเรือน", text)
    assert_in("บุคลากรสาธารณสุข 4 คน", text)
    assert_in("ผู้ดูแลเยี่ยมบ้านสัปดาห์ละครั้ง", text)
    assert_in("เยี่ยมบ้านองค์กร", text)
    assert_in("ส่งต่อโรงพยาบาลหน่วยงาน", text)
    assert_in("ประชุมทบทวนรายไตรมาสหน่วยงานและองค์กรร่วมกัน", text)
    assert_in("หน่วยงานภายนอก", text)
    assert_in("มหาวิทยาลัยธรรมศาสตร์", text)
    assert_in("31 มีนาคม พ.ศ. 2571", text)
    assert_in("ล่วงหน้าไม่น้อยกว่า 3 เดือน", text)
    assert_in("ถึงวันที่ 31 ธันวาคม พ.ศ. 2570", text)
    assert_sarabun_embedded(document, tmp_path)

    with time_machine.travel(at(2027, 6, 1)):
        agreement_services.agreement_end_notice(
            agreement=agreement,
            officer=officer,
            end_date=datetime.date(2027, 10, 31),
            reason="งบประมาณปีหน้าถูกตัด",
        )
    ended = pdf_text(agreement_pdf(fresh(agreement)), tmp_path)
    assert_in("หน่วยงานได้แจ้งยุติความร่วมมือเมื่อวันที่ 1 มิถุนายน พ.ศ. 2570", ended)
    assert_in("โดยให้สิ้นสุดในวันที่ 31 ตุลาคม พ.ศ. 2570", ended)
    assert_in("งบประมาณปีหน้าถูกตัด", ended)


# --- the downloads ----------------------------------------------------------------------------


def test_the_document_is_for_the_agency_and_the_cso_only(client, other_member, other_officer):
    agreement = award(instrument="grant", sign=False)
    url = reverse("agreement-document", args=[agreement.pk])
    assert url == f"/agreements/{agreement.pk}/document.pdf"

    assert client.get(url).status_code == 404  # anonymous
    for stranger in (other_member, other_officer):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    for user in (officer_of(agreement), member_of(agreement)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'inline; filename="grant-offer-{agreement.number}.pdf"'
        )
        assert response.content.startswith(b"%PDF-")
    assert client.get(reverse("agreement-document", args=[agreement.pk + 999])).status_code == 404


def test_each_kind_downloads_its_own_document(client, tmp_path):
    for kind, title, filename in [
        ("performance_contract", "สัญญาจ้างตามผลการดำเนินงาน", "performance-contract"),
        ("commissioning", "ข้อตกลงความร่วมมือการมอบหมายภารกิจ", "commissioning-agreement"),
    ]:
        agreement = award(instrument=kind)
        client.force_login(member_of(agreement))
        response = client.get(reverse("agreement-document", args=[agreement.pk]))
        assert response.status_code == 200
        assert f'filename="{filename}-{agreement.number}.pdf"' in response["Content-Disposition"]
        assert pdf_title(response.content, tmp_path) == nfkc(f"{title} {agreement.number}")


def test_a_payment_order_once_released_for_those_who_may_see_it(
    client, tmp_path, other_member, finance
):
    agreement = award(instrument="performance_contract", cso=named_cso())
    officer, member = officer_of(agreement), member_of(agreement)
    url = reverse("tranche-payment-order", args=[agreement.pk, 1])
    assert url == f"/agreements/{agreement.pk}/tranches/1/payment-order.pdf"

    client.force_login(officer)
    assert client.get(url).status_code == 404  # still scheduled
    agreement_services.tranche_release(tranche=agreement.tranches.get(seq=1), officer=officer)
    assert client.get(reverse("tranche-payment-order", args=[agreement.pk, 2])).status_code == 404
    assert client.get(reverse("tranche-payment-order", args=[agreement.pk, 3])).status_code == 404

    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    for user in (officer, member):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'inline; filename="payment-order-{agreement.number}-1.pdf"'
        )
    # The finance system (an API client: no web session) reads it through the API.
    client.force_login(finance)
    assert client.get(url).status_code == 404  # no web session: as anyone signed out
    client.logout()
    token = Token.objects.create(user=finance)
    api_url = f"/api/v1/agreements/{agreement.pk}/tranches/1/payment-order.pdf"
    api = client.get(api_url, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"
    assert (
        client.get(
            api_url.replace("/1/", "/2/"), HTTP_AUTHORIZATION=f"Token {token.key}"
        ).status_code
        == 404
    )
    text = pdf_text(response.content, tmp_path)
    assert_in(CSO_NAME, text)
    assert_in(EIGHTY_PERCENT, text)
    assert_in(f"พ.ศ. {timezone.localdate().year + 543}", text)
    assert_sarabun_embedded(response.content, tmp_path)


def test_the_settlement_statement_once_stated(client, tmp_path, other_member):
    agreement = award(instrument="grant", cso=named_cso())
    member = member_of(agreement)
    url = reverse("settlement-statement", args=[agreement.pk])
    assert url == f"/agreements/{agreement.pk}/settlement.pdf"

    client.force_login(member)
    assert client.get(url).status_code == 404  # nothing stated yet
    with time_machine.travel(at(2028, 1, 15)):
        agreement_services.settlement_submit(agreement=agreement, user=member, spent_total="0.00")

    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    for user in (officer_of(agreement), member):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'inline; filename="settlement-{agreement.number}.pdf"'
        )
    text = pdf_text(response.content, tmp_path)
    assert_in(CSO_NAME, text)
    assert_in("15 มกราคม พ.ศ. 2571", text)
    assert_in(f"วงเงินตามข้อตกลง190,020.00{FULL_AMOUNT}", text)


def test_the_documents_answer_get_only(client):
    agreement = award(instrument="grant")
    client.force_login(member_of(agreement))
    response = client.post(reverse("agreement-document", args=[agreement.pk]))
    assert response.status_code == 405


def test_thai_vowels_and_tone_marks_survive_the_text_layer(tmp_path):
    """HarfBuzz draws ำ with the glyph of า; unless the PDF writes ำ as ํ + า, one of them
    comes out as the other in copied text and a tone mark before ำ is lost."""
    agreement = award(
        instrument="grant",
        terms={"terms": "ห้ามนำเงินไปซื้อน้ำมัน ทำบัญชีทุกเดือน"},
        cso=CSOFactory(status="approved", name_th="กลุ่มอาสาสำนักน้ำใจ"),
    )
    document = agreement_pdf(fresh(agreement))
    text = pdf_text(document, tmp_path)
    assert_in("ห้ามนำเงินไปซื้อน้ำมัน ทำบัญชีทุกเดือน", text)
    assert_in("กลุ่มอาสาสำนักน้ำใจ", text)
    assert_in("ดำเนินโครงการ", text)
    assert_in("การตอบรับ", text)  # า in a bold heading, after ำ in the bold title
    assert_in("หนังสือแจ้งการให้เงินอุดหนุน", text)
    assert pdf_title(document, tmp_path) == nfkc(f"หนังสือแจ้งการให้เงินอุดหนุน {agreement.number}")


def test_a_document_costs_the_same_queries_however_many_tranches(
    client, django_assert_max_num_queries
):
    """Tranches, reports and evaluations come prefetched: no query per row."""
    small = award(instrument="grant")
    large = award(instrument="grant", terms={"shares": ["10"] * 10, "report_every_months": 1})
    counts = []
    for agreement in (small, large):
        client.force_login(member_of(agreement))
        url = reverse("agreement-document", args=[agreement.pk])
        client.get(url)  # warm the session and the user's roles
        with django_assert_max_num_queries(11) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_agreement_carries_both_signatures_by_name_and_position_never_a_username(tmp_path):
    from tests.factories import selected_proposal

    proposal = selected_proposal(instrument="grant")
    officer = proposal.call.created_by
    officer.first_name, officer.last_name = "วิชัย", "ราชการดี"
    officer.position = "ผู้อำนวยการกองส่งเสริมการมีส่วนร่วม"
    officer.save()
    agreement = agreement_services.agreement_award(proposal=proposal, officer=officer)
    with time_machine.travel(at(2026, 12, 15, 14)):
        agreement_services.agreement_accept(
            agreement=agreement, user=member_of(agreement), signed_name="สมหญิง ใจดี", confirm=True
        )

    text = pdf_text(agreement_pdf(fresh(agreement)), tmp_path)

    assert_in("(วิชัย ราชการดี)", text)
    assert_in("ตำแหน่ง ผู้อำนวยการกองส่งเสริมการมีส่วนร่วม", text)
    assert_in("(สมหญิง ใจดี)", text)
    assert_in("ลงนามอิเล็กทรอนิกส์ผ่านระบบเมื่อวันที่ 15 ธันวาคม พ.ศ. 2569 เวลา 14:00 น.", text)
    for username in (officer.username, member_of(agreement).username):
        assert username not in text
    # The officer's later change of post does not rewrite the signed agreement.
    officer.position = "รองอธิบดี"
    officer.save()
    assert_in("ผู้อำนวยการกองส่งเสริมการมีส่วนร่วม", pdf_text(agreement_pdf(fresh(agreement)), tmp_path))


def test_the_officer_may_name_another_signatory_at_award(tmp_path):
    agreement = award(
        instrument="grant",
        sign=False,
        terms={"signatory_name": "นางสาวอรทัย ผู้มีอำนาจ", "signatory_position": "อธิบดี"},
    )

    text = pdf_text(agreement_pdf(fresh(agreement)), tmp_path)

    assert_in("(นางสาวอรทัย ผู้มีอำนาจ)", text)
    assert_in("ตำแหน่ง อธิบดี", text)
    assert_in("ยังไม่ได้ลงนาม", text)


def test_a_signatory_name_too_long_is_refused_in_words():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        award(instrument="grant", sign=False, terms={"signatory_name": "ก" * 256})
    assert "signatory_name" in refused.value.message_dict


def test_the_document_opened_again_is_kept_until_the_agreement_changes(client, tmp_path):
    from unittest import mock

    from contracts.agreements import document_views

    agreement = award(instrument="grant", sign=False, cso=named_cso())
    client.force_login(officer_of(agreement))
    url = reverse("agreement-document", args=[agreement.pk])
    first = client.get(url).content
    with mock.patch.object(
        document_views, "agreement_pdf", wraps=document_views.agreement_pdf
    ) as rendering:
        again = client.get(url).content
        assert rendering.call_count == 0  # WeasyPrint not run again
    assert again == first

    agreement_services.agreement_accept(
        agreement=agreement, user=member_of(agreement), signed_name="สมหญิง ใจดี", confirm=True
    )
    signed = pdf_text(client.get(url).content, tmp_path)
    assert_in("(สมหญิง ใจดี)", signed)
    assert "ยังไม่ได้ลงนาม" not in signed
