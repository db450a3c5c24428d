"""The refusals that name a date read it as people do: in Thai, day, month name and พ.ศ.
year; never an ISO date or a C.E. year (the API's data fields keep ISO dates)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from contracts.agreements import permissions, rules
from contracts.agreements import services as agreement_services
from csos.registration import services as registration_services
from tests.factories import MemberFactory, award
from tests.helpers import at, date_leaks, member_of, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def reads_be(message: str, be_date: str) -> None:
    assert be_date in message, message
    assert date_leaks(message) == [], message


def test_the_settlement_waits_for_the_end_date_named_in_be():
    agreement = award()  # ends 31 December 2027
    allowed, why = permissions.can_state_settlement(
        member_of(agreement), agreement, today=agreement.end_date
    )
    assert not allowed
    reads_be(str(why), "31 ธันวาคม พ.ศ. 2570")


def test_no_end_notice_past_the_end_date_named_in_be():
    agreement = award()  # ends 31 December 2027: notice on 1 November is too late
    allowed, why = permissions.can_give_end_notice(
        officer_of(agreement), agreement, today=datetime.date(2027, 11, 1)
    )
    assert not allowed
    reads_be(str(why), "31 ธันวาคม พ.ศ. 2570")


def test_the_end_notice_refusals_name_their_dates_in_be():
    agreement = award(instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)})
    officer = officer_of(agreement)
    with time_machine.travel(at(2027, 11, 30)):
        with pytest.raises(ValidationError) as short:
            agreement_services.agreement_end_notice(
                agreement=agreement,
                officer=officer,
                end_date=datetime.date(2028, 2, 28),
                reason="ปรับแผนงบประมาณ",
            )
        reads_be(short.value.message_dict["end_date"][0], "29 กุมภาพันธ์ พ.ศ. 2571")
        with pytest.raises(ValidationError) as late:
            agreement_services.agreement_end_notice(
                agreement=agreement,
                officer=officer,
                end_date=datetime.date(2030, 6, 30),
                reason="ปรับแผนงบประมาณ",
            )
        reads_be(late.value.message_dict["end_date"][0], "31 ธันวาคม พ.ศ. 2572")


def test_a_tranche_not_yet_due_names_its_planned_date_in_be():
    agreement = award(terms={"shares": ["60", "40"]})
    second = agreement.tranches.get(seq=2)
    problems = rules.release_problems(second, agreement, today=second.planned_on.replace(day=1))
    planned = [p for p in problems if "งวดเงินนี้กำหนดไว้วันที่" in p]
    assert planned, problems
    reads_be(planned[0], "พ.ศ. 2570")


def test_a_founding_year_in_the_future_is_refused_with_the_be_years():
    with time_machine.travel(at(2027, 5, 1)), pytest.raises(ValidationError) as exc:
        registration_services.cso_create(
            user=MemberFactory(), name_th="กลุ่มทดสอบ", org_form="ngo", founded_year=2030
        )
    reads_be(exc.value.message_dict["founded_year"][0], "พ.ศ. 2570")
    assert "พ.ศ. 2343" in exc.value.message_dict["founded_year"][0]  # 1800, the first
