"""The duplicate funding check (issue 17, item 6): before awarding, the officer sees the
organisation's other agreements from every agency, still running or ended within a year,
with what each shares with the award (days of the period, provinces, target groups, the
field of work), and must confirm having considered them; the audit row keeps which."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.agreements import selectors, services
from portal.audit import audit_history
from tests.factories import (
    CallFactory,
    CSOFactory,
    MissionFactory,
    OfficerFactory,
    award,
    selected_proposal,
)
from tests.helpers import assert_error, fresh, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
BKK = datetime.timezone(datetime.timedelta(hours=7))


def _call(**mission):
    officer = OfficerFactory()
    return CallFactory(officer=officer, mission=MissionFactory(officer=officer, **mission))


def _award_then(when, cso, start, end, **mission):
    """An agreement awarded and signed at ``when`` (the award's dates must lie ahead of it)."""
    with time_machine.travel(when):
        return award(
            call=_call(**mission), cso=cso, start_date=start, end_date=end,
            terms={"considered_funding": True},
        )  # fmt: skip


@pytest.fixture
def cso_with_funding():
    """An organisation with an agreement running through 2027 in Bangkok for bedridden
    older people (another agency), one that ended in 2025 elsewhere, one that ended long
    ago, and an offer it declined."""
    cso = CSOFactory(
        status="approved",
        service_provinces=["10", "50"],
        activity_fields=["social_services", "education_research"],
    )
    running = award(
        call=_call(provinces=["10", "50"], target_groups=["ผู้สูงอายุติดบ้านติดเตียง", "ผู้ดูแล"]),
        cso=cso,
        terms={},
    )
    ended = _award_then(
        datetime.datetime(2025, 1, 10, tzinfo=BKK), cso,
        datetime.date(2025, 2, 1), datetime.date(2026, 3, 31),
        provinces=["50"], target_groups=["เยาวชน"], activity_field="education_research",
    )  # fmt: skip
    old = _award_then(
        datetime.datetime(2023, 1, 10, tzinfo=BKK), cso,
        datetime.date(2023, 2, 1), datetime.date(2024, 12, 31),
    )  # fmt: skip
    declined = award(call=_call(), cso=cso, sign=False, terms={"considered_funding": True})
    services.agreement_decline(
        agreement=declined, user=cso.members.first(), reason="ไม่พร้อมดำเนินการ"
    )
    return cso, running, ended, old


def test_the_award_lists_other_funding_and_needs_the_officers_confirmation(cso_with_funding):
    cso, running, ended, old = cso_with_funding
    proposal = selected_proposal(call=_call(target_groups=["ผู้สูงอายุติดบ้านติดเตียง"]), cso=cso)
    rows = selectors.other_funding(
        proposal, proposal.start_date, proposal.end_date, timezone.localdate()
    )
    assert [row.agreement for row in rows] == [running, ended]  # overlapping first
    first, second = rows
    # 2027-01-01 to 2027-12-31 both: the whole year overlaps.
    assert first.overlap_days == 365 and first.overlaps
    assert first.provinces == ("Bangkok",) and not first.nationwide
    assert first.target_groups == ("ผู้สูงอายุติดบ้านติดเตียง",) and first.same_field
    assert second.overlap_days == 0 and not second.overlaps
    assert second.provinces == () and second.target_groups == () and not second.same_field

    officer = proposal.call.created_by
    with pytest.raises(ValidationError) as refused:
        services.agreement_award(proposal=proposal, officer=officer)
    message = refused.value.message_dict["considered_funding"][0]
    assert "2 other active or recent agreements (1 overlapping this one)" in message
    agreement = services.agreement_award(
        proposal=proposal, officer=officer, considered_funding=True
    )
    row = list(audit_history(agreement))[-1]
    assert row.data["other_funding_considered"] == [
        {"agreement": running.number, "overlaps": True},
        {"agreement": ended.number, "overlaps": False},
    ]


def test_an_organisation_without_other_funding_is_awarded_without_the_question():
    proposal = selected_proposal()
    agreement = services.agreement_award(proposal=proposal, officer=proposal.call.created_by)
    assert agreement.number


def test_the_dates_of_the_award_decide_the_overlap(cso_with_funding):
    cso, running, ended, old = cso_with_funding
    proposal = selected_proposal(call=_call(provinces=[]), cso=cso)  # a nationwide mission
    later = selectors.other_funding(
        proposal, datetime.date(2027, 12, 1), datetime.date(2028, 6, 30), timezone.localdate()
    )
    row = next(r for r in later if r.agreement == running)
    assert row.overlap_days == 31 and row.nationwide


def test_the_check_costs_the_same_queries_however_many_agreements():
    cso = CSOFactory(status="approved", service_provinces=["10", "50"])
    proposal = selected_proposal(call=_call(), cso=cso)

    def queries():
        read = fresh(proposal)  # as a page reads it: its call and mission not yet fetched
        with CaptureQueriesContext(connection) as seen:
            rows = selectors.other_funding(
                read, read.start_date, read.end_date, timezone.localdate()
            )
        return len(seen), len(rows)

    for _ in range(2):
        award(call=_call(), cso=cso, terms={"considered_funding": True})
    two = queries()
    for _ in range(3):
        award(call=_call(provinces=["50"]), cso=cso, terms={"considered_funding": True})
    five = queries()
    assert (two[1], five[1]) == (2, 5)
    assert two[0] == five[0]


def test_api_lists_other_funding_and_the_award_asks_for_the_confirmation(api_as, cso_with_funding):
    cso, running, ended, old = cso_with_funding
    proposal = selected_proposal(call=_call(), cso=cso)
    officer = proposal.call.created_by
    url = f"/api/v1/proposals/{proposal.pk}/other-funding/"
    assert_error(api_as(cso.members.first()).get(url), 403, "permission_denied")
    listed = api_as(officer).get(url)
    assert listed.status_code == 200
    body = listed.json()
    assert [row["agreement"] for row in body] == [running.number, ended.number]
    assert body[0]["overlaps"] is True and body[0]["overlap_days"] == 365
    assert body[0]["agency"] in {running.agency.name_th, running.agency.name_en}
    shifted = api_as(officer).get(url, {"start_date": "2028-02-01", "end_date": "2028-06-30"})
    assert shifted.json()[0]["overlap_days"] == 0
    assert_error(api_as(officer).get(url, {"start_date": "someday"}), 400, "validation_error")
    award_url = f"/api/v1/proposals/{proposal.pk}/award/"
    assert_error(
        api_as(officer).post(award_url, {}, format="json"),
        400,
        "validation_error",
        fields=["considered_funding"],
    )
    made = api_as(officer).post(award_url, {"considered_funding": True}, format="json")
    assert made.status_code == 201, made.content


def test_web_the_award_page_shows_the_other_funding_and_keeps_what_was_typed(
    client, cso_with_funding
):
    cso, running, ended, old = cso_with_funding
    proposal = selected_proposal(call=_call(), cso=cso)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(proposal.call.created_by)
    url = f"/proposals/{proposal.pk}/award/"
    page = text(client.get(url))
    assert "The organisation's other funding" in page
    assert running.number in page and ended.number in page and old.number not in page
    assert "Periods overlap by 365 days" in page and "Target groups: ผู้สูงอายุติดบ้านติดเตียง" in page
    form = {
        "amount": "150000.00", "start_day": "1", "start_month": "1", "start_year": "2027",
        "end_day": "31", "end_month": "12", "end_year": "2027", "scope": "ขอบเขตงาน",
        "terms": "", "report_schedule": "by_period", "report_every_months": "3",
        "shares": "100", "signatory_name": "", "signatory_position": "",
    }  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "confirm you have considered them" in text(refused)
    assert 'value="150000.00"' in refused.content.decode()
    done = client.post(url, {**form, "considered_funding": "on"})
    assert done.status_code == 302
    assert proposal.agreement.amount == 150000
