"""Every page, as every role that can see it, on a phone 390 px wide (issue 12, item 3): no
page scrolls sideways, the inputs are big enough to tap, and axe finds nothing serious on a
sample of them.

The pages are not listed by hand: the test walks the URL resolver (the site's URLconf
includes every app's routes), leaves out the API, the Django admin and file downloads, and
fills each page's arguments from ``SAMPLE_KWARGS`` with the objects built once below. A new
page whose arguments the test cannot fill makes it fail, naming the page. A page is visited
as each role; one the role may not see (403, 404, the sign-in page) is passed over for that
role, and one that answers a GET with 405 is an action (POST only), not a page.
"""

import time

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.browser.conftest import CHROMIUM_ARGS, _chromium_path
from tests.helpers import unavailable

from .helpers import assert_accessible

WIDTH, HEIGHT = 390, 844
MIN_TAP = 44  # px: the smallest height of a text input, a select or a button

# health/ is the operators' probe (503 until the first sweep), not a page for people.
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "health/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".xml")

# Pages axe-core also checks at 390 px (name, role): the wide tables and long forms.
AXE_SAMPLE = {
    ("agreement-detail", "cso_member"),
    ("agreement-detail", "agency_officer"),
    ("call-ranking", "agency_officer"),
    ("proposal-part", "cso_member"),
    ("registration-part", "cso_member_registering"),
    ("review-detail", "committee_reviewer"),
    ("proposal-review", "evaluator"),
    ("directory", "anonymous"),
}

# Every page with arguments: a function from the objects the test built to the keyword
# arguments of one or more pages to visit.
SAMPLE_KWARGS = {
    "mission-detail": lambda d: {"pk": d["open_call"].mission_id},
    "mission-edit": lambda d: {"pk": d["open_call"].mission_id},
    "call-create": lambda d: {"mission_pk": d["open_call"].mission_id},
    "call-detail": lambda d: [{"pk": d["open_call"].pk}, {"pk": d["ranked_call"].pk}],
    "call-edit": lambda d: [{"pk": d["draft_call"].pk}, {"pk": d["open_call"].pk}],
    "call-publish": lambda d: {"pk": d["draft_call"].pk},
    "call-close": lambda d: {"pk": d["open_call"].pk},
    "call-cancel": lambda d: {"pk": d["open_call"].pk},
    "call-evaluators": lambda d: {"pk": d["open_call"].pk},
    "call-ranking": lambda d: {"pk": d["ranked_call"].pk},
    "agreement-detail": lambda d: [{"pk": a.pk} for a in d["agreements"]],
    "agreement-design": lambda d: {"pk": d["commissioning"].pk},
    "agreement-award": lambda d: {"pk": d["selected"].pk},
    "agreement-document": lambda d: {"pk": d["grant"].pk},
    "tranche-payment-order": lambda d: {"pk": d["contract"].pk, "seq": 1},
    "settlement-statement": lambda d: {"pk": d["contract"].pk},
    "report-detail": lambda d: [{"pk": r.agreement_id, "seq": r.seq} for r in d["reports"]],
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
    "certificate-verify-number": lambda d: [
        {"number": d["cso"].certificate_number or "NCCS-2569-000001"},
        {"number": "NO-SUCH-NUMBER"},
    ],
    "notice-open": lambda d: {"pk": d["notice"].pk},
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
}


def page_patterns():
    """(name, route) of every named page of the site: the API, the admin and the language
    switch left out. A route with a file suffix is a download, not a page."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif (
                isinstance(entry, URLPattern)
                and entry.name
                and not route.endswith(DOWNLOAD_SUFFIXES)
            ):
                found.append((entry.name, route, "<" in route))

    walk(get_resolver().url_patterns, "")
    return found


def build_data():
    """One of everything worth seeing, each got to its state through the real services."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.evaluations import services as evaluation_services
    from assessments.evaluations.models import Evaluation
    from contracts.agreements import services as agreement_services
    from contracts.agreements.models import ProgressReport
    from contracts.calls import services as call_services
    from contracts.proposals import rules as proposal_rules
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
    submitted_call = f.CallFactory(officer=officer)
    submitted = f.ProposalFactory(call=submitted_call, cso=cso, member=member, status="submitted")
    selected = f.selected_proposal(call=f.CallFactory(officer=officer))

    def awarded(instrument):
        return f.award(call=f.CallFactory(officer=officer, instrument=instrument), cso=cso)

    grant = awarded("grant")  # active, its first tranche waiting to be released
    contract = awarded("performance_contract")
    commissioning = awarded("commissioning")
    first = contract.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=first, officer=officer)
    later = timezone.localdate() + timedelta(days=3700)
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
    return {
        "roles": {
            "anonymous": None,
            "cso_member": member,
            "cso_member_registering": returned.members.get(),
            "agency_officer": officer,
            "committee_reviewer": f.ReviewerFactory(),
            "evaluator": evaluator,
            "staff_admin": f.StaffAdminFactory(),
        },
        "cso": cso,
        "in_review": in_review,
        "open_call": open_call,
        "draft_call": draft_call,
        "ranked_call": ranked_call,
        "ranked": ranked,
        "draft": draft,
        "submitted": submitted,
        "selected": selected,
        "grant": grant,
        "contract": contract,
        "commissioning": commissioning,
        "agreements": [grant, contract, commissioning],
        "reports": reports,
        "evaluations": evaluations,
        "notice": notice,
        "invitation": invitation,
        "invitation_token": invitation_token,
        "survey_code": survey_code,
        "feedback": feedback,
        "proposal_parts": proposal_rules.PARTS,
        "registration_parts": registration_rules.PARTS,
    }


def fill(route: str, kwargs: dict) -> str:
    """The path of ``route`` with ``kwargs`` put in its converters' places."""
    import re

    def value(match):
        return str(kwargs[match.group("name")])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


def urls_to_visit(data):
    """(name, path) of every page; names the pages the test cannot fill, if any."""
    visits, unfilled = [], []
    for name, route, has_args in page_patterns():
        if not has_args:
            visits.append((name, fill(route, {})))
            continue
        if name not in SAMPLE_KWARGS:
            unfilled.append(f"{name} ({route})")
            continue
        sample = SAMPLE_KWARGS[name](data)
        for kwargs in sample if isinstance(sample, list) else [sample]:
            path = fill(route, kwargs)
            if not path.endswith(DOWNLOAD_SUFFIXES):
                visits.append((name, path))
    return visits, unfilled


# Elements reaching past the right edge of the viewport, outermost first, leaving out those
# inside a region that scrolls on its own (a wide table's region) or is clipped.
OFFENDERS_JS = """
(width) => {
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 0.5 || clipped(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body &&
        parent.getBoundingClientRect().right > width + 0.5 && !clipped(parent)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(`${name} right=${Math.round(r.right)}px ` +
      `"${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
  }
  if (out.length) return out.slice(0, 5);
  // No box is too wide, so text spills out of one (a word with no place to break): name the
  // innermost elements whose content reaches past the edge.
  const spills = (el) => !clipped(el) &&
    el.getBoundingClientRect().left + el.scrollWidth > width + 0.5;
  for (const el of document.body.querySelectorAll('*')) {
    if (!spills(el) || [...el.children].some(spills)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    out.push(`${name} with text reaching ` +
      `${Math.round(el.getBoundingClientRect().left + el.scrollWidth)}px ` +
      `"${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}"`);
  }
  return out.slice(0, 5);
}
"""

# Buttons that reach past the screen's edge, even inside a region that scrolls on its own:
# an action must be in view without scrolling sideways.
BUTTONS_OUT_OF_VIEW_JS = """
(width) => {
  const out = [];
  const sel = 'main button, main input[type=submit], main .button, main .button-secondary';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      out.push(`"${(el.textContent || el.value || '').trim().slice(0, 40)}" ` +
        `left=${Math.round(r.left)}px right=${Math.round(r.right)}px`);
    }
  }
  return out.slice(0, 5);
}
"""

# Text inputs, selects and buttons in the main content that are shorter than a fingertip.
SMALL_CONTROLS_JS = """
(min) => {
  const out = [];
  const sel = 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]),' +
              'main select, main textarea, main button, main .button, main .button-secondary';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.height < min - 0.5) {
      out.push(`${el.tagName.toLowerCase()}[name=${el.name || ''}] ` +
        `"${(el.textContent || el.value || '').trim().slice(0, 40)}" ${Math.round(r.height)}px`);
    }
  }
  return out.slice(0, 5);
}
"""


def measure(page):
    """The page's scroll width, what reaches past the edge, the buttons out of view and the
    controls too small to tap, read once the page has settled."""
    from playwright.sync_api import Error

    for attempt in range(3):
        try:
            page.wait_for_load_state()
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            offenders = page.evaluate(OFFENDERS_JS, WIDTH) if scroll_width > WIDTH else []
            return (
                scroll_width,
                offenders,
                page.evaluate(BUTTONS_OUT_OF_VIEW_JS, WIDTH),
                page.evaluate(SMALL_CONTROLS_JS, MIN_TAP),
            )
        except Error:  # the page was still navigating (a redirect); read it again
            if attempt == 2:
                raise


def _session_cookie(user, base_url):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(transactional_db, live_server):
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed.")
    executable = _chromium_path()

    data = build_data()
    visits, unfilled = urls_to_visit(data)
    assert not unfilled, (
        "The phone sweep cannot fill the arguments of these pages; add them to "
        "SAMPLE_KWARGS in tests/browser/test_phone_width.py:\n  " + "\n  ".join(unfilled)
    )

    started = time.monotonic()
    problems, seen, axe_done = [], {}, set()
    post_only = set()  # actions (405 to a GET) and downloads
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for role, user in data["roles"].items():
                context = browser.new_context(
                    base_url=live_server.url,
                    locale="th-TH",
                    viewport={"width": WIDTH, "height": HEIGHT},
                    is_mobile=True,
                    has_touch=True,
                )
                context.set_default_timeout(15_000)
                if user is not None:
                    context.add_cookies([_session_cookie(user, live_server.url)])
                page = context.new_page()
                for name, path in visits:
                    if name in post_only:
                        continue
                    try:
                        response = page.goto(path)
                    except sync_api.Error:  # Chromium shows no page for an empty 405
                        response = context.request.get(path)
                    status = response.status if response else 0
                    if status == 405:
                        post_only.add(name)
                        continue
                    content_type = (response.headers.get("content-type") or "") if response else ""
                    if status == 200 and "text/html" not in content_type:
                        post_only.add(name)  # a file to download, not a page
                        continue
                    if status in (403, 404) or ("/accounts/login/" in page.url and name != "login"):
                        continue
                    where = f"{name} {path} as {role}"
                    if status >= 500:
                        problems.append(f"{where}: answered {status}")
                        continue
                    seen.setdefault(name, set()).add(role)
                    scroll_width, offenders, hidden, small = measure(page)
                    if scroll_width > WIDTH:
                        problems.append(
                            f"{where} (now {page.url}): scrollWidth {scroll_width} > {WIDTH}; "
                            f"widest: {'; '.join(offenders) or '?'}"
                        )
                    if hidden:
                        problems.append(f"{where}: buttons out of view: {'; '.join(hidden)}")
                    if small:
                        problems.append(f"{where}: controls under {MIN_TAP}px: {'; '.join(small)}")
                    if (name, role) in AXE_SAMPLE and (name, role) not in axe_done:
                        axe_done.add((name, role))
                        try:
                            assert_accessible(page, f"{where} at {WIDTH}px")
                        except AssertionError as exc:
                            problems.append(str(exc))
                context.close()
        finally:
            browser.close()
    elapsed = time.monotonic() - started

    never = sorted({name for name, _ in visits} - set(seen) - post_only)
    assert not never, f"No role could open these pages, so the sweep checked none: {never}"
    assert axe_done == AXE_SAMPLE, f"axe did not run on {sorted(AXE_SAMPLE - axe_done)}"
    assert not problems, (
        f"{len(problems)} problem(s) at {WIDTH}px ({elapsed:.0f}s):\n  " + "\n  ".join(problems)
    )
    print(  # noqa: T201 - the report names what was covered, with -s
        f"\n{len(seen)} pages at {WIDTH}px in {elapsed:.0f}s: "
        + ", ".join(f"{n} [{'/'.join(sorted(r))}]" for n, r in sorted(seen.items()))
    )
