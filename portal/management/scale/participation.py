"""What citizens do in the national data set: they rate the services the agreements pay for,
file grievances, join their province's network, take part in consultations, vote in budget
rounds and polls, come to public meetings and volunteer for citizens' assemblies.

Load data written straight into the tables after core (``core.py``), each row valid for the
models' constraints, each count kept on a row (a consultation's contributions, a round's
ballots, a contribution's agrees and disagrees) equal to the rows it counts. The large sets
(survey responses, grievances, contributions, ballots) are written a chunk at a time, so
memory stays flat whatever the sizes."""

import datetime
import itertools
from collections import Counter, defaultdict
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.assemblies import sortition
from agencies.assemblies.models import (
    Assembly,
    AssemblyRecommendation,
    Characteristic,
    Session,
    Volunteer,
)
from agencies.budgets.models import Ballot, BudgetProject, BudgetRound
from agencies.budgets.rules import Counted, select_within_envelope
from agencies.consultations.models import (
    Consultation,
    Contribution,
    Decision,
    Question,
    Reaction,
    Response,
    ResponseReport,
    Theme,
)
from agencies.meetings.models import Meeting, Registration
from agencies.polls.models import Poll, PollOption, Vote
from assessments.feedback.models import Charter, Dimension, FeedbackResponse, Rating, Survey
from assessments.feedback.rules import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_DIMENSIONS,
    dimensions_asked,
    has_public_card,
)
from assessments.grievances import rules as grievance_rules
from assessments.grievances.models import TRACKING_ALPHABET, Grievance, GrievanceMessage
from assessments.grievances.services import FUNDED
from contracts.agreements.models import Agreement
from csos.models import CSO
from csos.networks.models import Network, NetworkMember, Resource, Sector
from portal.dates import BE_OFFSET
from portal.iterables import batched
from portal.management.bench_data import BATCH, _pick, times_as_given
from portal.reference import ServiceCategory

CHUNK = 20_000  # rows built, written and let go at a time
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

# --- the words ---------------------------------------------------------------------------

CHARTER = {
    "service": "ให้บริการดูแลและส่งเสริมคุณภาพชีวิตกลุ่มเป้าหมายในพื้นที่ตามข้อตกลง",
    "who_may_use": "ประชาชนในพื้นที่ที่มีคุณสมบัติตามประกาศของหน่วยงาน",
    "where_when": "ศูนย์บริการขององค์กร วันจันทร์ถึงวันศุกร์ 08.30–16.30 น.",
    "time_standard": "รับเรื่องและให้บริการภายใน 3 วันทำการ",
    "quality_standard": "ผู้รับบริการไม่น้อยกว่าร้อยละ 80 พึงพอใจในระดับดีขึ้นไป",
    "remedy": "แจ้งผ่านแบบฟอร์มร้องเรียนของพอร์ทัล ตอบกลับภายใน 5 วันทำการ",
}
GOOD_COMMENTS = [
    "เจ้าหน้าที่สุภาพ ให้ข้อมูลชัดเจน",
    "บริการรวดเร็วกว่าที่คาดไว้ ขอบคุณครับ",
    "ประทับใจมาก อยากให้มีบริการแบบนี้ต่อไป",
    "สถานที่สะอาด เดินทางสะดวก",
    "ได้รับความช่วยเหลือตรงกับที่ต้องการ",
]
POOR_COMMENTS = [
    "รอคิวนานเกินไป",
    "ไม่มีป้ายบอกขั้นตอนการรับบริการ",
    "อยากให้เปิดบริการช่วงวันหยุดด้วย",
    "เจ้าหน้าที่มีน้อย ไม่พอกับผู้มารับบริการ",
]
HIDE_REASON = "ข้อความหยาบคายและพาดพิงบุคคล"

GRIEVANCE_KINDS = [  # kind, weight
    (Grievance.Kind.COMPLAINT, 60),
    (Grievance.Kind.SUGGESTION, 20),
    (Grievance.Kind.INFORMATION_REQUEST, 20),
]
GRIEVANCE_TITLES = {
    Grievance.Kind.COMPLAINT: [
        "เจ้าหน้าที่ให้บริการล่าช้า",
        "ไม่ได้รับบริการตามที่ประกาศไว้",
        "ถูกเรียกเก็บค่าบริการโดยไม่มีใบเสร็จ",
        "สถานที่ให้บริการไม่สะอาด",
        "โครงการก่อสร้างทิ้งงานกลางคัน",
    ],
    Grievance.Kind.SUGGESTION: [
        "ขอให้ขยายเวลาให้บริการช่วงเย็น",
        "ควรมีป้ายบอกทางสำหรับผู้พิการ",
        "เสนอให้เพิ่มช่องทางนัดหมายออนไลน์",
    ],
    Grievance.Kind.INFORMATION_REQUEST: [
        "ขอทราบงบประมาณของโครงการ",
        "ขอทราบหลักเกณฑ์การคัดเลือกผู้รับบริการ",
        "ขอทราบกำหนดการลงพื้นที่",
    ],
}
GRIEVANCE_BODY = "ผู้ร้องติดต่อที่จุดให้บริการหลายครั้งแต่ยังไม่ได้รับคำตอบ จึงขอให้หน่วยงานตรวจสอบ"
ANSWERS = [
    "หน่วยงานตรวจสอบแล้วและได้กำชับเจ้าหน้าที่ให้ปฏิบัติตามมาตรฐานการให้บริการ",
    "ได้ดำเนินการแก้ไขเรียบร้อยแล้ว ขออภัยในความไม่สะดวก",
    "ข้อมูลที่ขอได้เผยแพร่ไว้บนเว็บไซต์ของหน่วยงานแล้ว",
    "รับข้อเสนอไว้พิจารณาในแผนปีงบประมาณถัดไป",
]
CITIZEN_REPLIES = ["ยังไม่ได้รับการแก้ไขตามที่แจ้ง", "ขอรายละเอียดเพิ่มเติมเกี่ยวกับคำตอบ"]
REJECT_REASONS = [
    "เรื่องนี้อยู่นอกอำนาจหน้าที่ของหน่วยงานในระบบ",
    "เป็นข้อพิพาทระหว่างเอกชน ขอให้ติดต่อศาลหรือสำนักงานยุติธรรมจังหวัด",
    "ข้อมูลไม่เพียงพอที่จะตรวจสอบได้",
]

SUBJECTS = [
    "แผนพัฒนาระบบขนส่งสาธารณะ",
    "ร่างระเบียบการจัดการขยะชุมชน",
    "แนวทางดูแลผู้สูงอายุในชุมชน",
    "แผนป้องกันน้ำท่วม",
    "การพัฒนาพื้นที่สีเขียวในเมือง",
    "มาตรฐานศูนย์พัฒนาเด็กเล็ก",
    "แผนส่งเสริมการท่องเที่ยวชุมชน",
    "การแก้ปัญหาฝุ่น PM2.5",
]
TEXT_QUESTION = "ท่านมีข้อเสนอแนะต่อเรื่องนี้อย่างไร"
QUESTIONS = {  # the other kinds: (text, options)
    Question.Kind.SINGLE: (
        "ท่านเห็นด้วยกับแนวทางที่เสนอหรือไม่",
        ["เห็นด้วย", "เห็นด้วยบางส่วน", "ไม่เห็นด้วย"],
    ),
    Question.Kind.MULTIPLE: (
        "เรื่องใดควรทำก่อน (เลือกได้หลายข้อ)",
        ["ปรับปรุงถนน", "เพิ่มไฟส่องสว่าง", "ขยายเวลาให้บริการ", "จัดอบรมอาชีพ"],
    ),
    Question.Kind.SCALE: ("เรื่องนี้สำคัญต่อชุมชนของท่านเพียงใด", []),
    Question.Kind.RANKING: (
        "เรียงลำดับทางเลือกตามความสำคัญ",
        ["ทางเลือก ก", "ทางเลือก ข", "ทางเลือก ค"],
    ),
}
CONSULTATION_STATUSES = [
    (Consultation.Status.DRAFT, 5),
    (Consultation.Status.PUBLISHED, 25),
    (Consultation.Status.CLOSED, 35),
    (Consultation.Status.REPORTED, 35),
]
IDEAS = [
    "ควรจัดเวทีรับฟังในระดับตำบลก่อนตัดสินใจ",
    "อยากให้เปิดเผยงบประมาณแต่ละรายการให้ประชาชนตรวจสอบได้",
    "ควรให้ความสำคัญกับผู้สูงอายุและคนพิการเป็นลำดับแรก",
    "เสนอให้ใช้วัสดุในท้องถิ่นและจ้างแรงงานในชุมชน",
    "ควรมีคณะกรรมการติดตามผลที่มีตัวแทนประชาชน",
    "ขอให้ประสานกับโรงเรียนและวัดในพื้นที่",
    "ควรทดลองทำในพื้นที่นำร่องก่อนขยายผล",
    "อยากให้มีช่องทางแจ้งปัญหาทางไลน์",
]
REPLIES = {
    Contribution.Kind.PRO: ["เห็นด้วย เพราะช่วยคนในชุมชนได้จริง", "สนับสนุน ควรเริ่มโดยเร็ว"],
    Contribution.Kind.CON: ["ไม่เห็นด้วย งบประมาณอาจไม่พอ", "กังวลว่าจะไม่ต่อเนื่องหลังจบโครงการ"],
    Contribution.Kind.QUESTION: ["จะเริ่มดำเนินการเมื่อไร", "ใครจะเป็นผู้ดูแลหลังส่งมอบ"],
}
THEMES = ["งบประมาณและความโปร่งใส", "กลุ่มเปราะบาง", "การมีส่วนร่วมของชุมชน", "ระยะเวลาดำเนินการ"]

ROUND_STATUSES = [  # by the round's place in every ten: most rounds of past years are closed
    BudgetRound.Status.CLOSED,
    BudgetRound.Status.VOTING,
    BudgetRound.Status.CLOSED,
    BudgetRound.Status.CLOSED,
    BudgetRound.Status.REVIEWING,
    BudgetRound.Status.CLOSED,
    BudgetRound.Status.VOTING,
    BudgetRound.Status.CLOSED,
    BudgetRound.Status.PROPOSING,
    BudgetRound.Status.CLOSED,
]
ROUND_AGE = {  # days since the round was opened: ideas for 30, the vote from day 60
    BudgetRound.Status.CLOSED: (150, 900),
    BudgetRound.Status.VOTING: (70, 110),
    BudgetRound.Status.REVIEWING: (40, 60),
    BudgetRound.Status.PROPOSING: (5, 30),
}
BUDGET_PROJECTS = [
    "ซ่อมแซมถนนในหมู่บ้าน",
    "ติดตั้งไฟส่องสว่างทางเดิน",
    "ลานกีฬาสำหรับเยาวชน",
    "ศูนย์ดูแลผู้สูงอายุกลางวัน",
    "ระบบกรองน้ำดื่มชุมชน",
    "ห้องสมุดเคลื่อนที่",
    "ตลาดนัดสินค้าเกษตรอินทรีย์",
    "ทางลาดสำหรับคนพิการ",
    "สวนสาธารณะริมน้ำ",
    "อบรมอาชีพให้ผู้ว่างงาน",
]
POLL_QUESTIONS = [
    ("ท่านพอใจกับบริการของหน่วยงานในปีนี้หรือไม่", ["พอใจมาก", "พอใจ", "เฉยๆ", "ไม่พอใจ"]),
    ("ช่องทางใดที่ท่านใช้ติดต่อหน่วยงานบ่อยที่สุด", ["มาด้วยตนเอง", "โทรศัพท์", "เว็บไซต์", "ไลน์"]),
    ("ควรเปิดบริการวันเสาร์หรือไม่", ["ควร", "ไม่ควร"]),
    ("เรื่องใดที่หน่วยงานควรเร่งแก้ไข", ["ความล่าช้า", "ข้อมูลไม่ชัดเจน", "ค่าใช้จ่าย"]),
]
MEETING_TITLES = {
    Meeting.Kind.HEARING: "เวทีรับฟังความคิดเห็น",
    Meeting.Kind.FOCUS_GROUP: "สนทนากลุ่มย่อย",
    Meeting.Kind.TOWN_HALL: "ประชุมประชาคม",
    Meeting.Kind.EXPERT_PANEL: "เวทีผู้ทรงคุณวุฒิ",
    Meeting.Kind.DIALOGUE: "เวทีเสวนาหาทางออก",
}
MEETING_STATUSES = [
    (Meeting.Status.HELD, 60),
    (Meeting.Status.PUBLISHED, 25),
    (Meeting.Status.CANCELLED, 10),
    (Meeting.Status.DRAFT, 5),
]
ANSWERED = [
    AssemblyRecommendation.Answer.ACCEPTED,
    AssemblyRecommendation.Answer.PARTLY,
    AssemblyRecommendation.Answer.NOT_ACCEPTED,
    AssemblyRecommendation.Answer.CONSIDERING,
]
ASSEMBLY_STATUSES = [  # by the assembly's place in every 4
    Assembly.Status.REPORTED,
    Assembly.Status.MEETING,
    Assembly.Status.DRAWN,
    Assembly.Status.RECRUITING,
]


# The models written here whose times Django would stamp (auto_now, auto_now_add).
STAMPED = (
    Charter, Survey, FeedbackResponse, Network, NetworkMember, Consultation, Response, Reaction,
    ResponseReport, BudgetRound, BudgetProject, Ballot, Poll, Vote, Meeting, Registration,
    Assembly, Volunteer,
)  # fmt: skip


# --- helpers -----------------------------------------------------------------------------


def _write(model, rows) -> int:
    """Write a stream of unsaved rows a chunk at a time (bulk_create would list them all)."""
    written = 0
    for chunk in batched(rows, CHUNK):
        model.objects.bulk_create(chunk, batch_size=BATCH)
        written += len(chunk)
    return written


def _between(rng, start, end):
    """A moment from ``start`` to ``end`` (``start`` when there is no time between)."""
    seconds = (end - start).total_seconds()
    return start + datetime.timedelta(seconds=rng.uniform(0, seconds)) if seconds > 0 else start


def _at(day, hour):
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _spread(rng, total, n, cap):
    """``total`` split into ``n`` uneven shares (a few large, many small), none above ``cap``;
    less than ``total`` only when ``n * cap`` is."""
    weights = [rng.lognormvariate(0, 0.8) for _i in range(n)]
    shares = [0] * n
    left = min(total, n * cap)
    while left:
        room = [i for i in range(n) if shares[i] < cap]
        weight = sum(weights[i] for i in room)
        given = 0
        for i in room:
            more = min(cap - shares[i], int(left * weights[i] / weight))
            shares[i] += more
            given += more
        if not given:  # less left than the shares' proportions round to: one each, largest first
            for i in sorted(room, key=lambda i: -weights[i])[:left]:
                shares[i] += 1
                given += 1
        left -= given
    return shares


def _picker(rng, population, weights):
    """Draw ``k`` of ``population`` (with repeats), each as likely as its weight."""
    cumulative = list(itertools.accumulate(weights))
    return lambda k: rng.choices(population, cum_weights=cumulative, k=k)


def _missions_by_agency(ctx):
    return {m.agency_id: m for m in ctx.missions}


# --- the whole part ----------------------------------------------------------------------


def build_participation(ctx) -> dict[str, int]:
    """Citizens' ratings, grievances, networks, consultations, budget rounds, polls, meetings
    and assemblies; returns {label: rows written}."""
    # Each kind is written in a transaction of its own (the decorators): PostgreSQL keeps a
    # deferred foreign-key check for every row until the commit.
    counts = {}
    with times_as_given(*STAMPED):
        counts |= _feedback(ctx)
        counts |= _grievances(ctx)
        networks, written = _networks(ctx)
        counts |= written
        counts |= _consultations(ctx)
        rounds, written = _budgets(ctx, networks)
        counts |= written
        counts |= _polls(ctx)
        counts |= _meetings(ctx)
        counts |= _assemblies(ctx, rounds)
    return counts


# --- ratings of the services -------------------------------------------------------------


def _rating_window(agreement, now):
    """When people could rate the agreement's service: from its start while it ran (and a
    month after delivery), up to now."""
    start = max(agreement.signed_at, _at(agreement.start_date, 8))
    end = _at(agreement.end_date, 17)
    if agreement.status == Agreement.Status.ACTIVE:
        end = now
    elif agreement.status == Agreement.Status.TERMINATED:
        end = agreement.terminated_at or start + (end - start) / 3
    else:
        end = (agreement.completed_at or end) + 30 * DAY
    return start, min(end, now)


@transaction.atomic
def _feedback(ctx):
    """Every signed agreement's charter (agreed by both sides, bar a few running ones) and
    survey, and ``sizes.responses`` answers spread unevenly over the services."""
    rng, now = ctx.rng, ctx.now
    signed = [a for a in ctx.agreements if has_public_card(a)]
    codes, charters, surveys, asked = set(), [], [], {}
    for a in signed:
        written = min(a.signed_at + rng.randint(1, 10) * DAY, now)
        agreed = a.status != Agreement.Status.ACTIVE or rng.random() < 0.85
        agency_at = min(written + rng.randint(1, 10) * DAY, now) if agreed else None
        cso_at = min(written + rng.randint(1, 10) * DAY, now) if agreed else None
        member = ctx.members.get(a.cso_id)
        charters.append(
            Charter(
                agreement=a,
                **CHARTER,
                agreed_by_agency_at=agency_at,
                agreed_by_agency=ctx.officers[a.agency_id] if agreed else None,
                agreed_by_cso_at=cso_at if member else None,
                agreed_by_cso=member if agreed else None,
                created_at=written,
                updated_at=max(t for t in (written, agency_at, cso_at) if t),
            )
        )
        while (code := "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))) in codes:
            pass
        codes.add(code)
        extra = rng.sample(Dimension.values, rng.randint(0, 2)) if rng.random() < 0.3 else []
        asked[a.pk] = dimensions_asked([*DEFAULT_DIMENSIONS, *extra])
        surveys.append(
            Survey(agreement=a, code=code, dimensions=asked[a.pk], created_at=a.signed_at)
        )
    Charter.objects.bulk_create(charters, batch_size=BATCH)
    Survey.objects.bulk_create(surveys, batch_size=BATCH)

    windows = {a.pk: _rating_window(a, now) for a in signed}
    rated = [a for a in signed if windows[a.pk][0] < windows[a.pk][1]]
    quality = {a.pk: rng.uniform(2.6, 4.6) for a in rated}
    pick = _picker(
        rng,
        rated,
        [rng.lognormvariate(0, 1) * (windows[a.pk][1] - windows[a.pk][0]).days + 1 for a in rated],
    )
    responses = ratings = 0
    left = ctx.sizes.responses if rated else 0
    while left:
        batch, scores = [], []
        for a in pick(min(left, CHUNK)):
            mine = {
                d: max(1, min(5, round(rng.gauss(quality[a.pk], 0.9))))
                for d in asked[a.pk]
                if d == Dimension.OVERALL or rng.random() < 0.85
            }
            at = _between(rng, *windows[a.pk])
            comment = ""
            if rng.random() < 0.25:
                good = mine[Dimension.OVERALL] >= 4
                comment = rng.choice(GOOD_COMMENTS if good else POOR_COMMENTS)
            hidden = bool(comment) and rng.random() < 0.02
            batch.append(
                FeedbackResponse(
                    agreement=a,
                    comment=comment,
                    language="en" if rng.random() < 0.08 else "th",
                    created_at=at,
                    hidden_at=min(at + rng.randint(1, 5) * DAY, now) if hidden else None,
                    hidden_by=ctx.officers[a.agency_id] if hidden else None,
                    hidden_reason=HIDE_REASON if hidden else "",
                )
            )
            scores.append(mine)
        FeedbackResponse.objects.bulk_create(batch, batch_size=BATCH)
        ratings += _write(
            Rating,
            (
                Rating(response=r, dimension=d, score=s)
                for r, mine in zip(batch, scores, strict=True)
                for d, s in mine.items()
            ),
        )
        responses += len(batch)
        left -= len(batch)
    ctx.log(f"{len(surveys):,} surveys, {responses:,} survey responses with {ratings:,} ratings")
    return {
        "charters": len(charters),
        "surveys": len(surveys),
        "survey responses": responses,
        "ratings": ratings,
    }


# --- grievances --------------------------------------------------------------------------


def _tracking_id(rng, received, taken):
    year = timezone.localdate(received).year + BE_OFFSET
    while True:
        code = "".join(rng.choices(TRACKING_ALPHABET, k=8))
        tracking = f"GR-{year}-{code[:4]}-{code[4:]}"
        if tracking not in taken:
            taken.add(tracking)
            return tracking


def _grievance_story(rng, now, g, officer, days, may_merge):
    """Walk a filed grievance through its life as the services would, up to now: routed
    (or rejected, or merged into an earlier one) within days, answered, perhaps replied to
    and answered again, then closed by the citizen's "resolved" or after its quiet days.
    ``g`` changes in place; returns its messages."""
    GS = Grievance.Status
    messages = []
    slow = rng.random() < 0.1
    step = g.received_at + HOUR * rng.uniform(2, 200 if slow else 60)
    fate = rng.random()
    if step > now:
        return messages
    if fate < 0.07:
        g.status, g.rejected_at, g.closed_at = GS.REJECTED, step, step
        g.reject_reason, g.escalate_on = rng.choice(REJECT_REASONS), None
        return messages
    if fate < 0.09 and may_merge:  # the caller names the grievance it joins
        g.status, g.closed_at, g.escalate_on = GS.CLOSED, step, None
        g.closing = Grievance.Closing.MERGED
        return messages
    g.status, g.routed_at = GS.ROUTED, step
    g.respond_by = days.respond_by(timezone.localdate(step))
    g.escalate_on = days.escalate_on(g.respond_by)
    replied = False
    while True:
        answered = step + HOUR * rng.uniform(4, 400 if slow else 150)
        if answered > now:
            return messages
        g.status, g.responded_at, g.response = GS.RESPONDED, answered, rng.choice(ANSWERS)
        if g.kind == Grievance.Kind.COMPLAINT:
            g.upheld = _pick(rng, [(True, 45), (False, 40), (None, 15)])
        g.close_by, g.escalate_on = days.close_by(timezone.localdate(answered)), None
        messages.append(
            GrievanceMessage(
                author=GrievanceMessage.Author.AGENCY, text=g.response, by=officer, at=answered
            )
        )
        if replied or rng.random() > 0.12:
            break
        replied, step = True, answered + HOUR * rng.uniform(6, 120)
        if step > now:
            return messages
        messages.append(
            GrievanceMessage(
                author=GrievanceMessage.Author.CITIZEN, text=rng.choice(CITIZEN_REPLIES), at=step
            )
        )
        g.status, g.close_by = GS.ROUTED, None
        g.respond_by = days.respond_by(timezone.localdate(step))
        g.escalate_on = days.escalate_on(g.respond_by)
    said = answered + HOUR * rng.uniform(2, 150)
    if rng.random() < 0.4 and said <= now and timezone.localdate(said) <= g.close_by:
        g.status, g.resolved, g.closed_at = GS.CLOSED, Grievance.Resolved.YES, said
        g.closing = Grievance.Closing.RESOLVED
        return messages
    g.resolved = _pick(
        rng, [("", 70), (Grievance.Resolved.NO, 15), (Grievance.Resolved.PARTLY, 15)]
    )
    quiet = _at(g.close_by + DAY, 2)  # the nightly sweep, the day after the quiet days
    if quiet <= now:
        g.status, g.closed_at, g.closing = GS.CLOSED, quiet, Grievance.Closing.QUIET
    return messages


def _erase(g, messages, now, keep):
    """What the retention sweep has done to a grievance closed more than ``keep`` ago."""
    if g.closed_at is None or g.closed_at >= now - keep:
        return
    g.name = g.contact = g.body = ""
    g.citizen_token_hash = ""  # nosec B105 # the reply code's hash, erased, not a password
    g.citizen = None
    g.personal_data_erased_at = min(g.closed_at + keep + DAY, now)
    for m in messages:
        if m.author == GrievanceMessage.Author.CITIZEN:
            m.text = ""


@transaction.atomic
def _grievances(ctx):
    """``sizes.grievances`` grievances over three years (a fifth of them in the last six
    weeks, so the queues have work), four in ten about a funded project; each one's state is
    where its story has got to today. Deadlines come from the working-day rules."""
    rng, now, GS = ctx.rng, ctx.now, Grievance.Status
    days = SimpleNamespace(  # the rules, each date worked out once
        route_by=cache(grievance_rules.route_by),
        respond_by=cache(grievance_rules.respond_by),
        close_by=cache(grievance_rules.close_by),
        escalate_on=cache(grievance_rules.escalate_on),
    )
    keep = datetime.timedelta(days=settings.GRIEVANCE_PERSONAL_DATA_DAYS)
    funded = [a for a in ctx.agreements if a.status in FUNDED]
    home = {a.pk: a.province_id for a in ctx.agencies}
    received_times = sorted(
        now - 45 * DAY * rng.random() if rng.random() < 0.2 else now - 3 * 365 * DAY * rng.random()
        for _i in range(ctx.sizes.grievances)
    )
    taken = set()
    last_open = {}  # agency pk -> index of its latest grievance a duplicate may join

    def rows():
        for i, received in enumerate(received_times):
            kind = _pick(rng, GRIEVANCE_KINDS)
            agreement = rng.choice(funded) if funded and rng.random() < 0.4 else None
            agency_id = agreement.agency_id if agreement else rng.choice(ctx.agencies).pk
            province_id = home.get(agency_id)
            if province_id is None or rng.random() < 0.2:
                province_id = rng.choice(ctx.provinces).pk
            anonymous = rng.random() < 0.15
            citizen = None if anonymous or rng.random() < 0.6 else rng.choice(ctx.citizens)
            contact = _pick(
                rng,
                [
                    (f"complainant{i + 1}@example.org", 55),
                    (f"08{rng.randrange(10**8):08d}", 30),
                    ("", 15),
                ],
            )
            token = "".join(rng.choices(TRACKING_ALPHABET, k=12))
            route_by = days.route_by(timezone.localdate(received))
            g = Grievance(
                tracking_id=_tracking_id(rng, received, taken),
                kind=kind,
                title=rng.choice(GRIEVANCE_TITLES[kind]),
                body=GRIEVANCE_BODY,
                occurred_on=timezone.localdate(received) - rng.randint(0, 30) * DAY,
                province_id=province_id,
                agency_id=agency_id,
                agreement=agreement,
                anonymous=anonymous,
                confidential=not anonymous and rng.random() < 0.1,
                name="" if anonymous else f"ผู้ร้องเรียน {i + 1}",
                contact=contact,
                citizen=citizen,
                citizen_token_hash=grievance_rules.token_hash(token),
                status=GS.RECEIVED,
                received_at=received,
                route_by=route_by,
                escalate_on=days.escalate_on(route_by),
            )
            target = last_open.get(agency_id)
            officer = ctx.officers[agency_id]
            messages = _grievance_story(rng, now, g, officer, days, target is not None)
            _erase(g, messages, now, keep)
            if g.closing != Grievance.Closing.MERGED:
                target = None
                if g.status != GS.REJECTED:
                    last_open[agency_id] = i
            yield g, messages, target

    pks, merged, written = [], [], 0
    for chunk in batched(rows(), CHUNK):
        Grievance.objects.bulk_create([g for g, _m, _t in chunk], batch_size=BATCH)
        pks += [g.pk for g, _m, _t in chunk]
        merged += [(g, t) for g, _m, t in chunk if t is not None]
        for g, messages, _t in chunk:
            for m in messages:
                m.grievance = g
        written += _write(GrievanceMessage, (m for _g, messages, _t in chunk for m in messages))
    for g, target in merged:
        g.merged_into_id = pks[target]
    Grievance.objects.bulk_update([g for g, _t in merged], ["merged_into"], batch_size=BATCH)
    ctx.log(f"{len(pks):,} grievances with {written:,} messages")
    return {"grievances": len(pks), "grievance messages": written}


# --- provincial networks -----------------------------------------------------------------


@transaction.atomic
def _networks(ctx):
    """A network in each province a budget round is sized for (all 77 at the national
    scale), run by an officer of an agency there, with organisations, agencies and people
    as members; six in ten appointed by the governor's order."""
    rng, now, MS = ctx.rng, ctx.now, NetworkMember.Status
    officer_in = {}
    for agency in ctx.agencies:
        officer_in.setdefault(agency.province_id, ctx.officers[agency.pk])
    provinces = ctx.provinces[: min(len(ctx.provinces), ctx.sizes.budget_rounds)]
    networks = {}
    for province in provinces:
        created = now - rng.randint(200, 900) * DAY
        appointed = rng.random() < 0.6
        order_date = timezone.localdate(created) + rng.randint(30, 120) * DAY
        networks[province.pk] = Network(
            province=province,
            manager=officer_in.get(province.pk, ctx.admin),
            status=Network.Status.APPOINTED if appointed else Network.Status.FORMING,
            order_number=f"{rng.randint(100, 9999)}/{order_date.year + BE_OFFSET}"
            if appointed
            else "",
            order_date=order_date if appointed else None,
            created_at=created,
        )
    Network.objects.bulk_create(networks.values(), batch_size=BATCH)
    approved = [c for c in ctx.csos if c.status == CSO.Status.APPROVED and c.pk in ctx.members]
    people = list(Sector.values)
    members = []
    for network in networks.values():
        manager = network.manager
        mine = [
            NetworkMember(
                network=network,
                kind=NetworkMember.Kind.PERSON,
                name=manager.display_name(),
                sector=Sector.GOVERNMENT if manager.agency_id else Sector.CIVIL_SOCIETY,
                role=NetworkMember.Role.MANAGER,
                account=manager,
                status=MS.CERTIFIED,
                resources=[Resource.AUTHORITY, Resource.STAFF],
                applied_at=network.created_at,
                certified_at=network.created_at,
            )
        ]
        for cso in rng.sample(approved, min(len(approved), rng.randint(8, 30))):
            mine.append(
                NetworkMember(
                    kind=NetworkMember.Kind.ORGANISATION,
                    name=cso.name_th,
                    sector=Sector.CIVIL_SOCIETY,
                    cso=cso,
                    account=ctx.members[cso.pk],
                )
            )
        for agency in rng.sample(ctx.agencies, min(len(ctx.agencies), rng.randint(2, 6))):
            mine.append(
                NetworkMember(
                    kind=NetworkMember.Kind.ORGANISATION,
                    name=agency.name_th,
                    sector=Sector.GOVERNMENT,
                    agency_id=agency.pk,
                )
            )
        for person in rng.sample(ctx.citizens, min(len(ctx.citizens), rng.randint(3, 15))):
            mine.append(
                NetworkMember(
                    kind=NetworkMember.Kind.PERSON,
                    name=person.display_name(),
                    sector=rng.choice(people),
                    account=person,
                )
            )
        for m in mine[1:]:
            m.network = network
            m.resources = sorted(rng.sample(Resource.values, rng.randint(1, 3)))
            m.applied_at = _between(rng, network.created_at, now)
            m.status = _pick(rng, [(MS.CERTIFIED, 75), (MS.APPLIED, 15), (MS.ENDED, 10)])
            if m.status != MS.APPLIED:
                m.certified_at = min(m.applied_at + rng.randint(3, 30) * DAY, now)
            if m.status == MS.CERTIFIED:
                m.term_ends = ctx.today + rng.randint(30, 720) * DAY
                if rng.random() < 0.1:
                    m.role = NetworkMember.Role.CONNECTOR
        network.member_count = sum(m.status == MS.CERTIFIED for m in mine)
        members += mine
    NetworkMember.objects.bulk_create(members, batch_size=BATCH)
    Network.objects.bulk_update(networks.values(), ["member_count"], batch_size=BATCH)
    ctx.log(f"{len(networks):,} provincial networks with {len(members):,} members")
    return networks, {"networks": len(networks), "network members": len(members)}


# --- consultations -----------------------------------------------------------------------


def _consultation(rng, i, agency, mission, officer, now):
    status = _pick(rng, CONSULTATION_STATUSES)
    CS = Consultation.Status
    if status == CS.DRAFT:
        opens = now + rng.randint(5, 30) * DAY
        closes = opens + rng.randint(30, 60) * DAY
        created = now - rng.randint(1, 10) * DAY
    elif status == CS.PUBLISHED:
        opens = now - rng.uniform(1, 40) * DAY
        closes = now + rng.uniform(3, 45) * DAY
        created = opens - rng.randint(3, 20) * DAY
    else:
        closes = now - rng.uniform(1 if status == CS.CLOSED else 60, 900) * DAY
        opens = closes - rng.randint(30, 60) * DAY
        created = opens - rng.randint(3, 20) * DAY
    closed = closes + datetime.timedelta(minutes=rng.randint(1, 30))  # by the beat's sweep
    subject = rng.choice(SUBJECTS)
    return Consultation(
        agency=agency,
        mission=mission if rng.random() < 0.5 else None,
        province_id=agency.province_id if rng.random() < 0.4 else None,
        topic=rng.choice(ServiceCategory.values),
        title=f"รับฟังความคิดเห็น: {subject} ครั้งที่ {i + 1}",
        summary=f"หน่วยงานขอความเห็นของประชาชนต่อ{subject} เพื่อปรับแผนก่อนดำเนินการ",
        background="สรุปสถานการณ์ ข้อมูลพื้นฐาน และทางเลือกที่หน่วยงานพิจารณาอยู่",
        status=status,
        audience=_pick(
            rng, [(Consultation.Audience.EVERYONE, 70), (Consultation.Audience.CITIZENS, 30)]
        ),
        moderation=_pick(
            rng, [(Consultation.Moderation.POST, 80), (Consultation.Moderation.PRE, 20)]
        ),
        opens_at=opens,
        closes_at=closes,
        created_by=officer,
        created_at=created,
        published_at=opens if status != CS.DRAFT else None,
        closed_at=closed if status in {CS.CLOSED, CS.REPORTED} else None,
        reported_at=min(closed + rng.randint(14, 60) * DAY, now) if status == CS.REPORTED else None,
    )


def _answers(rng, questions):
    answers = {}
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            if q.required or rng.random() < 0.5:
                answers[str(q.pk)] = rng.choice(IDEAS)
        elif q.kind == Question.Kind.SINGLE:
            answers[str(q.pk)] = rng.choice(q.options)
        elif q.kind == Question.Kind.MULTIPLE:
            chosen = set(rng.sample(q.options, rng.randint(1, len(q.options))))
            answers[str(q.pk)] = [o for o in q.options if o in chosen]
        elif q.kind == Question.Kind.SCALE:
            answers[str(q.pk)] = rng.randint(1, 5)
        else:
            answers[str(q.pk)] = rng.sample(q.options, len(q.options))
    return answers


@transaction.atomic
def _consultations(ctx):
    """``sizes.consultations`` consultations across the agencies (most of them closed, a
    quarter open, a few drafts), each with its questions; answers (a fifth as many as the
    contributions, one per citizen and consultation) and ``sizes.contributions``
    contributions with replies and agree/disagree reactions, unevenly spread; themes on the
    closed ones and the response report with a decision per theme on the reported ones."""
    rng, now, CS = ctx.rng, ctx.now, Consultation.Status
    missions = _missions_by_agency(ctx)
    consultations = []
    for i in range(ctx.sizes.consultations):
        agency = ctx.agencies[i % len(ctx.agencies)]
        consultations.append(
            _consultation(rng, i, agency, missions.get(agency.pk), ctx.officers[agency.pk], now)
        )
    Consultation.objects.bulk_create(consultations, batch_size=BATCH)
    questions = defaultdict(list)
    for c in consultations:
        kinds = [Question.Kind.TEXT, *rng.sample(list(QUESTIONS), rng.randint(1, 3))]
        for position, kind in enumerate(kinds, 1):
            text, options = QUESTIONS.get(kind, (TEXT_QUESTION, []))
            questions[c.pk].append(
                Question(
                    consultation=c,
                    position=position,
                    kind=kind,
                    text=text,
                    options=options,
                    required=position == 1,
                )
            )
    Question.objects.bulk_create(
        [q for c in consultations for q in questions[c.pk]], batch_size=BATCH
    )
    themes = {
        c.pk: [Theme(consultation=c, name=name) for name in rng.sample(THEMES, 3)]
        for c in consultations
        if c.status in {CS.CLOSED, CS.REPORTED}
    }
    Theme.objects.bulk_create([t for mine in themes.values() for t in mine], batch_size=BATCH)
    reports = {
        c.pk: ResponseReport(
            consultation=c,
            introduction="สิ่งที่เราได้ยินจากประชาชน และสิ่งที่หน่วยงานจะทำต่อไป",
            updated_at=c.reported_at,
        )
        for c in consultations
        if c.status == CS.REPORTED
    }
    ResponseReport.objects.bulk_create(reports.values(), batch_size=BATCH)
    decisions = {  # theme pk -> its decision
        t.pk: Decision(
            report=report,
            theme=t,
            heard=f"ผู้เข้าร่วมจำนวนมากให้ความสำคัญกับ{t.name}",
            outcome=rng.choice(Decision.Outcome.values),
            action="หน่วยงานจะนำไปปรับแผนและรายงานความคืบหน้าทุกไตรมาส",
            position=position,
        )
        for pk, report in reports.items()
        for position, t in enumerate(themes[pk], 1)
    }
    Decision.objects.bulk_create(decisions.values(), batch_size=BATCH)

    public = [c for c in consultations if c.status != CS.DRAFT]
    n = len(ctx.citizens)
    answered = _spread(rng, ctx.sizes.contributions // 5, len(public), n)
    said = _spread(rng, ctx.sizes.contributions, len(public), ctx.sizes.contributions)
    counts = Counter()
    plans = []
    for c, responses, contributions in zip(public, answered, said, strict=True):
        end = min(c.closes_at, now)
        c.response_count = _write_responses(ctx, c, questions[c.pk], responses, end)
        counts["consultation responses"] += responses
        plans.append((c, end, contributions))
        if sum(p[2] for p in plans) >= CHUNK:
            counts += _write_contributions(ctx, plans, questions, themes, decisions)
            plans = []
    counts += _write_contributions(ctx, plans, questions, themes, decisions)
    Consultation.objects.bulk_update(
        public, ["response_count", "contribution_count"], batch_size=BATCH
    )
    ctx.log(
        f"{len(consultations):,} consultations, {counts['contributions']:,} contributions, "
        f"{counts['reactions']:,} reactions"
    )
    return {
        "consultations": len(consultations),
        "consultation questions": sum(len(q) for q in questions.values()),
        "consultation responses": counts["consultation responses"],
        "contributions": counts["contributions"],
        "reactions": counts["reactions"],
        "themes": sum(len(t) for t in themes.values()),
        "decisions": len(decisions),
    }


def _write_responses(ctx, c, questions, count, end) -> int:
    """``count`` citizens' answers to ``c`` (a few still drafts while it is open); returns
    how many were sent."""
    rng = ctx.rng
    rows = []
    for index in rng.sample(range(len(ctx.citizens)), count):
        at = _between(rng, c.opens_at, end)
        sent = c.status != Consultation.Status.PUBLISHED or rng.random() < 0.95
        rows.append(
            Response(
                consultation=c,
                respondent=ctx.citizens[index],
                respondent_type=Contribution.AuthorType.CITIZEN,
                status=Response.Status.SENT if sent else Response.Status.DRAFT,
                answers=_answers(rng, questions),
                saved_at=at,
                sent_at=at if sent else None,
            )
        )
    Response.objects.bulk_create(rows, batch_size=BATCH)
    return sum(r.status == Response.Status.SENT for r in rows)


def _contribution(rng, c, citizens, author, when, **fields):
    """A citizen's post, shown (or held, or hidden) as the consultation's moderation has it,
    with the agree/disagree reactions other citizens gave it (to write once it has a pk)."""
    status = Contribution.Status.VISIBLE
    held = c.moderation == Consultation.Moderation.PRE and c.status == Consultation.Status.PUBLISHED
    if held and rng.random() < 0.1:
        status = Contribution.Status.HELD
    elif rng.random() < 0.01:
        status = Contribution.Status.HIDDEN
    reactions = []
    if status == Contribution.Status.VISIBLE:
        wanted = min(int(rng.expovariate(1.0)), len(citizens) - 1)
        others = [p for p in rng.sample(range(len(citizens)), wanted + 1) if p != author]
        reactions = [
            (
                citizens[p].pk,
                Reaction.Value.AGREE if rng.random() < 0.65 else Reaction.Value.DISAGREE,
            )
            for p in others[:wanted]
        ]
    person = citizens[author]
    row = Contribution(
        consultation=c,
        author=person,
        author_name=person.display_name() if rng.random() < 0.5 else "",
        author_type=Contribution.AuthorType.CITIZEN,
        status=status,
        hidden_reason=rng.choice(Contribution.HiddenReason.values)
        if status == Contribution.Status.HIDDEN
        else "",
        agree_count=sum(v == Reaction.Value.AGREE for _p, v in reactions),
        disagree_count=sum(v == Reaction.Value.DISAGREE for _p, v in reactions),
        created_at=when,
        **fields,
    )
    return row, reactions


def _write_contributions(ctx, plans, questions, themes, decisions) -> Counter:
    """The contributions of a few consultations: ideas and questions first (some tagged with
    a theme and linked to its decision), then the arguments for and against that reply to
    the visible ones, then everyone's reactions."""
    rng, citizens, now, CK = ctx.rng, ctx.citizens, ctx.now, Contribution.Kind
    tops, replies, reactions = [], [], []
    for c, end, count in plans:
        mine = []
        for _i in range(count - count * 2 // 5):
            kind = _pick(rng, [(CK.IDEA, 80), (CK.QUESTION, 20)])
            when = _between(rng, c.opens_at, end)
            row, theirs = _contribution(
                rng,
                c,
                citizens,
                rng.randrange(len(citizens)),
                when,
                kind=kind,
                text=rng.choice(IDEAS),
                question=rng.choice(questions[c.pk]) if rng.random() < 0.85 else None,
            )
            mine.append(row)
            reactions.append(theirs)
        tops += mine
        shown = [t for t in mine if t.status == Contribution.Status.VISIBLE]
        for _i in range(count - len(mine) if shown else 0):
            parent = rng.choice(shown)
            kind = _pick(rng, [(CK.PRO, 45), (CK.CON, 35), (CK.QUESTION, 20)])
            replies.append(
                (
                    c,
                    parent,
                    kind,
                    _between(rng, parent.created_at, end),
                    rng.randrange(len(citizens)),
                )
            )
        c.contribution_count = 0
    Contribution.objects.bulk_create(tops, batch_size=BATCH)
    reply_rows = []
    for c, parent, kind, when, author in replies:
        row, theirs = _contribution(
            rng,
            c,
            citizens,
            author,
            when,
            kind=kind,
            text=rng.choice(REPLIES[kind]),
            question=parent.question,
            parent=parent,
        )
        reply_rows.append(row)
        reactions.append(theirs)
    Contribution.objects.bulk_create(reply_rows, batch_size=BATCH)
    written = tops + reply_rows
    by_pk = {c.pk: c for c, _end, _count in plans}
    for row in written:
        by_pk[row.consultation_id].contribution_count += row.status == Contribution.Status.VISIBLE
    reacted = _write(
        Reaction,
        (
            Reaction(
                contribution=row,
                person_id=person,
                value=value,
                at=_between(rng, row.created_at, min(row.consultation.closes_at, now)),
            )
            for row, theirs in zip(written, reactions, strict=True)
            for person, value in theirs
        ),
    )
    tagged, linked = [], []
    for row in tops:
        mine = themes.get(row.consultation_id)
        if mine and row.status == Contribution.Status.VISIBLE and rng.random() < 0.3:
            theme = rng.choice(mine)
            tagged.append(Contribution.themes.through(contribution_id=row.pk, theme_id=theme.pk))
            if theme.pk in decisions and rng.random() < 0.5:
                decision = decisions[theme.pk]
                linked.append(
                    Decision.contributions.through(decision_id=decision.pk, contribution_id=row.pk)
                )
    Contribution.themes.through.objects.bulk_create(tagged, batch_size=BATCH)
    Decision.contributions.through.objects.bulk_create(linked, batch_size=BATCH)
    return Counter(contributions=len(written), reactions=reacted)


# --- participatory budgets ---------------------------------------------------------------


@transaction.atomic
def _budgets(ctx, networks):
    """A round in each of the first ``sizes.budget_rounds`` provinces, run by an agency there
    with the province's network, with 10–20 projects; ``sizes.ballots`` ballots (one per
    citizen and round, so at most citizens × rounds) in the voting and closed rounds, each
    approving projects that fit the envelope; the closed rounds counted by the round's rule."""
    rng, now = ctx.rng, ctx.now
    agency_in = {}
    for agency in ctx.agencies:
        agency_in.setdefault(agency.province_id, agency)
    missions = _missions_by_agency(ctx)
    provinces = ctx.provinces[: min(len(ctx.provinces), ctx.sizes.budget_rounds)]
    statuses = [ROUND_STATUSES[i % len(ROUND_STATUSES)] for i in range(len(provinces))]
    voting = {BudgetRound.Status.VOTING, BudgetRound.Status.CLOSED}
    n = len(ctx.citizens)
    shares = iter(_spread(rng, ctx.sizes.ballots, sum(s in voting for s in statuses), n))
    rounds, projects, votes_open = [], {}, {}
    for province, status in zip(provinces, statuses, strict=True):
        agency = agency_in.get(province.pk, ctx.agencies[0])
        created = now - rng.uniform(*ROUND_AGE[status]) * DAY
        closed = status == BudgetRound.Status.CLOSED
        envelope = rng.randrange(5, 31) * 1_000_000
        r = BudgetRound(
            owner_agency=agency,
            network=networks.get(province.pk),
            title=f"งบประมาณแบบมีส่วนร่วม {province.name_th} "
            f"ปี {timezone.localdate(created).year + BE_OFFSET}",
            description="ประชาชนเสนอโครงการและลงคะแนนเลือกโครงการที่ใช้งบประมาณไม่เกินวงเงิน",
            envelope=Decimal(envelope),
            tie_break=rng.choice(BudgetRound.TieBreak.values),
            status=status,
            ballot_count=next(shares) if status in voting else 0,
            created_by=ctx.officers[agency.pk],
            created_at=created,
            closed_at=created + rng.randint(100, 120) * DAY if closed else None,
        )
        rounds.append(r)
        votes_open[id(r)] = created + 60 * DAY
        ideas_end = min(created + 30 * DAY, now)
        made = sorted(_between(rng, created, ideas_end) for _i in range(rng.randint(10, 20)))
        projects[id(r)] = [
            BudgetProject(
                round=r,
                title=f"{rng.choice(BUDGET_PROJECTS)} หมู่ {rng.randint(1, 15)}",
                description="โครงการที่ประชาชนในพื้นที่เสนอ พร้อมกลุ่มผู้ได้รับประโยชน์",
                place=f"หมู่ {rng.randint(1, 15)} {province.name_th}",
                cost=Decimal(rng.randrange(envelope // 25, envelope * 3 // 10, 1000)),
                proposer=rng.choice(ctx.citizens),
                status=_project_status(rng, status, k),
                created_at=at,
            )
            for k, at in enumerate(made)
        ]
        for p in projects[id(r)]:
            if p.status == BudgetProject.Status.INFEASIBLE:
                p.reason = "อยู่นอกอำนาจหน้าที่ของหน่วยงาน หรือที่ดินไม่ใช่ที่สาธารณะ"
    BudgetRound.objects.bulk_create(rounds, batch_size=BATCH)
    BudgetRound.provinces.through.objects.bulk_create(
        BudgetRound.provinces.through(budgetround_id=r.pk, province_id=p.pk)
        for r, p in zip(rounds, provinces, strict=True)
    )
    BudgetProject.objects.bulk_create(
        [p for r in rounds for p in projects[id(r)]], batch_size=BATCH
    )
    ballots = choices = 0
    for r in rounds:
        if r.status not in voting:
            continue
        on_ballot = [p for p in projects[id(r)] if p.status == BudgetProject.Status.FEASIBLE]
        votes = Counter()
        end = r.closed_at or now
        choices += _write_ballots(ctx, r, on_ballot, votes, votes_open[id(r)], end)
        ballots += r.ballot_count
        if r.status == BudgetRound.Status.CLOSED:
            _count_round(rng, r, on_ballot, votes, missions.get(r.owner_agency_id))
    BudgetProject.objects.bulk_update(
        [p for r in rounds for p in projects[id(r)]],
        ["status", "votes", "rank", "mission", "delivery", "delivery_note"],
        batch_size=BATCH,
    )
    ctx.log(f"{len(rounds):,} budget rounds, {ballots:,} ballots choosing {choices:,} projects")
    return rounds, {
        "budget rounds": len(rounds),
        "budget projects": sum(len(p) for p in projects.values()),
        "ballots": ballots,
        "ballot choices": choices,
    }


def _project_status(rng, round_status, k):
    PS = BudgetProject.Status
    if round_status == BudgetRound.Status.PROPOSING:
        return PS.PROPOSED
    if round_status == BudgetRound.Status.REVIEWING:
        return _pick(rng, [(PS.PROPOSED, 40), (PS.FEASIBLE, 45), (PS.INFEASIBLE, 15)])
    if k < 2:  # a round votes on two projects at least
        return PS.FEASIBLE
    return PS.FEASIBLE if rng.random() < 0.8 else PS.INFEASIBLE


def _write_ballots(ctx, r, on_ballot, votes, opens, end):
    """``r.ballot_count`` citizens' ballots, each approving one to five of the projects on
    the ballot (the popular ones more often) whose costs fit the envelope; ``votes`` counts
    each project's approvals. Returns how many approvals were written."""
    rng = ctx.rng
    envelope = int(r.envelope)
    cost = {p.pk: int(p.cost) for p in on_ballot}
    pick = _picker(rng, on_ballot, [rng.lognormvariate(0, 0.7) for _p in on_ballot])
    through = Ballot.projects.through
    chosen = 0
    voters = rng.sample(range(len(ctx.citizens)), r.ballot_count)
    for chunk in batched(voters, CHUNK):
        ballots, picks = [], []
        for index in chunk:
            mine = list(dict.fromkeys(pick(rng.choice([1, 2, 2, 3, 3, 4, 5]))))
            while sum(cost[p.pk] for p in mine) > envelope:
                mine.pop()
            cast = _between(rng, opens, end)
            changed = _between(rng, cast, end) if rng.random() < 0.1 else cast
            ballots.append(
                Ballot(round=r, voter=ctx.citizens[index], cast_at=cast, changed_at=changed)
            )
            picks.append(mine)
        Ballot.objects.bulk_create(ballots, batch_size=BATCH)
        rows = [
            through(ballot_id=b.pk, budgetproject_id=p.pk)
            for b, mine in zip(ballots, picks, strict=True)
            for p in mine
        ]
        through.objects.bulk_create(rows, batch_size=5 * BATCH)
        votes.update(p.pk for mine in picks for p in mine)
        chosen += len(rows)
    return chosen


def _count_round(rng, r, on_ballot, votes, mission):
    """The closed round's result by its rule (agencies.budgets.rules), and how far each
    selected project's delivery has got."""
    PS = BudgetProject.Status
    tally = [Counted(p.pk, p.cost, votes[p.pk], k) for k, p in enumerate(on_ballot)]
    by_pk = {p.pk: p for p in on_ballot}
    for outcome in select_within_envelope(tally, r.envelope, r.tie_break):
        p = by_pk[outcome.pk]
        p.votes, p.rank = votes[p.pk], outcome.rank
        p.status = PS.SELECTED if outcome.selected else PS.NOT_SELECTED
        if outcome.selected:
            p.delivery = rng.choice(BudgetProject.Delivery.values)
            if p.delivery != BudgetProject.Delivery.PLANNED:
                p.mission = mission
                p.delivery_note = "ดำเนินการตามแผน ส่งมอบงานแล้วบางส่วน"


# --- polls -------------------------------------------------------------------------------


@transaction.atomic
def _polls(ctx):
    """A poll per agency (most closed, a third open, a few drafts) with 2–4 options, and a
    tenth as many votes as ballots, one per citizen and poll."""
    rng, now = ctx.rng, ctx.now
    missions = _missions_by_agency(ctx)
    polls, options = [], {}
    for agency in ctx.agencies:
        status = _pick(
            rng, [(Poll.Status.CLOSED, 60), (Poll.Status.OPEN, 30), (Poll.Status.DRAFT, 10)]
        )
        if status == Poll.Status.OPEN:
            opens, closes = now - rng.uniform(1, 20) * DAY, now + rng.uniform(2, 30) * DAY
        elif status == Poll.Status.CLOSED:
            closes = now - rng.uniform(1, 700) * DAY
            opens = closes - rng.randint(7, 30) * DAY
        else:
            opens = now + rng.randint(3, 20) * DAY
            closes = opens + rng.randint(7, 30) * DAY
        question, texts = rng.choice(POLL_QUESTIONS)
        poll = Poll(
            agency=agency,
            mission=missions.get(agency.pk) if rng.random() < 0.5 else None,
            question=question,
            opens_at=opens,
            closes_at=closes,
            show_results=rng.choice(Poll.ShowResults.values),
            status=status,
            created_by=ctx.officers[agency.pk],
            created_at=min(opens, now) - rng.randint(1, 10) * DAY,
        )
        polls.append(poll)
        options[id(poll)] = [
            PollOption(poll=poll, position=k, text=text) for k, text in enumerate(texts, 1)
        ]
    Poll.objects.bulk_create(polls, batch_size=BATCH)
    PollOption.objects.bulk_create([o for p in polls for o in options[id(p)]], batch_size=BATCH)
    asked = [p for p in polls if p.status != Poll.Status.DRAFT]
    shares = _spread(rng, ctx.sizes.ballots // 10, len(asked), len(ctx.citizens))

    def votes():
        for poll, share in zip(asked, shares, strict=True):
            pick = _picker(rng, options[id(poll)], [rng.random() + 0.2 for _o in options[id(poll)]])
            for index in rng.sample(range(len(ctx.citizens)), share):
                yield Vote(
                    poll=poll,
                    option=pick(1)[0],
                    voter=ctx.citizens[index],
                    cast_at=_between(rng, poll.opens_at, min(poll.closes_at, now)),
                )

    written = _write(Vote, votes())
    ctx.log(f"{len(polls):,} polls, {written:,} votes")
    return {"polls": len(polls), "poll votes": written}


# --- public meetings ---------------------------------------------------------------------


@transaction.atomic
def _meetings(ctx):
    """A public meeting per agency: most held (with minutes and who came), some open for
    registration, a few cancelled or drafts; registrations up to the room's places, then a
    waiting list."""
    rng, now = ctx.rng, ctx.now
    missions = _missions_by_agency(ctx)
    province = {p.pk: p for p in ctx.provinces}
    MS = Meeting.Status
    meetings = []
    for i, agency in enumerate(ctx.agencies):
        status = _pick(rng, MEETING_STATUSES)
        past = status == MS.HELD or (status == MS.CANCELLED and rng.random() < 0.5)
        day = ctx.today + (-rng.randint(1, 600) if past else rng.randint(3, 60)) * DAY
        starts = _at(day, rng.choice([9, 13]))
        kind = rng.choice(Meeting.Kind.values)
        online = rng.random() < 0.3
        place = province.get(agency.province_id)
        meetings.append(
            Meeting(
                agency=agency,
                mission=missions.get(agency.pk) if rng.random() < 0.6 else None,
                kind=kind,
                title=f"{MEETING_TITLES[kind]} ครั้งที่ {i + 1}",
                description="ชี้แจงข้อมูลและรับฟังความคิดเห็นของประชาชนในพื้นที่",
                starts_at=starts,
                ends_at=starts + rng.choice([2, 3, 4]) * HOUR,
                place="" if online else f"ห้องประชุมศาลากลางจังหวัด{place.name_th if place else ''}",
                online_url=f"https://meet.example.org/bench-{i + 1}" if online else "",
                capacity=rng.choice([20, 30, 50, 80, 100, 150, 200]),
                status=status,
                minutes="สรุปประเด็นที่ผู้เข้าร่วมเสนอ และข้อตกลงของที่ประชุม" if status == MS.HELD else "",
                created_by=ctx.officers[agency.pk],
                created_at=min(starts, now) - rng.randint(10, 40) * DAY,
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)

    def registrations():
        RS = Registration.Status
        for m in meetings:
            if m.status == MS.DRAFT:
                continue
            full = rng.random() < 0.3
            taken = m.capacity if full else int(m.capacity * rng.uniform(0.2, 0.95))
            waiting = rng.randint(1, 10) if full else 0
            count = min(len(ctx.citizens), taken + waiting + rng.randint(0, 5))
            end = min(m.starts_at, now)
            for k, index in enumerate(rng.sample(range(len(ctx.citizens)), count)):
                status = RS.REGISTERED if k < taken else RS.WAITING
                if k >= taken + waiting:
                    status = RS.CANCELLED
                needs = [rng.choice(Registration.Need.values)] if rng.random() < 0.1 else []
                yield Registration(
                    meeting=m,
                    person=ctx.citizens[index],
                    status=status,
                    needs=needs,
                    registered_at=_between(rng, m.created_at, end),
                    attended=rng.random() < 0.8
                    if m.status == MS.HELD and status == RS.REGISTERED
                    else None,
                )

    written = _write(Registration, registrations())
    ctx.log(f"{len(meetings):,} meetings, {written:,} registrations")
    return {"meetings": len(meetings), "meeting registrations": written}


# --- citizens' assemblies ----------------------------------------------------------------


@transaction.atomic
def _assemblies(ctx, rounds):
    """One citizens' assembly for every ten budget rounds, run by a round's agency (and on
    its round, for half of them): volunteers with the quotas' traits, the draw done by
    ``sortition.draw`` as the portal does it, sessions, and answered recommendations."""
    rng, now, Answer = ctx.rng, ctx.now, AssemblyRecommendation.Answer
    n = len(ctx.citizens)
    assemblies, volunteers, sessions, recommendations = [], [], [], []
    for i in range(max(1, ctx.sizes.budget_rounds // 10)):
        budget_round = rounds[i % len(rounds)] if rounds else None
        agency = budget_round.owner_agency if budget_round else ctx.agencies[0]
        seats = rng.choice([24, 30, 40, 50])
        women = seats // 2
        young, middle = seats // 3, seats // 3
        quotas = {
            Characteristic.GENDER: {"หญิง": women, "ชาย": seats - women},
            Characteristic.AGE_BAND: {
                "18–34": young,
                "35–54": middle,
                "55 ขึ้นไป": seats - young - middle,
            },
        }
        status = ASSEMBLY_STATUSES[i % len(ASSEMBLY_STATUSES)]
        pool = min(n, seats * rng.randint(3, 6))
        if pool < seats + seats // 5:
            status = Assembly.Status.RECRUITING  # too few citizens to draw from
        recruiting = status == Assembly.Status.RECRUITING
        created = now - (rng.randint(5, 30) if recruiting else rng.randint(200, 400)) * DAY
        a = Assembly(
            owner_agency=agency,
            title=f"สมัชชาพลเมือง {agency.name_th} ครั้งที่ {i + 1}",
            purpose="ควรจัดลำดับความสำคัญของบริการสาธารณะในจังหวัดอย่างไร",
            budget_round=budget_round if rng.random() < 0.5 else None,
            seats=seats,
            reserves=seats // 5,
            quotas=quotas,
            status=status,
            volunteer_count=pool,
            created_by=ctx.officers[agency.pk],
            created_at=created,
        )
        drawn = None if recruiting else created + 45 * DAY
        mine = [
            Volunteer(
                assembly=a,
                person=ctx.citizens[index],
                number=number,
                traits={c: rng.choice(list(values)) for c, values in quotas.items()},
                created_at=_between(rng, created, drawn or now),
            )
            for number, index in enumerate(rng.sample(range(n), pool), 1)
        ]
        if drawn:
            _draw(rng, a, mine, drawn)
        if status in {Assembly.Status.MEETING, Assembly.Status.REPORTED}:
            first = timezone.localdate(drawn) + 14 * DAY
            for k in range(rng.randint(3, 6)):
                sessions.append(
                    Session(
                        assembly=a,
                        held_on=min(first + 14 * k * DAY, ctx.today),
                        summary="ผู้เชี่ยวชาญให้ข้อมูล สมาชิกอภิปรายเป็นกลุ่มย่อยและสรุปข้อเสนอ",
                    )
                )
            made = min(first + 90 * DAY, ctx.today)
            for k in range(rng.randint(3, 6)):
                answered = status == Assembly.Status.REPORTED or k % 2 == 0
                recommendations.append(
                    AssemblyRecommendation(
                        assembly=a,
                        text=f"ข้อเสนอที่ {k + 1}: ให้หน่วยงานจัดสรรงบประมาณแก่บริการที่ขาดแคลน",
                        made_on=made,
                        answer=rng.choice(ANSWERED) if answered else Answer.PENDING,
                        explanation="หน่วยงานพิจารณาแล้วตามเหตุผลที่แจ้งไว้" if answered else "",
                        answered_on=min(made + rng.randint(7, 45) * DAY, ctx.today)
                        if answered
                        else None,
                    )
                )
        assemblies.append(a)
        volunteers += mine
    Assembly.objects.bulk_create(assemblies, batch_size=BATCH)
    Volunteer.objects.bulk_create(volunteers, batch_size=BATCH)
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    AssemblyRecommendation.objects.bulk_create(recommendations, batch_size=BATCH)
    ctx.log(f"{len(assemblies):,} citizens' assemblies, {len(volunteers):,} volunteers")
    return {"assemblies": len(assemblies), "assembly volunteers": len(volunteers)}


def _draw(rng, a, volunteers, drawn):
    """The draw as ``agencies.assemblies.services.draw`` makes it, from a published seed."""
    snapshot = [{"number": v.number, "traits": v.traits} for v in volunteers]
    seed = f"{rng.getrandbits(128):032x}"
    result = sortition.draw(
        snapshot, seed=seed, seats=a.seats, reserves=a.reserves, quotas=a.quotas
    )
    members, reserves = set(result.members), {n: k for k, n in enumerate(result.reserves, 1)}
    for v in volunteers:
        if v.number in members:
            v.status = Volunteer.Status.MEMBER
        elif v.number in reserves:
            v.status, v.reserve_rank = Volunteer.Status.RESERVE, reserves[v.number]
        else:
            v.status = Volunteer.Status.NOT_DRAWN
    a.seed, a.snapshot, a.snapshot_hash = seed, snapshot, result.snapshot_hash
    a.unmet, a.drawn_at = result.unmet, drawn
