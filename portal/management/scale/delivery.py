"""What the proposals and agreements of the national data set go through: each proposal's
budget lines, the calls' evaluation panels and their reviews, and under each signed agreement
its progress reports, expenses, variations and evaluations.

Every row is dated in the past and agrees with the rest: reviews fall between a proposal's
sending and its decision; money is spent only after the last payment the organisation
received, never more than it was paid (all of it for a settled agreement, as its settlement
says); each report states what the expenses recorded by then add up to. Payment requests are
left out: no tranche core writes is paid on request. The assessments models are reached
through their relations, as the portal's own services do, so this stays within the import
contracts."""

import datetime
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from itertools import islice

from django.db import transaction
from django.utils import timezone

from contracts.agreements import deadlines, money
from contracts.agreements.models import (
    Agreement,
    EvaluationKind,
    Expense,
    ProgressReport,
    Tranche,
    Variation,
)
from contracts.calls.models import CRITERIA, CallEvaluator
from contracts.instruments import rules_for
from contracts.proposals.models import BudgetLine, Proposal
from portal.management.bench_data import BATCH, CENT, _dates_as_given, _pick, stamps_as_given

Review = Proposal.reviews.rel.related_model  # assessments.Review
Evaluation = Agreement.evaluations.rel.related_model  # assessments.Evaluation

AS, PS, RS = Agreement.Status, Proposal.Status, ProgressReport.Status
DAY = datetime.timedelta(days=1)
SLICE = 10 * BATCH  # unsaved rows held at once
AGREEMENTS_PER_PASS = 2000

BUDGET_ITEMS = [  # item, the most units a line buys
    ("ค่าตอบแทนวิทยากร", 40),
    ("ค่าอาหารและอาหารว่างผู้เข้าร่วมกิจกรรม", 400),
    ("ค่าวัสดุอุปกรณ์กิจกรรม", 100),
    ("ค่าเดินทางลงพื้นที่", 60),
    ("ค่าจ้างเจ้าหน้าที่โครงการ", 24),
    ("ค่าจัดทำสื่อและเอกสารเผยแพร่", 2000),
    ("ค่าเช่าสถานที่จัดกิจกรรม", 30),
]
OVERHEAD = "ค่าบริหารจัดการโครงการ"  # the last line, one unit: what the others leave

# How good the evaluators find a proposal (the mean of its scores, 0–5), by its status.
QUALITY = {
    PS.SELECTED: (3.3, 4.7),
    PS.NOT_SELECTED: (1.5, 3.6),
    PS.SHORTLISTED: (3.0, 4.5),
    PS.PRESENTED: (3.0, 4.5),
}
RECUSED_SHARE = 0.02
RECUSAL = "เคยเป็นที่ปรึกษาขององค์กรนี้ในช่วงสองปีที่ผ่านมา"
REVIEW_COMMENT = "ข้อเสนอมีความชัดเจน กลุ่มเป้าหมายและพื้นที่ดำเนินงานสอดคล้องกับประกาศ"
CRITERION_COMMENT = "ควรระบุแผนการประสานงานกับภาคีในพื้นที่ให้ชัดเจนขึ้น"

SPENT_SHARE = {  # what part of the money paid the organisation has spent, by agreement status
    AS.ACTIVE: (0.3, 0.95),
    AS.TERMINATED: (0.2, 0.8),
    AS.COMPLETED: (0.85, 1.0),
    AS.SETTLED: (1.0, 1.0),  # the settlement: spent what was paid, no refund
}
EXPENSE_CHECKS = {  # settling needs every expense checked
    AS.ACTIVE: [
        (Expense.Check.PENDING, 40),
        (Expense.Check.ACCEPTED, 50),
        (Expense.Check.QUERIED, 10),
    ],
    AS.TERMINATED: [(Expense.Check.ACCEPTED, 70), (Expense.Check.PENDING, 30)],
    AS.COMPLETED: [
        (Expense.Check.ACCEPTED, 85),
        (Expense.Check.PENDING, 10),
        (Expense.Check.QUERIED, 5),
    ],
    AS.SETTLED: [(Expense.Check.ACCEPTED, 1)],
}
REJECTED_SHARE = 0.1  # agreements with one expense rejected besides (it counts as not spent)
CHECK_NOTES = {
    Expense.Check.QUERIED: "ใบเสร็จไม่ชัดเจน กรุณาแนบใบเสร็จที่อ่านได้และระบุรายการให้ครบ",
    Expense.Check.REJECTED: "รายจ่ายนี้ไม่อยู่ในขอบเขตของงบประมาณที่ตกลงไว้",
}
PAYEES = [
    "ร้านวัสดุภัณฑ์ชุมชน",
    "บริษัท ขนส่งท้องถิ่น จำกัด",
    "ร้านอาหารครัวบ้านสวน",
    "โรงพิมพ์ประจำจังหวัด",
    "นางสาวสมใจ ใจดี",
    "ห้างหุ้นส่วนจำกัด อุปกรณ์การศึกษา",
]

# How a report due by the last day of delivery stands; later ones are still due.
WHILE_RUNNING = [(RS.ACCEPTED, 70), (RS.SUBMITTED, 12), (RS.RETURNED, 6), (RS.DUE, 12)]
REPORT_STATUSES = {
    AS.ACTIVE: WHILE_RUNNING,
    AS.TERMINATED: WHILE_RUNNING,
    AS.COMPLETED: [(RS.ACCEPTED, 85), (RS.SUBMITTED, 15)],  # none missing at completion
    AS.SETTLED: [(RS.ACCEPTED, 1)],  # settling needs every report due accepted
}
NARRATIVE = "ดำเนินกิจกรรมตามแผนในพื้นที่เป้าหมาย จัดอบรมและติดตามผลกับผู้รับบริการอย่างต่อเนื่อง"
RETURN_COMMENT = "กรุณาระบุผลตามตัวชี้วัดให้ครบทุกข้อและแนบภาพกิจกรรมประกอบ"
ACCEPT_COMMENT = "รับทราบความก้าวหน้า ดำเนินการตามแผนต่อไป"

EVALUATED_SHARE = 0.85  # evaluations past their due date that are recorded
EXTERNAL_SHARE = 0.3
COMMITTEE = [
    {"name": "นายประเมิน ร่วมพัฒนา", "organisation": "หน่วยงานเจ้าของโครงการ", "type": "agency"},
    {"name": "นางสาวเสียงชุมชน มีส่วนร่วม", "organisation": "เครือข่ายภาคประชาสังคมจังหวัด", "type": "cso"},
    {"name": "ผศ. ดร.วิชาการ ประเมินผล", "organisation": "มหาวิทยาลัยในภูมิภาค", "type": "professional"},
]
FINDINGS = "โครงการบรรลุผลตามเป้าหมายส่วนใหญ่ การบริหารงบประมาณเป็นไปตามแผน ควรขยายผลสู่พื้นที่ใกล้เคียง"
USERS_VIEWS = "ผู้รับบริการพึงพอใจต่อการให้บริการ และต้องการให้ดำเนินกิจกรรมต่อเนื่อง"

VARIED_SHARE = 0.05
VARIATION_OUTCOMES = {  # proposed only while the agreement still runs
    AS.ACTIVE: [
        (Variation.Status.AGREED, 50),
        (Variation.Status.PROPOSED, 35),
        (Variation.Status.DECLINED, 15),
    ],
    "other": [(Variation.Status.AGREED, 75), (Variation.Status.DECLINED, 25)],
}
VARIATION_REASON = "กิจกรรมล่าช้าจากสถานการณ์น้ำท่วมในพื้นที่ ขอขยายระยะเวลาดำเนินงาน"
DECLINE_REASON = "ระยะเวลาที่ขอขยายเกินกรอบปีงบประมาณของหน่วยงาน"


def build_delivery(ctx) -> dict[str, int]:
    """Budget lines for every sent proposal, the calls' panels and their reviews, then the
    reports, expenses, variations and evaluations of the signed agreements. Returns
    {label: rows written}."""
    stamps = [CallEvaluator._meta.get_field("assigned_at"), Expense._meta.get_field("uploaded_at")]
    with (
        transaction.atomic(),
        _dates_as_given(Review, Evaluation),
        stamps_as_given(*stamps),
    ):
        counts = {"budget lines": _write(BudgetLine, _budget_lines(ctx))}
        ctx.log(f"{counts['budget lines']:,} budget lines")
        panels = _panels(ctx)
        counts["evaluator assignments"] = _write(CallEvaluator, _assignments(ctx, panels))
        counts["reviews"] = _write(Review, _reviews(ctx, panels))
        ctx.log(f"{counts['reviews']:,} reviews")
        counts.update(_deliver(ctx))
    return counts


def _write(model, rows) -> int:
    """Write the unsaved instances ``rows`` yields, a slice at a time (bulk_create would hold
    them all at once)."""
    rows, written = iter(rows), 0
    while part := list(islice(rows, SLICE)):
        model.objects.bulk_create(part, batch_size=BATCH)
        written += len(part)
    return written


def _at(ctx, day: datetime.date) -> datetime.datetime:
    """A moment in office hours on ``day``, never later than now."""
    hour = datetime.time(ctx.rng.randint(8, 16), ctx.rng.randint(0, 59))
    zone = timezone.get_current_timezone()
    return min(datetime.datetime.combine(day, hour, tzinfo=zone), ctx.now)


def _day_between(ctx, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day from ``first`` to ``last`` (``first`` when they cross)."""
    return first + ctx.rng.randint(0, max(0, (last - first).days)) * DAY


def _moment_between(ctx, first: datetime.datetime, last: datetime.datetime):
    """A moment from ``first`` to ``last`` (``first`` when they cross)."""
    return first + max(last - first, datetime.timedelta(0)) * ctx.rng.random()


# --- proposals ----------------------------------------------------------------------------


def _budget_lines(ctx):
    """A few priced lines per proposal, costed by the call's method: each amount is unit
    cost × quantity exactly, and the last line (the project's management, one unit) takes
    what the others leave, so the lines add up to the requested amount to the satang."""
    rng = ctx.rng
    methods = {c.pk: c.costing_method for c in ctx.calls}
    for proposal in ctx.proposals:
        method = methods[proposal.call_id]
        items = rng.sample(BUDGET_ITEMS, rng.randint(2, 4))
        weights = [rng.uniform(1, 3) for _item in items] + [rng.uniform(0.5, 1)]
        parts = money.spread(proposal.requested_amount, weights)  # the last: management's
        rest = proposal.requested_amount
        for position, ((description, most), part) in enumerate(
            zip(items, parts[:-1], strict=True), start=1
        ):
            quantity = rng.randint(1, most)
            unit_cost = (part / quantity).quantize(CENT, ROUND_DOWN)
            rest -= unit_cost * quantity
            yield BudgetLine(
                proposal=proposal,
                position=position,
                description=description,
                costing_method=method,
                unit_cost=unit_cost,
                quantity=Decimal(quantity),
                amount=unit_cost * quantity,
            )
        yield BudgetLine(
            proposal=proposal,
            position=len(items) + 1,
            description=OVERHEAD,
            costing_method=method,
            unit_cost=rest,
            quantity=Decimal(1),
            amount=rest,
        )


def _panels(ctx) -> dict:
    """Three or four evaluators on the panel of each call that has proposals."""
    with_proposals = {p.call_id for p in ctx.proposals}
    return {
        c.pk: ctx.rng.sample(ctx.reviewers, min(len(ctx.reviewers), ctx.rng.randint(3, 4)))
        for c in ctx.calls
        if c.pk in with_proposals
    }


def _assignments(ctx, panels):
    """The panels, assigned by the agency's officer as the call opened."""
    calls = {c.pk: c for c in ctx.calls}
    for call_id, panel in panels.items():
        call = calls[call_id]
        for evaluator in panel:
            yield CallEvaluator(
                call=call,
                evaluator=evaluator,
                assigned_by=ctx.officers[call.agency_id],
                assigned_at=call.opens_at,
            )


def _reviews(ctx, panels):
    """Two or three of the panel review each proposal, between its sending and the decision
    (or now): decided and shortlisted proposals have submitted reviews, scored higher for
    those selected; proposals still waiting have drafts and some submitted ones; a
    proposal whose organisation is answering questions has drafts only. A few evaluators
    recuse themselves."""
    rng = ctx.rng
    calls = {c.pk: c for c in ctx.calls}
    for proposal in ctx.proposals:
        call = calls[proposal.call_id]
        closed = call.closes_at <= ctx.now
        if proposal.status == PS.INFO_REQUESTED:
            submitted_share = 0.0
        elif proposal.status == PS.SUBMITTED:
            submitted_share = 0.6 if closed else 0.0
        else:
            submitted_share = 1.0
        how_many = rng.randint(2, 3) if closed else rng.randint(0, 2)
        quality = rng.uniform(*QUALITY.get(proposal.status, (1.5, 4.5)))
        first = max(proposal.submitted_at, call.closes_at) if closed else proposal.submitted_at
        last = proposal.decided_at or ctx.now
        panel = panels[call.pk]
        for evaluator in rng.sample(panel, min(how_many, len(panel))):
            created = _moment_between(ctx, first, first + (last - first) / 2)
            review = Review(proposal=proposal, evaluator=evaluator, created_at=created)
            if rng.random() < RECUSED_SHARE:
                review.status, review.comment = Review.Status.RECUSED, RECUSAL
                yield review
                continue
            submitted = rng.random() < submitted_share
            review.no_conflict_of_interest = True
            for criterion in CRITERIA:
                score = min(Review.MAX_SCORE, max(0, round(rng.gauss(quality, 0.7))))
                blank = not submitted and rng.random() < 0.4
                setattr(review, f"score_{criterion}", None if blank else score)
            if submitted:
                review.status = Review.Status.SUBMITTED
                review.submitted_at = _moment_between(ctx, created, last)
                review.comment = REVIEW_COMMENT
                review.comments = {rng.choice(CRITERIA): CRITERION_COMMENT}
            yield review


# --- agreements ---------------------------------------------------------------------------


def _deliver(ctx) -> dict[str, int]:
    """The signed agreements' reports, expenses, variations and evaluations, a pass of
    agreements at a time (with their paid tranches and budget lines read per pass)."""
    signed = [a for a in ctx.agreements if a.status in SPENT_SHARE and a.signed_at]
    named = Evaluation.evaluators.through
    counts = defaultdict(int)
    for start in range(0, len(signed), AGREEMENTS_PER_PASS):
        part = signed[start : start + AGREEMENTS_PER_PASS]
        paid, lines = defaultdict(list), defaultdict(list)
        for row in (
            Tranche.objects.filter(agreement__in=part, status=Tranche.Status.PAID)
            .order_by("agreement_id", "seq")
            .values_list("agreement_id", "amount", "paid_on", named=True)
        ):
            paid[row.agreement_id].append(row)
        for row in (
            BudgetLine.objects.filter(proposal_id__in=[a.proposal_id for a in part])
            .order_by("proposal_id", "position")
            .values_list("proposal_id", "id", "description", "amount", named=True)
        ):
            lines[row.proposal_id].append(row)
        rows = defaultdict(list)
        for agreement in part:
            _agreement_rows(ctx, agreement, paid[agreement.pk], lines[agreement.proposal_id], rows)
        for label, model in (
            ("progress reports", ProgressReport),
            ("expenses", Expense),
            ("variations", Variation),
        ):
            counts[label] += len(model.objects.bulk_create(rows[model], batch_size=BATCH))
        evaluations = Evaluation.objects.bulk_create(
            [e for e, _who in rows[Evaluation]], batch_size=BATCH
        )
        evaluators = named.objects.bulk_create(
            (named(evaluation_id=e.pk, user_id=u.pk) for e, who in rows[Evaluation] for u in who),
            batch_size=BATCH,
        )
        counts["evaluations"] += len(evaluations)
        counts["evaluators named"] += len(evaluators)
        ctx.log(f"{start + len(part):,} of {len(signed):,} signed agreements delivered")
    return dict(counts)


def _agreement_rows(ctx, agreement, paid, lines, rows) -> None:
    """Add one agreement's rows to ``rows`` (by model)."""
    until = _delivered_until(ctx, agreement, paid)
    expenses = list(_expenses(ctx, agreement, paid, lines, until))
    rows[Expense] += expenses
    rows[ProgressReport] += _reports(ctx, agreement, expenses, lines, until)
    rows[Evaluation] += _evaluations(ctx, agreement, until)
    if ctx.rng.random() < VARIED_SHARE and (variation := _variation(ctx, agreement)):
        rows[Variation].append(variation)


def _spending_from(agreement, paid) -> datetime.date:
    """The first day money is spent: once the agreement has started and the last payment
    received has arrived, so the organisation never spends more than it was paid."""
    return max([agreement.start_date] + [t.paid_on for t in paid])


def _delivered_until(ctx, agreement, paid) -> datetime.date:
    """The last day of delivery so far: today, or the end if it has passed; for a terminated
    agreement a day between the money's arrival and then (core records no termination
    date)."""
    last = min(agreement.end_date, ctx.today)
    if agreement.status == AS.TERMINATED:
        return _day_between(ctx, min(_spending_from(agreement, paid), last), last)
    return last


def _expenses(ctx, agreement, paid, lines, until):
    """What the organisation spent between the last payment and ``until``: a share of what it
    was paid (all of it once settled), over the budget lines in proportion to their amounts,
    one to three receipts a line. Sometimes one more expense, rejected by the officer, which
    counts as not spent."""
    rng = ctx.rng
    first = _spending_from(agreement, paid)
    if not paid or first > until:
        return
    received = sum((t.amount for t in paid), Decimal("0.00"))
    share = Decimal(rng.uniform(*SPENT_SHARE[agreement.status]))
    spent = (received * share).quantize(CENT, ROUND_DOWN)
    checks = EXPENSE_CHECKS[agreement.status]
    member = ctx.members.get(agreement.cso_id)
    receipts = []
    for line, on_line in zip(
        lines, money.spread(spent, [line.amount for line in lines]), strict=True
    ):
        if on_line <= 0:
            continue
        pieces = 1 if on_line < 100 else rng.randint(1, 3)
        for amount in money.spread(on_line, [rng.uniform(1, 3) for _piece in range(pieces)]):
            receipts.append((line, amount, _pick(rng, checks)))
    if rng.random() < REJECTED_SHARE:
        amount = Decimal(rng.randint(50_000, 2_000_000)) / 100
        receipts.append((rng.choice(lines), amount, Expense.Check.REJECTED))
    for n, (line, amount, check) in enumerate(receipts, start=1):
        spent_on = _day_between(ctx, first, until)
        yield Expense(
            agreement=agreement,
            budget_line_id=line.id,
            spent_on=spent_on,
            amount=amount,
            payee=rng.choice(PAYEES),
            description=line.description,
            file=f"receipts/{spent_on:%Y/%m}/bench-{agreement.pk}-{n}.pdf",
            content_type="application/pdf",
            size=rng.randint(40_000, 900_000),
            original_name=f"receipt-{n}.pdf",
            uploaded_by=member,
            uploaded_at=_at(ctx, spent_on + rng.randint(0, 7) * DAY),
            check_status=check,
            check_note=CHECK_NOTES.get(check, ""),
        )


def _reports(ctx, agreement, expenses, lines, until):
    """The reports on the award's schedule (every few months from the start, the last at the
    end). Those due before today and by the last day of delivery were mostly sent, about
    ten days either side of their due date, each saying what the expenses recorded by then
    (those rejected aside) add up to, in total and by budget line."""
    rng = ctx.rng
    counted = [e for e in expenses if e.check_status != Expense.Check.REJECTED]
    due_dates = deadlines.report_due_dates(
        agreement.start_date, agreement.end_date, agreement.report_every_months
    )
    for seq, due in enumerate(due_dates, start=1):
        report = ProgressReport(agreement=agreement, seq=seq, due_on=due)
        if due < ctx.today and due <= until:
            report.status = _pick(rng, REPORT_STATUSES[agreement.status])
        if report.status != RS.DUE:
            sent_on = min(
                max(due + rng.randint(-7, 10) * DAY, agreement.signed_at.date()), ctx.today
            )
            report.submitted_at = max(_at(ctx, sent_on), agreement.signed_at)
            by_line = defaultdict(Decimal)
            for e in counted:
                if e.spent_on <= sent_on:
                    by_line[e.budget_line_id] += e.amount
            report.spent_to_date = sum(by_line.values(), Decimal("0.00"))
            report.budget_lines = [
                {
                    "line": line.id,
                    "description": line.description,
                    "budget": f"{line.amount:.2f}",
                    "spent": f"{by_line[line.id]:.2f}",
                }
                for line in lines
            ]
            report.narrative = NARRATIVE
            report.indicators = [
                {
                    "indicator": "จำนวนผู้ได้รับบริการ (คน)",
                    "target": "",
                    "actual": str(rng.randint(20, 600)),
                    "note": "",
                },
                {
                    "indicator": "จำนวนกิจกรรมที่จัด (ครั้ง)",
                    "target": "",
                    "actual": str(rng.randint(1, 12)),
                    "note": "",
                },
            ]
        if report.status in {RS.ACCEPTED, RS.RETURNED}:
            report.reviewed_at = min(report.submitted_at + rng.randint(1, 14) * DAY, ctx.now)
            report.officer_comment = (
                RETURN_COMMENT if report.status == RS.RETURNED else ACCEPT_COMMENT
            )
        yield report


def _evaluation_dates(agreement, instrument):
    """The evaluations the award schedules for the instrument, with their due dates (as
    ``services.award._schedule_evaluations`` works them out)."""
    start, end = agreement.start_date, agreement.end_date
    for kind in instrument.evaluations:
        if kind == EvaluationKind.PERIODIC:
            due = deadlines.add_months(start, instrument.periodic_every_months)
            while due < end:
                yield kind, due
                due = deadlines.add_months(due, instrument.periodic_every_months)
        elif kind == EvaluationKind.MIDTERM:
            yield kind, deadlines.midterm_due(start, end)
        else:
            yield kind, deadlines.final_evaluation_due(end)


def _evaluations(ctx, agreement, until):
    """The instrument's evaluations as (evaluation, evaluators named on it). Those due by
    the last day of delivery and before today are mostly recorded, the post-completion one
    once delivery is complete and has ended; always a completed performance contract's
    mid-term (its last tranche, paid, needed it) and whatever settling needed."""
    rng = ctx.rng
    instrument = rules_for(agreement.kind)
    officer = ctx.officers[agreement.agency_id]
    done = agreement.status in {AS.COMPLETED, AS.SETTLED}
    for kind, due in _evaluation_dates(agreement, instrument):
        must = (done and kind == instrument.completion_needs) or (
            agreement.status == AS.SETTLED and kind in instrument.settle_needs
        )
        if kind == EvaluationKind.FINAL:  # after delivery, within 3 months of the end
            reached = done and agreement.end_date < ctx.today
            around = agreement.end_date + rng.randint(10, 80) * DAY
        else:
            reached = due < ctx.today and due <= until
            around = due + rng.randint(-5, 20) * DAY
        mode = (
            Evaluation.Mode.EXTERNAL if rng.random() < EXTERNAL_SHARE else Evaluation.Mode.INTERNAL
        )
        evaluation = Evaluation(
            agreement=agreement,
            kind=kind,
            mode=mode,
            timing=instrument.evaluation_timing,
            due_on=due,
            created_at=agreement.created_at,
        )
        evaluators = []
        if must or (reached and rng.random() < EVALUATED_SHARE):
            outside = mode == Evaluation.Mode.EXTERNAL or rng.random() < 0.5
            evaluators = rng.sample(ctx.reviewers, rng.randint(1, 2)) if outside else []
            on = min(max(around, agreement.signed_at.date()), ctx.today)
            evaluation.status = Evaluation.Status.SUBMITTED
            evaluation.committee = COMMITTEE
            evaluation.score = Decimal(rng.randint(5000, 9800)) / 100
            evaluation.findings = FINDINGS
            evaluation.users_views = USERS_VIEWS if rng.random() < 0.6 else ""
            evaluation.submitted_by = evaluators[0] if evaluators else officer
            evaluation.submitted_at = max(_at(ctx, on), agreement.signed_at)
        yield evaluation, evaluators


def _variation(ctx, agreement):
    """A variation of the agreement's end date, proposed by either side while it ran. Agreed,
    it moved the end to the end date the agreement has now (``previous`` keeps the old
    one); declined, it asked for a later end; proposed (only while the agreement runs), it
    waits for the other side's answer. None when the agreement ran too briefly to vary or its
    organisation has no account to sign with."""
    rng = ctx.rng
    member = ctx.members.get(agreement.cso_id)
    if member is None:
        return None
    status = _pick(rng, VARIATION_OUTCOMES.get(agreement.status, VARIATION_OUTCOMES["other"]))
    first, end, previous = agreement.signed_at.date() + DAY, agreement.end_date, {}
    if status == Variation.Status.AGREED:
        old_end = max(end - rng.randint(30, 90) * DAY, agreement.start_date)
        previous, new_end = {"end_date": old_end.isoformat()}, end
        last = min(old_end, ctx.today) - 10 * DAY
    elif status == Variation.Status.DECLINED:
        new_end = end + rng.randint(30, 90) * DAY
        last = min(end, ctx.today) - 10 * DAY
    else:
        new_end = max(end, ctx.today) + rng.randint(30, 90) * DAY
        first, last = max(first, ctx.today - 20 * DAY), ctx.today - DAY
    if last < first:
        return None
    proposed_on = _day_between(ctx, first, last)
    officer = ctx.officers[agreement.agency_id]
    by_agency = rng.random() < 0.5
    variation = Variation(
        agreement=agreement,
        number=1,
        proposed_side=Variation.Side.AGENCY if by_agency else Variation.Side.CSO,
        proposed_by=officer if by_agency else member,
        proposed_at=_at(ctx, proposed_on),
        reason=VARIATION_REASON,
        changes={"end_date": new_end.isoformat()},
        previous=previous,
        status=status,
    )
    if status != Variation.Status.PROPOSED:  # answered within ten days, before the old end
        variation.answered_by = member if by_agency else officer
        variation.answered_at = _at(ctx, proposed_on + rng.randint(1, 9) * DAY)
    if status == Variation.Status.AGREED and by_agency:  # the organisation's signatory signs
        variation.signed_name = agreement.signed_name
    if status == Variation.Status.DECLINED:
        variation.decline_reason = DECLINE_REASON
    return variation
