"""Progress reports with evidence (issue 17, item 10): photos and documents checked like
every upload, each indicator's result with a note, the people reached counted in the groups
the agreement names (numbers, never names), and the recorded expenses' totals by budget line
kept as they stood when the report was sent (item 8)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from contracts.agreements import services
from contracts.agreements.models import ReportEvidence
from portal.audit import audit_history
from portal.uploads import organisation_bytes
from portal.workflow import InvalidTransition
from tests.factories import MemberFactory, award, sample_file, selected_proposal
from tests.helpers import assert_error, at, fresh, member_of, officer_of, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
GROUPS = ["ผู้สูงอายุติดเตียง", "ผู้ดูแลในครอบครัว"]
INDICATOR = "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน"
IN_PERIOD = at(2027, 3, 15)


def _agreement():
    return award(terms={"beneficiary_groups": GROUPS, "considered_funding": True})


def _photo():
    return sample_file("photo.jpg", content_type="image/jpeg")


def _send(report, user, **over):
    data = {
        "narrative": "เยี่ยมบ้านครบตามแผน",
        "indicators": [{"indicator": INDICATOR, "actual": "40 คน", "note": "นับจากทะเบียนเยี่ยม"}],
        "beneficiaries": [{"group": GROUPS[1], "count": 35}, {"group": GROUPS[0], "count": 40}],
        "spent_to_date": "0.00",
    }
    data.update(over)
    return services.report_submit(report=report, user=user, **data)


# --- what a report says ---------------------------------------------------------------------


def test_a_report_counts_the_people_reached_in_each_group_and_notes_each_result():
    agreement = _agreement()
    assert agreement.beneficiary_groups == GROUPS
    sent = _send(agreement.reports.get(seq=1), member_of(agreement))
    # In the agreement's order, whatever order they were typed in.
    assert sent.beneficiaries == [
        {"group": GROUPS[0], "count": 40},
        {"group": GROUPS[1], "count": 35},
    ]
    assert sent.indicators[0]["note"] == "นับจากทะเบียนเยี่ยม"


@pytest.mark.parametrize(
    "beneficiaries, message",
    [
        ([{"group": GROUPS[0], "count": 40}], "Give the number of people reached for: "),
        ([{"group": "คนอื่น", "count": 1}], "is not a group this agreement counts"),
        ([{"group": GROUPS[0], "count": -1}, {"group": GROUPS[1], "count": 1}], "whole number"),
        ([{"group": GROUPS[0], "count": 2.5}, {"group": GROUPS[1], "count": 1}], "whole number"),
        ([{"group": GROUPS[0], "count": True}, {"group": GROUPS[1], "count": 1}], "whole number"),
        ("40", "list of groups and counts"),
    ],
)
def test_a_report_refuses_counts_the_agreement_does_not_ask_for(beneficiaries, message):
    agreement = _agreement()
    report = agreement.reports.get(seq=1)
    with pytest.raises(ValidationError) as refused:
        _send(report, member_of(agreement), beneficiaries=beneficiaries)
    assert message in refused.value.message_dict["beneficiaries"][0]
    assert fresh(report).status == "due" and fresh(report).beneficiaries == []


def test_an_agreement_without_groups_takes_no_counts():
    agreement = award(terms={"considered_funding": True})
    report = agreement.reports.get(seq=1)
    with pytest.raises(ValidationError) as refused:
        _send(report, member_of(agreement))
    assert "counts no groups" in refused.value.message_dict["beneficiaries"][0]
    assert _send(report, member_of(agreement), beneficiaries=[]).status == "submitted"


def test_the_award_refuses_groups_it_cannot_count():
    proposal = selected_proposal()
    with pytest.raises(ValidationError) as refused:
        services.agreement_award(
            proposal=proposal,
            officer=proposal.call.created_by,
            considered_funding=True,
            beneficiary_groups=[f"กลุ่ม {n}" for n in range(13)],
        )
    assert "At most 12 groups" in refused.value.message_dict["beneficiary_groups"][0]


def test_a_report_keeps_the_expenses_totals_by_budget_line_as_they_stood():
    agreement = _agreement()
    member = member_of(agreement)
    carers, dressings = agreement.proposal.budget_lines.all()
    with time_machine.travel(IN_PERIOD):
        for amount in ("1500.10", "2499.95"):
            services.expense_record(
                agreement=agreement, user=member, budget_line=dressings.pk,
                spent_on=datetime.date(2027, 3, 1), amount=amount, payee="ร้านเวชภัณฑ์",
                description="ผ้าก๊อซ", receipt=sample_file("registration.pdf",
                                                          content_type="application/pdf"),
            )  # fmt: skip
        sent = _send(agreement.reports.get(seq=1), member, spent_to_date="4000.05")
        services.expense_record(
            agreement=agreement, user=member, budget_line=carers.pk,
            spent_on=datetime.date(2027, 3, 2), amount="100.00", payee="ผู้ดูแล",
            description="ค่าตอบแทน", receipt=_photo(),
        )  # fmt: skip
    rows = {row["line"]: row for row in fresh(sent).budget_lines}
    assert rows[dressings.pk]["spent"] == "4000.05"
    assert rows[dressings.pk]["budget"] == str(dressings.amount)
    assert rows[carers.pk]["spent"] == "0.00"  # recorded after the report was sent
    assert sum(Decimal(r["spent"]) for r in rows.values()) == Decimal("4000.05")


# --- evidence -------------------------------------------------------------------------------


def test_photos_and_documents_go_with_the_report_until_it_is_sent():
    agreement = _agreement()
    member, report = member_of(agreement), agreement.reports.get(seq=1)
    before = organisation_bytes(agreement.cso_id)
    photo = services.report_evidence_add(
        report=report, user=member, upload=_photo(), caption="  วันเปิดศูนย์  "
    )
    assert (photo.content_type, photo.caption) == ("image/jpeg", "วันเปิดศูนย์")
    assert organisation_bytes(agreement.cso_id) == before + photo.size
    pdf = services.report_evidence_add(
        report=report,
        user=member,
        upload=sample_file("registration.pdf", content_type="application/pdf"),
    )
    services.report_evidence_remove(evidence=pdf, user=member)
    assert list(report.evidence.all()) == [photo]
    assert [row.action for row in audit_history(report)] == [
        "add_evidence",
        "add_evidence",
        "remove_evidence",
    ]

    with pytest.raises(ValidationError) as refused:
        services.report_evidence_add(
            report=report,
            user=member,
            upload=sample_file("not-really.pdf", content_type="application/pdf"),
        )
    assert "PDF, JPEG or PNG" in refused.value.message_dict["file"][0]
    with pytest.raises(PermissionDenied):
        services.report_evidence_add(report=report, user=MemberFactory(), upload=_photo())

    _send(report, member)
    with pytest.raises(InvalidTransition) as refused:
        services.report_evidence_add(report=report, user=member, upload=_photo())
    assert "before it is sent" in refused.value.message
    with pytest.raises(InvalidTransition):
        services.report_evidence_remove(evidence=photo, user=member)
    services.report_return(report=report, officer=officer_of(agreement), comment="ขอภาพเพิ่ม")
    services.report_evidence_add(report=report, user=member, upload=_photo())
    assert ReportEvidence.objects.filter(report=report).count() == 2


# --- the API --------------------------------------------------------------------------------


def test_the_api_attaches_evidence_and_sends_the_counts(api_as):
    agreement = _agreement()
    member, officer = api_as(member_of(agreement)), api_as(officer_of(agreement))
    base = f"/api/v1/agreements/{agreement.pk}/reports/1/"
    assert_error(officer.post(base + "evidence/", {"file": _photo()}), 403, "permission_denied")
    assert_error(
        member.post(base + "evidence/", {"file": sample_file("not-really.pdf")}),
        400,
        "validation_error",
        fields=["file"],
    )
    added = member.post(base + "evidence/", {"file": _photo(), "caption": "วันเปิดศูนย์"})
    assert added.status_code == 201, added.content
    item = added.json()
    assert (item["content_type"], item["caption"]) == ("image/jpeg", "วันเปิดศูนย์")
    download = member.get(base + f"evidence/{item['id']}/")  # the officer's once it is sent
    assert download.status_code == 200
    assert (
        b"".join(download.streaming_content)
        == (settings.BASE_DIR / "tests/files/photo.jpg").read_bytes()
    )

    body = {
        "narrative": "เยี่ยมบ้านครบ",
        "indicators": [{"indicator": INDICATOR, "actual": "40 คน", "note": "จากทะเบียน"}],
        "beneficiaries": [{"group": GROUPS[0], "count": 40}],
        "spent_to_date": "0.00",
    }
    assert_error(member.post(base + "submit/", body, format="json"), 400, "validation_error",
                 fields=["beneficiaries"])  # fmt: skip
    body["beneficiaries"].append({"group": GROUPS[1], "count": 35})
    sent = member.post(base + "submit/", body, format="json")
    assert sent.status_code == 200, sent.content
    report = officer.get(f"/api/v1/agreements/{agreement.pk}/reports/").json()[0]
    assert report["beneficiaries"] == [
        {"group": GROUPS[0], "count": 40},
        {"group": GROUPS[1], "count": 35},
    ]
    assert report["indicators"][0]["note"] == "จากทะเบียน"
    assert [e["id"] for e in report["evidence"]] == [item["id"]]
    assert {row["description"] for row in report["budget_lines"]} == {
        line.description for line in agreement.proposal.budget_lines.all()
    }
    assert_error(member.delete(base + f"evidence/{item['id']}/"), 409, "invalid_transition")


# --- the pages ------------------------------------------------------------------------------


def test_the_report_page_takes_counts_notes_and_photos(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    agreement = _agreement()
    url = reverse("report-detail", args=[agreement.pk, 1])
    client.force_login(member_of(agreement))
    page = text(client.get(url))
    assert f"People reached: {GROUPS[0]}" in page and "Note on " + INDICATOR in page

    wrong = sample_file("not-really.pdf")
    refused = client.post(
        url, {"action": "evidence", "evidence-file": wrong, "evidence-caption": "ใบเสร็จ"}
    )
    assert refused.status_code == 400 and "PDF, JPEG or PNG" in text(refused)
    assert 'value="ใบเสร็จ"' in refused.content.decode()  # what was typed is kept
    added = client.post(url, {"action": "evidence", "evidence-file": _photo(),
                              "evidence-caption": "วันเปิดศูนย์"})  # fmt: skip
    assert added.status_code == 302
    evidence = ReportEvidence.objects.get(report__agreement=agreement)

    typed = {
        "action": "submit", "narrative": "เยี่ยมบ้านครบ", "actual_0": "40 คน",
        "note_0": "นับจากทะเบียนเยี่ยม", "reached_0": "40", "reached_1": "",
        "spent_to_date": "0.00",
    }  # fmt: skip
    kept = client.post(url, typed)
    assert kept.status_code == 200
    assert "Give the number of people reached in this group" in text(kept)
    assert 'value="นับจากทะเบียนเยี่ยม"' in kept.content.decode()
    assert client.post(url, {**typed, "reached_1": "35"}).status_code == 302

    client.force_login(officer_of(agreement))
    page = text(client.get(url))
    assert "People reached in this period" in page and "นับจากทะเบียนเยี่ยม" in page
    assert "วันเปิดศูนย์" in page and "Recorded expenses by budget line" in page
    photo = client.get(reverse("report-evidence", args=[agreement.pk, 1, evidence.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    client.force_login(MemberFactory())
    assert (
        client.get(reverse("report-evidence", args=[agreement.pk, 1, evidence.pk])).status_code
        == 404
    )


def test_the_officer_opens_an_expense_receipt_and_no_one_else_does(client):
    agreement = _agreement()
    line = agreement.proposal.budget_lines.first()
    with time_machine.travel(IN_PERIOD):
        expense = services.expense_record(
            agreement=agreement, user=member_of(agreement), budget_line=line.pk,
            spent_on=datetime.date(2027, 3, 1), amount="10.00", payee="ร้านค้า",
            description="ผ้าก๊อซ", receipt=_photo(),
        )  # fmt: skip
    url = reverse("expense-receipt", args=[agreement.pk, expense.pk])
    client.force_login(officer_of(agreement))
    assert url in client.get(reverse("agreement-expenses", args=[agreement.pk])).content.decode()
    receipt = client.get(url)
    assert receipt.status_code == 200 and receipt["Content-Type"] == "image/jpeg"
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404


# --- who sees the files, and when (found in review) -----------------------------------------


def test_files_of_a_report_not_sent_are_the_organisations_own_until_it_is_sent(client, api_as):
    agreement = _agreement()
    member, officer = member_of(agreement), officer_of(agreement)
    report = agreement.reports.get(seq=1)
    photo = services.report_evidence_add(report=report, user=member, upload=_photo())
    web = reverse("report-evidence", args=[agreement.pk, 1, photo.pk])
    api = f"/api/v1/agreements/{agreement.pk}/reports/1/evidence/{photo.pk}/"
    client.force_login(officer)
    assert client.get(web).status_code == 404
    assert api_as(officer).get(api).status_code == 404
    assert (
        photo.original_name
        not in client.get(reverse("report-detail", args=[agreement.pk, 1])).content.decode()
    )
    assert api_as(member).get(api).status_code == 200
    _send(report, member)
    assert client.get(web).status_code == 200
    assert api_as(officer).get(api).status_code == 200


def test_a_system_reads_report_files_only_with_the_reports_scope(api_as):
    from tests.factories import ApiClientFactory

    agreement = _agreement()
    report = agreement.reports.get(seq=1)
    photo = services.report_evidence_add(report=report, user=member_of(agreement), upload=_photo())
    _send(report, member_of(agreement))
    url = f"/api/v1/agreements/{agreement.pk}/reports/1/evidence/{photo.pk}/"
    reader = ApiClientFactory(scopes=["read"]).user
    assert_error(api_as(reader).get(url), 403, "permission_denied")
    assert api_as(ApiClientFactory(scopes=["read", "reports"]).user).get(url).status_code == 200


def test_removing_a_file_that_is_not_a_number_is_not_found(client):
    agreement = _agreement()
    client.force_login(member_of(agreement))
    url = reverse("report-detail", args=[agreement.pk, 1])
    assert client.post(url, {"action": "remove_evidence", "evidence": "abc"}).status_code == 404
