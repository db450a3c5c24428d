"""The organisations, people, calls, proposals and agreements of the national data set, and
the CSO and tranche writers ``bench_lists`` shares."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from stdnum.th import moa

from contracts.agreements.models import Agreement, Tranche
from contracts.calls.models import Instrument
from csos.models import CSO
from portal.management.bench_data import (
    BATCH,
    CALL_INSTRUMENTS,
    CENT,
    CSO_STATUSES,
    PREFIXES,
    SHARES,
    WORDS,
    _pick,
)


def cso_rows(rng, n, provinces, admin, now):
    this_year = timezone.localtime(now).year
    for i in range(n):
        status = _pick(rng, CSO_STATUSES)
        prefix = rng.choice(PREFIXES)
        (w1_th, w1_en), (w2_th, w2_en) = rng.sample(WORDS, 2)
        place = rng.choice(provinces)
        registered = rng.random() < 0.6
        jid = ""
        if registered:
            base = f"0105{i:08d}"
            jid = base + moa.calc_check_digit(base)
        created = now - datetime.timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
        sent = status != CSO.Status.DRAFT
        approved = status in {CSO.Status.APPROVED, CSO.Status.SUSPENDED}
        yield CSO(
            name_th=f"{prefix[0]}{w1_th}{w2_th}{place.name_th}",
            name_en=""
            if rng.random() < 0.3
            else f"{prefix[1]} for {w1_en} and {w2_en}, {place.name_en}",
            org_form=rng.choice(CSO._meta.get_field("org_form").choices)[0],
            registered=registered,
            juristic_id=jid,
            founded_year=rng.randint(1970, this_year),
            address=f"{rng.randint(1, 999)} หมู่ {rng.randint(1, 15)} {place.name_th}",
            contact_email=f"cso{i}@example.org",
            contact_phone=f"0{rng.randint(20_000_000, 99_999_999)}",
            staff_count=rng.randint(1, 200),
            certified_staff_count=rng.randint(0, 20),
            networks="เครือข่ายองค์กรในจังหวัด",
            track_record="ดำเนินโครงการร่วมกับหน่วยงานรัฐมาแล้วหลายโครงการ",
            status=status,
            scope_note="งานบริการในพื้นที่" if approved else "",
            certificate_number=f"B{i:07d}" if approved else "",
            created_by=admin,
            created_at=created,
            submitted_at=created + datetime.timedelta(days=3) if sent else None,
            approved_at=created + datetime.timedelta(days=20) if approved else None,
        )


def write_cso_links(rng, csos, provinces, field_codes):
    fields_through = CSO.activity_fields.through
    provinces_through = CSO.service_provinces.through
    certified_through = CSO.certified_fields.through
    fields, places, certified = [], [], []
    codes = [p.code for p in provinces]
    for cso in csos:
        mine = rng.sample(field_codes, rng.randint(1, 3))
        fields += [fields_through(cso_id=cso.pk, activityfield_id=c) for c in mine]
        where = set(rng.sample(codes, rng.randint(1, 4)))
        if rng.random() < 0.15:
            where.add("10")
        places += [provinces_through(cso_id=cso.pk, province_id=c) for c in where]
        if cso.status in {CSO.Status.APPROVED, CSO.Status.SUSPENDED}:
            certified.append(certified_through(cso_id=cso.pk, activityfield_id=mine[0]))
    for through, rows in (
        (fields_through, fields),
        (provinces_through, places),
        (certified_through, certified),
    ):
        through.objects.bulk_create(rows, batch_size=5 * BATCH)


def tranche_rows(rng, agreements, today):
    moved = {
        Agreement.Status.ACTIVE: 1,
        Agreement.Status.TERMINATED: 1,
        Agreement.Status.COMPLETED: 99,
        Agreement.Status.SETTLED: 99,
    }
    for a in agreements:
        shares = rng.choice(SHARES[a.kind])
        paid_upto = min(moved.get(a.status, 0), len(shares))
        if a.status == Agreement.Status.TERMINATED and not a.signed_at:
            paid_upto = 0
        rest = a.amount
        for seq, share in enumerate(shares, start=1):
            last = seq == len(shares)
            amount = rest if last else (a.amount * share / 100).quantize(CENT, ROUND_HALF_UP)
            rest -= amount
            paid = seq <= paid_upto
            at = a.signed_at + datetime.timedelta(days=10 * seq) if paid else None
            yield Tranche(
                agreement=a,
                seq=seq,
                share_percent=Decimal(share),
                amount=amount,
                condition=(
                    Tranche.Condition.ON_SIGNING
                    if seq == 1
                    else Tranche.Condition.ON_COMPLETION
                    if a.kind == Instrument.PERFORMANCE_CONTRACT
                    else Tranche.Condition.ON_SCHEDULE
                ),
                planned_on=None
                if seq == 1 or a.kind == Instrument.PERFORMANCE_CONTRACT
                else a.start_date + datetime.timedelta(days=90 * (seq - 1)),
                status=Tranche.Status.PAID if paid else Tranche.Status.SCHEDULED,
                released_at=at,
                paid_at=at,
                paid_on=at.date() if at else None,
                payment_reference=f"GF{a.pk:07d}{seq}" if paid else "",
            )


FIRST_NAMES = ["สมชาย", "สมหญิง", "มานี", "ปิติ", "ชูใจ", "วีระ", "อรุณี", "ประเสริฐ", "สุดา", "บุญมี"]
CALL_STATUSES = [  # status, weight: most calls of past years are awarded
    ("draft", 3),
    ("forecast", 4),
    ("open", 15),
    ("closed", 13),
    ("awarded", 60),
    ("cancelled", 5),
]
IN_REVIEW = ["submitted", "info_requested", "shortlisted", "presented"]
SENT_CALLS = {"open", "closed", "awarded"}


def build_core(ctx) -> dict[str, int]:
    """Accounts, agencies and their missions, CSOs with their members, citizens, calls,
    proposals and the agreements of the selected ones, with their tranches."""
    from agencies.models import Agency, Mission
    from contracts.agreements.models import Settlement
    from contracts.calls.models import Call
    from contracts.proposals.models import Proposal
    from portal.management.bench_data import ADMIN, AGENCY_EN, OFFICER, _dates_as_given
    from portal.models import User, UserRole
    from portal.roles import CsoRole, Role

    rng, sizes, now = ctx.rng, ctx.sizes, ctx.now

    def accounts(names, role, **fields):
        users = User.objects.bulk_create(
            (
                User(username=name, email=f"{name}@example.org", **fields.get(name, {}))
                for name in names
            ),
            batch_size=BATCH,
        )
        UserRole.objects.bulk_create((UserRole(user=u, role=role) for u in users), batch_size=BATCH)
        return users

    with _dates_as_given(CSO, Call, Proposal, Agreement):
        ctx.admin = accounts([ADMIN], Role.STAFF_ADMIN)[0]
        User.objects.filter(pk=ctx.admin.pk).update(is_staff=True)
        kinds = list(Agency.Kind.values)
        ctx.agencies = Agency.objects.bulk_create(
            Agency(
                name_th=f"หน่วยงานทดสอบสมรรถนะ {i}",
                name_en=f"{AGENCY_EN} {i}",
                kind=kinds[i % len(kinds)],
                province=ctx.provinces[i % len(ctx.provinces)],
            )
            for i in range(1, sizes.agencies + 1)
        )
        names = [OFFICER] + [f"{OFFICER}_{i}" for i in range(2, len(ctx.agencies) + 1)]
        per_agency = {n: {"agency": a} for n, a in zip(names, ctx.agencies, strict=True)}
        officers = accounts(names, Role.AGENCY_OFFICER, **per_agency)
        ctx.officers = {u.agency_id: u for u in officers}
        ctx.reviewers = accounts(
            [f"bench_reviewer_{i}" for i in range(1, 61)], Role.COMMITTEE_REVIEWER
        )
        UserRole.objects.bulk_create(UserRole(user=u, role=Role.EVALUATOR) for u in ctx.reviewers)
        ctx.missions = Mission.objects.bulk_create(
            Mission(
                agency=agency,
                title_th=f"ภารกิจทดสอบ {agency.pk}",
                service_category="social_cultural",
                mission_type="direct_service",
                activity_field_id=ctx.field_codes[i % len(ctx.field_codes)],
            )
            for i, agency in enumerate(ctx.agencies)
        )
        Mission.provinces.through.objects.bulk_create(
            Mission.provinces.through(mission_id=m.pk, province_id=a.province_id)
            for m, a in zip(ctx.missions, ctx.agencies, strict=True)
            if a.kind == Agency.Kind.PROVINCIAL_OFFICE
        )
        ctx.csos = CSO.objects.bulk_create(
            cso_rows(rng, sizes.csos, ctx.provinces, ctx.admin, now), batch_size=BATCH
        )
        write_cso_links(rng, ctx.csos, ctx.provinces, ctx.field_codes)
        member_of = {
            f"bench_member_{c.pk}": {"cso": c, "cso_role": CsoRole.SIGNATORY} for c in ctx.csos
        }
        members = accounts(list(member_of), Role.CSO_MEMBER, **member_of)
        ctx.members = {u.cso_id: u for u in members}
        ctx.log(f"{len(ctx.agencies):,} agencies, {len(ctx.csos):,} CSOs with their members")
        # Citizens have verified their email (else they may not vote or take part) and have
        # names, as the pages show them.
        citizen_names = [f"bench_citizen_{i}" for i in range(1, sizes.citizens + 1)]
        ctx.citizens = accounts(
            citizen_names,
            Role.CITIZEN,
            **{
                name: {
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": f"ทดสอบ{i}",
                    "email_verified_at": now - datetime.timedelta(days=rng.randint(1, 900)),
                }
                for i, name in enumerate(citizen_names, 1)
            },
        )
        ctx.calls = Call.objects.bulk_create(_calls(ctx), batch_size=BATCH)
        ctx.proposals = Proposal.objects.bulk_create(_proposals(ctx), batch_size=BATCH)
        ctx.log(f"{len(ctx.calls):,} calls, {len(ctx.proposals):,} proposals")
        selected = [p for p in ctx.proposals if p.status == "selected"]
        rows = agreement_rows(rng, selected, ctx.calls, lambda call: ctx.officers[call.agency_id])
        ctx.agreements = Agreement.objects.bulk_create(rows, batch_size=BATCH)
        tranches = Tranche.objects.bulk_create(
            tranche_rows(rng, ctx.agreements, ctx.today), batch_size=BATCH
        )
        Settlement.objects.bulk_create(
            (
                Settlement(
                    agreement=a, disbursed_total=a.amount, spent_total=a.amount, refund_due=0
                )
                for a in ctx.agreements
                if a.status == Agreement.Status.SETTLED
            ),
            batch_size=BATCH,
        )
    return {
        "agencies": len(ctx.agencies),
        "CSOs": len(ctx.csos),
        "accounts": len(officers) + len(members) + len(ctx.citizens) + len(ctx.reviewers) + 1,
        "calls": len(ctx.calls),
        "proposals": len(ctx.proposals),
        "agreements": len(ctx.agreements),
        "tranches": len(tranches),
    }


def _calls(ctx):
    from contracts.calls.models import Call

    rng, now = ctx.rng, ctx.now
    day = datetime.timedelta(days=1)
    for i in range(ctx.sizes.calls):
        mission = ctx.missions[i % len(ctx.missions)]
        status = _pick(rng, CALL_STATUSES)
        if status == "open":
            opens = now - rng.randint(1, 20) * day
            closes = now + rng.randint(10, 40) * day
        elif status in {"draft", "forecast"}:
            opens = now + rng.randint(10, 60) * day
            closes = opens + 30 * day
        elif status == "closed":
            closes = now - rng.randint(1, 30) * day
            opens = closes - 30 * day
        else:
            opens = now - rng.randint(90, 5 * 365) * day
            closes = opens + 30 * day
        published = opens if status in SENT_CALLS | {"cancelled"} else None
        yield Call(
            agency_id=mission.agency_id,
            mission=mission,
            instrument=CALL_INSTRUMENTS[i % len(CALL_INSTRUMENTS)],
            title=f"ประกาศรับข้อเสนอทดสอบ {mission.agency_id}-{i}",
            budget_ceiling=Decimal("5000000.00"),
            budget_total=Decimal("50000000.00"),
            opens_at=opens,
            closes_at=closes,
            costing_method="per_project",
            status=status,
            created_by=ctx.admin,
            created_at=min(opens, now) - 10 * day,
            forecast_at=now - rng.randint(1, 9) * day if status == "forecast" else None,
            published_at=published,
            closed_at=closes if status in {"closed", "awarded"} else None,
            cancel_reason="งบประมาณถูกปรับลด" if status == "cancelled" else "",
        )


def _proposals(ctx):
    """The sent proposals spread over the calls open to them (a CSO answers a call once),
    ``sizes.agreements`` of those to awarded calls selected and the rest not."""
    from contracts.proposals.models import Proposal

    rng, sizes, day = ctx.rng, ctx.sizes, datetime.timedelta(days=1)
    eligible = [c for c in ctx.csos if c.status in {"approved", "suspended"}]
    calls = [c for c in ctx.calls if c.status in SENT_CALLS]
    awarded = sum(c.status == "awarded" for c in calls)
    per_call = max(1, sizes.proposals // max(1, len(calls)))
    chosen_per_awarded = max(1, sizes.agreements // max(1, awarded))
    selected, n = 0, 0
    for call in calls:
        count = min(per_call, len(eligible), sizes.proposals - n)
        for k, index in enumerate(rng.sample(range(len(eligible)), count)):
            cso = eligible[index]
            if call.status == "awarded":
                pick = k < chosen_per_awarded and selected < sizes.agreements
                status = "selected" if pick else "not_selected"
                selected += pick
            elif call.status == "closed":
                status = rng.choice(IN_REVIEW)
            else:
                status = "submitted"
            (w1, _e1), (w2, _e2) = rng.sample(WORDS, 2)
            start = call.closes_at.date() + rng.randint(20, 60) * day
            sent_at = call.opens_at + rng.randint(1, 25) * day
            yield Proposal(
                call=call,
                cso=cso,
                title=f"โครงการ{w1}{w2} {n}",
                summary="สรุปโครงการสำหรับการทดสอบสมรรถนะ",
                requested_amount=Decimal(rng.randrange(5_000_000, 500_000_000)) / 100,
                start_date=start,
                end_date=start + rng.choice([180, 365, 730]) * day,
                status=status,
                reference=f"BENCH-P{n:06d}",
                created_by=ctx.members.get(cso.pk, ctx.admin),
                created_at=min(sent_at, call.closes_at - day, ctx.now - day) - day,
                submitted_at=min(sent_at, call.closes_at - day, ctx.now - day),
                decided_at=call.closes_at + 10 * day if call.status == "awarded" else None,
            )
            n += 1
        if n >= sizes.proposals:
            break


def agreement_rows(rng, proposals, calls, created_by):
    """An agreement for each selected proposal, in a spread of statuses, signed where the
    status says so; ``created_by(call)`` is who made the offer."""
    from portal.management.bench_data import AGREEMENT_STATUSES

    by_id = {c.pk: c for c in calls}
    for i, proposal in enumerate(proposals):
        call = by_id[proposal.call_id]
        status = _pick(rng, AGREEMENT_STATUSES)
        signed = status in {"active", "completed", "settled"} or (
            status == "terminated" and rng.random() < 0.7
        )
        created = proposal.decided_at + datetime.timedelta(minutes=rng.randint(1, 20_000))
        yield Agreement(
            kind=call.instrument,
            proposal=proposal,
            agency_id=call.agency_id,
            cso_id=proposal.cso_id,
            number=f"BENCH-{i:06d}",
            title=proposal.title,
            amount=proposal.requested_amount,
            start_date=proposal.start_date,
            end_date=proposal.end_date,
            status=status,
            signed_name="ผู้ลงนามทดสอบ" if signed else "",
            signed_at=created + datetime.timedelta(days=5) if signed else None,
            created_by=created_by(call),
            created_at=created,
        )
