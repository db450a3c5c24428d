"""Sample objects of every kind worth a page, got to their states through the real services,
and the keyword arguments that fill each page's URL from them. Shared by the phone-width sweep
(tests/browser/test_phone_width.py) and the permission matrix
(tests/portal/test_permission_matrix.py), so a new page's sample is written once."""

import datetime

import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

# Every page with arguments: a function from the objects the test built to the keyword
# arguments of one or more pages to visit.
SAMPLE_KWARGS = {
    "mission-detail": lambda d: {"pk": d["open_call"].mission_id},
    "mission-edit": lambda d: {"pk": d["open_call"].mission_id},
    "call-create": lambda d: {"mission_pk": d["open_call"].mission_id},
    "call-detail": lambda d: [{"pk": d["open_call"].pk}, {"pk": d["ranked_call"].pk}],
    "call-edit": lambda d: [{"pk": d["draft_call"].pk}, {"pk": d["open_call"].pk}],
    "call-publish": lambda d: {"pk": d["draft_call"].pk},
    "call-forecast": lambda d: {"pk": d["draft_call"].pk},
    "call-amend": lambda d: {"pk": d["open_call"].pk},
    "call-question-ask": lambda d: {"pk": d["open_call"].pk},
    "call-question-answer": lambda d: {
        "pk": d["open_call"].pk,
        "question_pk": d["call_question"].pk,
    },
    "call-addendum-document": lambda d: {"pk": d["open_call"].pk, "number": 1},
    "saved-search-delete": lambda d: {"pk": d["saved_search"].pk},
    "call-close": lambda d: {"pk": d["open_call"].pk},
    "call-cancel": lambda d: {"pk": d["open_call"].pk},
    "call-evaluators": lambda d: {"pk": d["open_call"].pk},
    "call-ranking": lambda d: {"pk": d["ranked_call"].pk},
    "call-decide-many": lambda d: {"pk": d["ranked_call"].pk},
    "call-concepts": lambda d: {"pk": d["staged_call"].pk},
    "proposal-version": lambda d: {"pk": d["invited"].pk, "number": 1},
    "agreement-detail": lambda d: [{"pk": a.pk} for a in d["agreements"]],
    "agreement-design": lambda d: {"pk": d["commissioning"].pk},
    "agreement-variations": lambda d: {"pk": d["grant"].pk},
    "agreement-expenses": lambda d: {"pk": d["grant"].pk},
    "agreement-award": lambda d: {"pk": d["selected"].pk},
    "agreement-document": lambda d: {"pk": d["grant"].pk},
    "tranche-payment-order": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "settlement-statement": lambda d: {"pk": d["contract"].pk},
    "report-detail": lambda d: [{"pk": r.agreement_id, "seq": r.seq} for r in d["reports"]],
    "report-evidence": lambda d: {
        "pk": d["contract"].pk,
        "seq": 1,
        "evidence_id": d["evidence"].pk,
    },
    "expense-receipt": lambda d: {"pk": d["grant"].pk, "expense_id": d["expense"].pk},
    "evaluation-detail": lambda d: [{"pk": e.pk} for e in d["evaluations"]],
    "evaluation-add": lambda d: {"pk": d["commissioning"].pk},
    "proposal-start": lambda d: {"pk": d["open_call"].pk},
    "proposal-detail": lambda d: [{"pk": d["draft"].pk}, {"pk": d["ranked"][0].pk}],
    "proposal-check": lambda d: {"pk": d["draft"].pk},
    "proposal-submitted": lambda d: {"pk": d["submitted"].pk},
    "proposal-receipt": lambda d: {"pk": d["submitted"].pk},
    "proposal-withdraw": lambda d: {"pk": d["submitted"].pk},
    "proposal-delete": lambda d: {"pk": d["draft"].pk},
    "proposal-attachment": lambda d: {
        "pk": d["draft"].pk,
        "document_id": d["draft"].documents.first().pk,
    },
    "proposal-attachment-delete": lambda d: {
        "pk": d["draft"].pk,
        "document_id": d["draft"].documents.first().pk,
    },
    "proposal-part": lambda d: [{"pk": d["draft"].pk, "part": p} for p in d["proposal_parts"]],
    "proposal-review": lambda d: {"pk": d["ranked"][0].pk},
    "proposal-decide": lambda d: {"pk": d["ranked"][0].pk},
    "registration-document-delete": lambda d: {
        "document_id": d["cso"].documents.first().pk,
    },
    "registration-part": lambda d: [{"part": p} for p in d["registration_parts"]],
    "cso-detail": lambda d: [{"pk": d["cso"].pk}, {"pk": d["in_review"].pk}],
    "cso-certificate": lambda d: {"pk": d["cso"].pk},
    "cso-document": lambda d: {
        "pk": d["cso"].pk,
        "document_id": d["cso"].documents.first().pk,
    },
    "review-detail": lambda d: [{"pk": d["in_review"].pk}, {"pk": d["cso"].pk}],
    # The confirmation pages of actions (portal/confirm.py).
    "tranche-release": lambda d: {"pk": d["grant"].pk, "seq": 1},
    "tranche-request": lambda d: {"pk": d["commissioning"].pk, "seq": 2},
    "agreement-action": lambda d: (
        [
            {"pk": d["contract"].pk, "action": a}
            for a in ("complete", "end_notice", "settle", "terminate")
        ]
        + [{"pk": d["commissioning"].pk, "action": "start_delivery"}]
    ),
    "proposal-decision": lambda d: [
        {"pk": d["ranked"][0].pk, "action": a} for a in ("select", "reject")
    ],
    "review-decision": lambda d: (
        [{"pk": d["in_review"].pk, "action": a} for a in ("approve", "request_changes", "reject")]
        + [{"pk": d["cso"].pk, "action": "suspend"}]
    ),
    "notice-read": lambda d: {"pk": d["notice"].pk},
    # Accounts, colleagues and the public certificate check.
    "password_reset_confirm": lambda d: {
        "uidb64": urlsafe_base64_encode(force_bytes(d["roles"]["cso_member"].pk)),
        "token": default_token_generator.make_token(d["roles"]["cso_member"]),
    },
    "invitation-revoke": lambda d: {"pk": d["invitation"].pk},
    "invitation-accept": lambda d: {"token": d["invitation_token"]},
    "lock-lift": lambda d: {"kind": "username", "value": "locked.out.person@example.org"},
    # Public meetings: one published with a person waiting, one still a draft.
    "meeting-detail": lambda d: [{"pk": d["meeting"].pk}, {"pk": d["draft_meeting"].pk}],
    "meeting-publish": lambda d: {"pk": d["draft_meeting"].pk},
    "meeting-cancel": lambda d: {"pk": d["meeting"].pk},
    "meeting-record": lambda d: {"pk": d["meeting"].pk},
    "meeting-register": lambda d: {"pk": d["meeting"].pk},
    "meeting-unregister": lambda d: {"pk": d["meeting"].pk},
    "meeting-calendar": lambda d: {"pk": d["meeting"].pk},
    "meeting-material-add": lambda d: {"pk": d["meeting"].pk},
    **{
        name: (lambda d: {"pk": d["meeting"].pk, "material_pk": d["meeting"].materials.get().pk})
        for name in ("meeting-material", "meeting-material-remove")
    },
    # Polls: the open one, and a draft to publish.
    "poll-detail": lambda d: [{"pk": d["poll"].pk}, {"pk": d["draft_poll"].pk}],
    "poll-vote": lambda d: {"pk": d["poll"].pk},
    "poll-close": lambda d: {"pk": d["poll"].pk},
    "poll-publish": lambda d: {"pk": d["draft_poll"].pk},
    # FAQs: one published, one suggested by the member.
    "faq-detail": lambda d: {"pk": d["faq"].pk},
    "faq-unpublish": lambda d: {"pk": d["faq"].pk},
    "faq-answer": lambda d: {"pk": d["suggested_faq"].pk},
    "faq-decline": lambda d: {"pk": d["suggested_faq"].pk},
    # Advisory groups: one active with a member, a meeting and a recommendation; one draft.
    **{
        name: (lambda d: {"pk": d["advisory_group"].pk})
        for name in (
            "advisory-detail",
            "advisory-member-add",
            "advisory-meeting-add",
            "advisory-recommendation-add",
            "advisory-dissolve",
        )
    },
    "advisory-activate": lambda d: {"pk": d["draft_advisory_group"].pk},
    "advisory-member-edit": lambda d: {
        "pk": d["advisory_group"].pk,
        "member_pk": d["advisory_group"].members.get().pk,
    },
    **{
        name: (
            lambda d: {
                "pk": d["advisory_group"].pk,
                "meeting_pk": d["advisory_group"].meetings.get().pk,
            }
        )
        for name in ("advisory-meeting-edit", "advisory-minutes-pdf")
    },
    "advisory-recommendation-answer": lambda d: {
        "pk": d["advisory_group"].pk,
        "recommendation_pk": d["advisory_group"].recommendations.get().pk,
    },
    # Chiang Mai's network (the officer manages it; the member applied).
    **{
        name: (lambda d: {"code": "50"})
        for name in (
            "network-detail",
            "network-apply",
            "network-propose",
            "network-order",
            "network-order-file",
        )
    },
    **{
        name: (lambda d: {"code": "50"})
        for name in ("network-group-new", "network-issues", "network-issue-raise")
    },
    "network-group": lambda d: {"code": "50", "kind": "steering"},
    "network-group-record": lambda d: {"code": "50", "kind": "steering", "what": "meeting"},
    "network-issue": lambda d: {"code": "50", "pk": d["local_issue"].pk},
    "network-issue-evidence": lambda d: {"code": "50", "pk": d["local_issue"].pk},
    "network-issue-action": lambda d: {"code": "50", "pk": d["local_issue"].pk, "what": "progress"},
    "network-member-action": lambda d: {
        "code": "50",
        "pk": d["network"].members.get(status="applied").pk,
        "action": "certify",
    },
    # The commissioned service's user management committee.
    "committee": lambda d: {"pk": d["commissioning"].pk},
    "committee-record": lambda d: {"pk": d["commissioning"].pk, "what": "recommendation"},
    "committee-answer": lambda d: {
        "pk": d["commissioning"].pk,
        "recommendation_pk": d["commissioning"].user_committee.recommendations.get().pk,
    },
    # The Open Government Action Plan (published).
    **{
        name: (lambda d: {"pk": d["ogp_plan"].pk})
        for name in ("ogp-plan", "ogp-plan-publish", "ogp-commitment-add")
    },
    "ogp-commitment": lambda d: {"pk": d["ogp_plan"].commitments.get().pk},
    "ogp-milestone-report": lambda d: {"pk": d["ogp_plan"].commitments.get().milestones.get().pk},
    # Citizens' assemblies: one taking volunteers, one drawn.
    **{
        name: (lambda d: {"pk": d["assembly"].pk})
        for name in ("assembly-detail", "assembly-volunteer", "assembly-withdraw", "assembly-draw")
    },
    **{
        name: (lambda d: {"pk": d["drawn_assembly"].pk})
        for name in (
            "assembly-draw-record",
            "assembly-session-add",
            "assembly-recommendation-add",
            "assembly-report",
        )
    },
    "assembly-recommendation-answer": lambda d: {
        "pk": d["drawn_assembly"].pk,
        "recommendation_pk": d["drawn_assembly"].recommendations.get().pk,
    },
    # Participatory budgets: one voting, one closed (its count and delivery).
    **{
        name: (lambda d: {"pk": d["budget_round"].pk})
        for name in (
            "budget-detail",
            "budget-propose",
            "budget-ballot",
            "budget-start-review",
            "budget-start-voting",
            "budget-close",
        )
    },
    "budget-results": lambda d: [{"pk": d["closed_budget_round"].pk}, {"pk": d["budget_round"].pk}],
    "budget-project-review": lambda d: {
        "pk": d["budget_round"].pk,
        "project_pk": d["budget_round"].projects.first().pk,
    },
    "budget-project-delivery": lambda d: {
        "pk": d["closed_budget_round"].pk,
        "project_pk": d["closed_budget_round"].projects.get(status="selected").pk,
    },
    # An unverified citizen's email link.
    "verify-email": lambda d: {"token": d["verify_token"]},
    # Consultations: one open with an idea (by the member) and a reply, one answered
    # (reported), one still a draft.
    **{
        name: (lambda d: {"pk": d["consultation"].pk})
        for name in (
            "consultation-detail",
            "consultation-discussion",
            "consultation-answer",
            "consultation-contribute",
            "consultation-questions",
            "consultation-panel-add",
            "consultation-close",
            "consultation-moderation",
            "consultation-meeting-input",
        )
    },
    **{
        name: (lambda d: {"pk": d["draft_consultation"].pk})
        for name in ("consultation-edit", "consultation-publish", "consultation-document-add")
    },
    **{
        name: (lambda d: {"pk": d["reported_consultation"].pk})
        for name in (
            "consultation-summary",
            "consultation-analysis",
            "consultation-report-edit",
            "consultation-report-publish",
            "consultation-report",
            "consultation-report-pdf",
            "consultation-export",
        )
    },
    "consultation-document": lambda d: {
        "pk": d["consultation"].pk,
        "document_pk": d["consultation"].documents.get().pk,
    },
    "consultation-question-remove": lambda d: {
        "pk": d["draft_consultation"].pk,
        "question_pk": d["draft_consultation"].questions.first().pk,
    },
    **{
        name: (lambda d: {"pk": d["consultation"].pk, "contribution_pk": d["idea"].pk})
        for name in (
            "contribution-react",
            "contribution-flag",
            "contribution-withdraw",
            "contribution-anonymise",
            "contribution-hide",
            "contribution-restore",
            "contribution-approve",
            "contribution-dismiss",
        )
    },
    "contribution-tag": lambda d: {
        "pk": d["reported_consultation"].pk,
        "contribution_pk": d["reported_consultation"].contributions.first().pk,
    },
    # Community oversight: a funded project's public page.
    "project-detail": lambda d: {"pk": d["grant"].pk},
    # The citizens' charter, survey, report cards and moderation.
    "charter": lambda d: {"pk": d["grant"].pk},
    "charter-edit": lambda d: {"pk": d["grant"].pk},
    "survey-settings": lambda d: {"pk": d["grant"].pk},
    "survey": lambda d: {"code": d["survey_code"]},
    "survey-thanks": lambda d: {"code": d["survey_code"]},
    "agreement-report-card": lambda d: {"pk": d["grant"].pk},
    "cso-report-card": lambda d: {"pk": d["cso"].pk},
    "agency-report-card": lambda d: {"pk": d["grant"].agency_id},
    "feedback-hide": lambda d: {"pk": d["feedback"][0].pk},
    "feedback-restore": lambda d: {"pk": d["feedback"][1].pk},
    # Citizens' grievances: the public pages by tracking id, the handlers' by id.
    "grievance-filed": lambda d: {"tracking_id": d["grievance"].tracking_id},
    "grievance-status": lambda d: [
        {"tracking_id": d["grievance"].tracking_id},
        {"tracking_id": d["answered_grievance"].tracking_id},
    ],
    "grievance-handle": lambda d: [
        {"pk": d["grievance"].pk},
        {"pk": d["answered_grievance"].pk},
    ],
    "grievance-attachment": lambda d: {
        "pk": d["grievance"].pk,
        "file_id": d["grievance"].attachments.first().pk,
    },
    "certificate-verify-number": lambda d: [
        {"number": d["cso"].certificate_number or "NCCS-2569-000001"},
        {"number": "NO-SUCH-NUMBER"},
    ],
    "notice-open": lambda d: {"pk": d["notice"].pk},
}


def build_data():
    """One of everything worth seeing, each got to its state through the real services."""
    from datetime import timedelta

    from assessments.evaluations import services as evaluation_services
    from assessments.evaluations.models import Evaluation
    from assessments.grievances import services as grievance_services
    from contracts.agreements import services as agreement_services
    from contracts.agreements.models import ProgressReport
    from contracts.calls import services as call_services
    from contracts.proposals import rules as proposal_rules
    from contracts.proposals import services as proposal_services
    from csos.registration import rules as registration_rules
    from portal.invitations import services as invitation_services
    from portal.notices.models import Notice
    from tests import factories as f

    officer = f.OfficerFactory()
    # Names as long as real ones, and an address with no place to break: the pages must
    # wrap them, not widen.
    cso = f.CSOFactory(
        status="approved",
        name_th="มูลนิธิเพื่อการพัฒนาคุณภาพชีวิตผู้สูงอายุและคนพิการในชุมชนภาคตะวันออกเฉียงเหนือ",
        contact_email="contact.northeastern.elderly.development.foundation@example.org",
    )
    member = cso.members.get()
    ranked_call, ranked, evaluators = f.ranked_call(officer, scores=(5, 4, 3))
    evaluator = evaluators[0]
    open_call = f.CallFactory(
        officer=officer,
        title="ทุนสนับสนุนการจัดบริการดูแลระยะยาวสำหรับผู้สูงอายุที่มีภาวะพึ่งพิงในชุมชนเมืองและชนบท",
    )
    draft_call = f.CallFactory(officer=officer, status="draft")
    call_services.call_assign_evaluators(
        call=open_call, user=officer, usernames=[evaluator.username]
    )
    draft = f.ProposalFactory(call=open_call, cso=cso, member=member)
    # The open call's addendum (with a document) and a question the member asked, waiting.
    call_services.call_amend(
        call=open_call, user=officer, summary="ขยายเวลารับข้อเสนอ",
        closes_at=open_call.closes_at + timedelta(days=7),
        document=f.sample_file("registration.pdf", content_type="application/pdf"),
        document_title="แนวทางการจัดทำข้อเสนอฉบับปรับปรุง",
    )  # fmt: skip
    open_call.refresh_from_db()
    saved_search = call_services.saved_search_create(
        user=member, data={"words": "ผู้สูงอายุ", "provinces": ["10"]}
    )
    call_question = call_services.question_ask(
        user=member, call=open_call, question="ค่าเดินทางของผู้ดูแลเบิกได้หรือไม่"
    )
    submitted_call = f.CallFactory(officer=officer)
    submitted = f.ProposalFactory(call=submitted_call, cso=cso, member=member, status="submitted")
    selected = f.selected_proposal(call=f.CallFactory(officer=officer))
    # A closed two-stage call: the organisation's concept note invited (its version 1 kept),
    # another organisation's still waiting for an answer.
    staged_call = f.CallFactory(officer=officer, stages=2)
    invited = f.concept_note(call=staged_call, cso=cso)
    f.concept_note(call=staged_call)
    call_services.call_close(call=staged_call, user=officer)
    invited = proposal_services.concept_invite(
        proposal=invited, officer=officer, due_at=timezone.now() + timedelta(days=14)
    )

    def awarded(instrument, **terms):
        # One organisation's agreements: each award weighs the others (duplicate funding).
        return f.award(
            call=f.CallFactory(officer=officer, instrument=instrument),
            cso=cso,
            terms={"considered_funding": True, **terms},
        )

    grant = awarded("grant")  # active, its first tranche waiting to be released
    # The agency proposes variation 1 of the grant; the organisation has yet to answer.
    agreement_services.variation_propose(
        agreement=grant, user=officer, reason="ขยายกิจกรรมไปอีกหนึ่งตำบล", scope="ขอบเขตใหม่"
    )
    # An expense of the grant, recorded during its period with a photo of the receipt.
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, tzinfo=datetime.UTC)):
        expense = agreement_services.expense_record(
            agreement=grant, user=member, budget_line=grant.proposal.budget_lines.first().pk,
            spent_on=datetime.date(2027, 3, 1), amount="1200.00", payee="ร้านเวชภัณฑ์ชุมชน",
            description="ผ้าก๊อซและแอลกอฮอล์",
            receipt=f.sample_file("photo.jpg", content_type="image/jpeg"),
        )  # fmt: skip
    contract = awarded("performance_contract")
    # Its second tranche is paid when the organisation asks, with an accepted report.
    commissioning = awarded(
        "commissioning",
        shares=["50", "50"],
        paid_on_request=True,
        milestones=["ศูนย์เปิดให้บริการ"],
    )
    first = contract.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=officer)
    later = timezone.localdate() + timedelta(days=3700)
    # A photo attached to the contract's first report before it was sent.
    evidence = agreement_services.report_evidence_add(
        report=contract.reports.get(seq=1), user=member, caption="วันเปิดศูนย์",
        upload=f.sample_file("photo.jpg", content_type="image/jpeg"),
    )  # fmt: skip
    f.send_reports(contract, due_before=later)
    reports = list(ProgressReport.objects.filter(agreement=contract).order_by("seq")[:2])
    evaluations = list(Evaluation.objects.filter(agreement=contract))
    for evaluation in evaluations:
        evaluation_services.evaluation_plan(
            evaluation=evaluation, officer=officer, evaluators=[evaluator.username]
        )
    # A charter agreed by both sides, and two answers to the survey, one comment hidden.
    from assessments.feedback import services as feedback_services

    feedback_services.charter_save(
        agreement=grant,
        user=officer,
        service="เยี่ยมบ้านผู้สูงอายุติดเตียงสัปดาห์ละครั้งโดยผู้ดูแลที่ผ่านการอบรมแล้ว",
        who_may_use="ผู้สูงอายุติดบ้านติดเตียง",
        where_when="ที่บ้านของผู้รับบริการ",
        time_standard="ภายใน 3 วัน",
        quality_standard="ผู้ดูแลผ่านการอบรม 70 ชั่วโมง",
        remedy="เยี่ยมชดเชยภายใน 2 วัน",
    )
    feedback_services.charter_agree(agreement=grant, user=officer)
    feedback_services.charter_agree(agreement=grant, user=member)
    survey_code = feedback_services.survey_ensure(agreement=grant).code
    feedback = [
        feedback_services.feedback_submit(
            agreement=grant,
            ratings={"overall": 4 + n, "courtesy": 5},
            comment="ผู้ดูแลสุภาพมากและมาตรงเวลาทุกครั้งไม่เคยขาดเลยตลอดสามเดือนที่ผ่านมา",
            address=f"192.0.2.{n}",
        )
        for n in range(2)
    ]
    feedback_services.feedback_hide(response=feedback[1], user=member, reason="ระบุชื่อบุคคล")
    in_review = f.CSOFactory(status="submitted")
    # A member still registering: the committee asked for changes, so every part's form is
    # open to them (an approved organisation's parts are not).
    returned = f.CSOFactory(status="changes_requested")
    notice = Notice.objects.filter(recipient=member).first()
    invitation, invitation_token = invitation_services.invitation_create(
        inviter=member,
        email="colleague.with.a.long.address@example.org",
        role="member",
        cso_id=cso.pk,
    )
    staff_admin = f.StaffAdminFactory()
    grievance_kwargs = {
        "kind": "complaint",
        "title": "ผู้ดูแลไม่มาเยี่ยมบ้านตามนัดหมายที่ตกลงกันไว้กับครอบครัวผู้สูงอายุ",
        "body": "รอทั้งวันแต่ไม่มีใครมา",
        "occurred_on": timezone.localdate(),
        "province": "10",
        "agreement": grant.pk,
        "name": "สมชาย รักดี",
        "contact": "somchai@example.org",
    }
    grievance, _code = grievance_services.grievance_file(
        **grievance_kwargs,
        attachments=[f.sample_file("photo.jpg", content_type="image/jpeg")],
    )
    answered_grievance, _code = grievance_services.grievance_file(**grievance_kwargs)
    answered_grievance = grievance_services.grievance_route(
        grievance=answered_grievance, verifier=staff_admin
    )
    answered_grievance = grievance_services.grievance_respond(
        grievance=answered_grievance, officer=officer, response="ส่งผู้ดูแลไปเยี่ยมแล้ว"
    )
    # A public meeting of the officer's agency, full, with someone waiting; and a draft.
    from agencies.meetings import services as meeting_services

    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    meeting_fields = {
        "kind": "town_hall",
        "title": "เวทีประชาคมเรื่องบริการดูแลผู้สูงอายุติดเตียงในชุมชน",
        "description": "รับฟังความคิดเห็นของผู้ดูแลและครอบครัว",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=3),
        "place": "ห้องประชุมศาลากลางจังหวัด ชั้น 2",
        "online_url": "https://meet.example.go.th/town-hall",
        "capacity": 1,
        "mission": None,
    }
    meeting = meeting_services.meeting_create(officer=officer, **meeting_fields)
    meeting = meeting_services.meeting_publish(meeting=meeting, officer=officer)
    meeting_services.register(meeting=meeting, person=member, needs=["wheelchair"])
    meeting_services.register(meeting=meeting, person=evaluator)
    meeting_services.material_add(
        officer=officer,
        meeting=meeting,
        title="วาระการประชุม",
        upload=f.sample_file("registration.pdf", content_type="application/pdf"),
    )
    draft_meeting = meeting_services.meeting_create(
        officer=officer, **{**meeting_fields, "title": "ประชุมรับฟังความเห็นเรื่องรถรับส่งผู้ป่วย"}
    )
    # An open poll of the officer's agency (agencies/polls), no votes yet.
    from agencies.polls import services as poll_services

    poll = poll_services.publish_poll(
        poll_services.create_poll(
            actor=officer,
            agency=officer.agency,
            data={
                "question": "ท่านต้องการให้ศูนย์บริการใดเปิดวันเสาร์",
                "options": ["ศูนย์สุขภาพชุมชน", "ห้องสมุดประชาชน"],
                "opens_at": timezone.now() - timedelta(hours=1),
                "closes_at": timezone.now() + timedelta(days=14),
            },
        ),
        actor=officer,
    )
    # Consultations (agencies/consultations): one open with a PDF, an idea by the member and
    # a reply; one closed and answered with a response report; one still a draft.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agencies.consultations import services as consultation_services
    from tests.factories import FILES, open_consultation

    consultation = open_consultation(officer, publish=False)
    consultation_services.document_add(
        actor=officer,
        consultation=consultation,
        title="ร่างแผนการเดินรถ",
        summary="เส้นทางและรอบรถที่เสนอ",
        upload=SimpleUploadedFile(
            "plan.pdf",
            (FILES / "registration.pdf").read_bytes(),
            content_type="application/pdf",
        ),
    )
    consultation = consultation_services.consultation_publish(
        actor=officer, consultation=consultation
    )
    idea = consultation_services.contribution_add(
        consultation=consultation,
        author=member,
        data={"kind": "idea", "text": "เพิ่มรถรอบเช้าเวลา 06:00 น.", "show_name": True},
    )
    consultation_services.contribution_add(
        consultation=consultation,
        author=officer,
        data={"kind": "question", "text": "ควรเริ่มที่เส้นทางใดก่อน", "parent": idea},
    )
    reported_consultation = open_consultation(officer, title="รับฟังความเห็นเรื่องตลาดชุมชน")
    heard = consultation_services.contribution_add(
        consultation=reported_consultation,
        author=member,
        data={"kind": "idea", "text": "ขอที่จอดรถเพิ่ม"},
    )
    consultation_services.consultation_close(actor=officer, consultation=reported_consultation)
    theme = consultation_services.theme_add(
        actor=officer, consultation=reported_consultation, name="ที่จอดรถ"
    )
    consultation_services.contribution_tag(actor=officer, contribution=heard, theme_ids=[theme.pk])
    consultation_services.report_save(
        actor=officer,
        consultation=reported_consultation,
        introduction="ขอบคุณทุกความเห็น",
        decisions=[
            {
                "theme": theme.pk,
                "heard": "ต้องการที่จอดรถ",
                "outcome": "will_do",
                "action": "เปิดลานจอดรถเพิ่มในเดือนหน้า",
                "contributions": [heard.pk],
            }
        ],
    )
    consultation_services.consultation_report(actor=officer, consultation=reported_consultation)
    draft_consultation = open_consultation(officer, publish=False, title="ร่างการรับฟัง")
    draft_poll = poll_services.create_poll(
        actor=officer,
        agency=officer.agency,
        data={
            "question": "ท่านต้องการให้เพิ่มรอบรถโดยสารช่วงใด",
            "options": ["เช้า", "เย็น"],
            "opens_at": timezone.now() + timedelta(days=1),
            "closes_at": timezone.now() + timedelta(days=14),
        },
    )
    from portal.verification.tokens import make_token
    from tests.factories import citizen

    verify_token = make_token(citizen(verified=False))
    from agencies.faqs import services as faq_services

    faq = faq_services.faq_write(
        officer=officer,
        agency=officer.agency,
        question="ศูนย์บริการเปิดวันเสาร์หรือไม่",
        answer="เปิดวันเสาร์ เวลา 08:30–12:00 น.",
    )
    from agencies.advisory import services as advisory_services

    advisory_group = advisory_services.group_create(
        officer=officer,
        data={
            "kind": "advisory_group",
            "name": "คณะที่ปรึกษาด้านคุณภาพอากาศ",
            "purpose": "ให้คำแนะนำเรื่องแผนลดฝุ่น PM2.5",
        },
    )
    advisory_services.member_add(
        officer=officer,
        group=advisory_group,
        data={
            "name": "รศ.ดร.อนงค์ ใจงาม",
            "member_type": "expert",
            "organisation": "มหาวิทยาลัยเชียงใหม่",
            "role": "chair",
            "term_start": timezone.localdate() - timedelta(days=30),
            "term_end": timezone.localdate() + timedelta(days=700),
        },
    )
    advisory_meeting = advisory_services.meeting_add(
        officer=officer,
        group=advisory_group,
        data={"held_on": timezone.localdate(), "agenda": "ฤดูการเผา", "published": True},
    )
    advisory_services.recommendation_add(
        officer=officer,
        group=advisory_group,
        data={"text": "ห้ามเผาในที่โล่งเดือนมีนาคม", "meeting": advisory_meeting},
    )
    advisory_group = advisory_services.group_activate(officer=officer, group=advisory_group)
    draft_advisory_group = advisory_services.group_create(
        officer=officer,
        data={"kind": "task_force", "name": "คณะทำงานรับมือน้ำท่วม", "purpose": "ประสานงาน"},
    )
    suggested_faq = faq_services.faq_suggest(
        person=member, agency=officer.agency, question="จอดรถได้ที่ใด"
    )
    # A username locked after failed sign-ins, for the staff's lock pages.
    AccessAttempt.objects.create(
        username="locked.out.person@example.org",
        ip_address="192.0.2.15",
        user_agent="",
        failures_since_start=5,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    # Participatory budgets of the officer's agency: one voting (two projects on the ballot,
    # one refused, the member's ballot cast), one closed with its count published.
    from agencies.budgets import services as budget_services

    def _budget(projects, **over):
        made = f.budget_round(officer, projects=projects, **over)
        budget_services.round_start_review(officer=officer, budget_round=made)
        for n, project in enumerate(made.projects.order_by("pk")):
            budget_services.project_review(
                officer=officer, project=project, feasible=n < 2, reason="นอกเขตจังหวัด"
            )
        return budget_services.round_start_voting(officer=officer, budget_round=made)

    budget_round = _budget(
        [("ไฟส่องสว่างถนน", "2000000"), ("ลานกีฬาชุมชน", "1000000"), ("สะพานข้ามแม่น้ำ", "4900000")]
    )
    budget_services.ballot_cast(
        voter=member,
        budget_round=budget_round,
        project_ids=list(
            budget_round.projects.filter(status="feasible").values_list("pk", flat=True)
        ),
    )
    closed_budget_round = _budget(
        [("ศูนย์เด็กเล็ก", "2500000"), ("รถรับส่งผู้สูงอายุ", "1500000")],
        title="งบประมาณแบบมีส่วนร่วม เชียงใหม่ 2569",
    )
    budget_services.ballot_cast(
        voter=member,
        budget_round=closed_budget_round,
        project_ids=[closed_budget_round.projects.order_by("pk").first().pk],
    )
    closed_budget_round = budget_services.round_close(
        officer=officer, budget_round=closed_budget_round
    )
    # Citizens' assemblies of the officer's agency: one taking volunteers (the member among
    # them), one drawn with a session and a recommendation to answer.
    from agencies.assemblies import services as assembly_services

    def _assembly(title):
        return assembly_services.assembly_create(
            officer=officer,
            data={
                "title": title,
                "purpose": "ควรใช้งบลดฝุ่นอย่างไร",
                "seats": 2,
                "reserves": 1,
                "quotas": {"gender": {"หญิง": 1, "ชาย": 1}},
            },
        )

    assembly = _assembly("สมัชชาพลเมืองเรื่องฝุ่น PM2.5")
    assembly_services.volunteer(person=member, assembly=assembly, traits={"gender": "หญิง"})
    drawn_assembly = _assembly("สมัชชาพลเมืองเรื่องขยะ")
    for person, gender in ((member, "หญิง"), (f.citizen(), "ชาย"), (f.citizen(), "ชาย")):
        assembly_services.volunteer(
            person=person, assembly=drawn_assembly, traits={"gender": gender}
        )
    drawn_assembly = assembly_services.draw(officer=officer, assembly=drawn_assembly, seed="1")
    assembly_services.recommendation_add(
        officer=officer, assembly=drawn_assembly, data={"text": "แยกขยะที่ต้นทาง"}
    )
    # The Open Government Action Plan, published, with a commitment of the officer's agency.
    from agencies.ogp import services as ogp_services

    ogp_plan = ogp_services.plan_create(
        actor=staff_admin,
        data={"number": 3, "title": "แผนปฏิบัติการรัฐบาลเปิด", "starts_year": 2027, "ends_year": 2029},
    )
    ogp_services.commitment_add(
        actor=staff_admin,
        plan=ogp_plan,
        data={
            "title": "เปิดเผยข้อมูลสัญญา",
            "description": "เผยแพร่ทุกสัญญาตามมาตรฐาน OCDS",
            "agency": officer.agency,
            "values": ["transparency"],
            "milestones": [{"title": "รับมาตรฐานข้อมูล", "due_on": timezone.localdate()}],
        },
    )
    ogp_plan = ogp_services.plan_publish(actor=staff_admin, plan=ogp_plan)
    # Chiang Mai's public-affairs network, run by the officer, with the member's application.
    from csos.networks import services as network_services
    from portal.models import Province

    network = network_services.network_create(
        actor=staff_admin, province=Province.objects.get(code="50"), manager=officer
    )
    network_services.member_apply(
        person=member,
        network=network,
        data={"kind": "person", "name": "สมาชิกตัวอย่าง", "sector": "civil_society", "resources": []},
    )
    network = network_services.order_record(
        manager=officer, network=network, number="ชม 1/2570", date=timezone.localdate(),
        upload=f.sample_file("registration.pdf", content_type="application/pdf"),
    )  # fmt: skip
    # Its steering committee, and a local issue with a draft action contract between the
    # manager's own membership and a sub-district office.
    from csos.actioncontracts import services as contract_services
    from csos.localissues import services as issue_services

    network_services.group_set_up(manager=officer, network=network, kind="steering")
    issue = issue_services.issue_raise(
        person=officer, network=network,
        data={"title": "ฝุ่นควันจากการเผาในที่โล่ง", "description": "ค่าฝุ่นเกินมาตรฐานทุกมีนาคม",
              "places": "อ.แม่แจ่ม"},
        upload=f.sample_file("photo.jpg", content_type="image/jpeg"),
    )  # fmt: skip
    issue_services.issue_plan(
        manager=officer, issue=issue,
        data={"goals": "ลดการเผาลงครึ่งหนึ่ง", "results": "วันที่อากาศไม่ดีน้อยกว่า 5 วัน",
              "approach": "รับซื้อเศษวัสดุการเกษตร"},
    )  # fmt: skip
    action_contract = contract_services.contract_draw_up(
        manager=officer, issue=issue, title="ข้อตกลงอากาศสะอาดแม่แจ่ม"
    )
    for party in ({"member": network.members.get(account=officer)}, {"name": "อบต.แม่แจ่ม"}):
        contract_services.party_add(
            manager=officer, contract=action_contract,
            data={**party, "commitments": "ตามแผน", "due_date": timezone.localdate()},
        )  # fmt: skip
    # The commissioned service's user management committee, with a recommendation.
    from assessments.committees import services as committee_services

    committee_services.committee_set_up(
        officer=officer, agreement=commissioning, purpose="ดูแลคุณภาพบริการดูแลผู้สูงอายุที่บ้าน"
    )
    committee_services.recommendation_add(
        officer=officer, agreement=commissioning, data={"text": "เพิ่มการเยี่ยมบ้านวันหยุด"}
    )
    return {
        "network": network,
        "local_issue": issue,
        "action_contract": action_contract,
        "ogp_plan": ogp_plan,
        "assembly": assembly,
        "drawn_assembly": drawn_assembly,
        "budget_round": budget_round,
        "closed_budget_round": closed_budget_round,
        "grievance": grievance,
        "answered_grievance": answered_grievance,
        "poll": poll,
        "draft_poll": draft_poll,
        "verify_token": verify_token,
        "faq": faq,
        "suggested_faq": suggested_faq,
        "advisory_group": advisory_group,
        "draft_advisory_group": draft_advisory_group,
        "roles": {
            "anonymous": None,
            "cso_member": member,
            "cso_member_registering": returned.members.get(),
            "agency_officer": officer,
            "committee_reviewer": f.ReviewerFactory(),
            "evaluator": evaluator,
            "staff_admin": staff_admin,
        },
        "cso": cso,
        "in_review": in_review,
        "returned": returned,
        "open_call": open_call,
        "call_question": call_question,
        "saved_search": saved_search,
        "draft_call": draft_call,
        "ranked_call": ranked_call,
        "staged_call": staged_call,
        "invited": invited,
        "ranked": ranked,
        "draft": draft,
        "submitted": submitted,
        "selected": selected,
        "grant": grant,
        "contract": contract,
        "commissioning": commissioning,
        "agreements": [grant, contract, commissioning],
        "reports": reports,
        "expense": expense,
        "evidence": evidence,
        "evaluations": evaluations,
        "notice": notice,
        "invitation": invitation,
        "invitation_token": invitation_token,
        "survey_code": survey_code,
        "meeting": meeting,
        "draft_meeting": draft_meeting,
        "consultation": consultation,
        "idea": idea,
        "reported_consultation": reported_consultation,
        "draft_consultation": draft_consultation,
        "feedback": feedback,
        "proposal_parts": proposal_rules.PARTS,
        "registration_parts": registration_rules.PARTS,
    }
