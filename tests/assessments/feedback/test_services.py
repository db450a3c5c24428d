"""The citizens' feedback services: the charter both sides write and agree, a citizen's
rating (checked, flood-limited, nothing personal kept), the report card's arithmetic and the
moderation of comments."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.feedback import rules, selectors, services
from assessments.feedback.limits import Flooded
from assessments.feedback.models import Charter, FeedbackResponse, Rating
from contracts.agreements import services as agreement_services
from portal.models import AuditLog
from portal.workflow import Conflict, InvalidTransition
from tests import factories
from tests.helpers import fresh

from .conftest import CHARTER

pytestmark = pytest.mark.django_db


def rate(agreement, address="203.0.113.7", comment="", **ratings):
    return services.feedback_submit(
        agreement=agreement,
        ratings=ratings or {"overall": 4},
        comment=comment,
        address=address,
    )


# --- the charter -----------------------------------------------------------------------------


def test_either_side_writes_and_each_side_agrees_then_it_is_public(
    agreement, officer, signatory, plain_member
):
    services.charter_save(agreement=agreement, user=plain_member, **CHARTER)
    services.charter_save(agreement=agreement, user=officer, cost="ไม่มีค่าใช้จ่าย")
    charter = Charter.objects.get(agreement=agreement)
    assert charter.service == CHARTER["service"] and charter.cost == "ไม่มีค่าใช้จ่าย"

    # A member who is not the signatory does not agree for the organisation.
    with pytest.raises(PermissionDenied):
        services.charter_agree(agreement=agreement, user=plain_member)
    charter = services.charter_agree(agreement=agreement, user=officer)
    assert charter.agreed_by_agency == officer and not charter.agreed
    charter = services.charter_agree(agreement=agreement, user=signatory)
    assert charter.agreed_by_cso == signatory and charter.agreed

    actions = list(
        AuditLog.objects.filter(object_id=str(charter.pk), content_type__model="charter")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["charter_edit", "charter_edit", "charter_agree", "charter_agree"]


def test_an_edit_after_agreement_clears_both_sides(agreement, officer, signatory):
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    services.charter_agree(agreement=agreement, user=officer)
    services.charter_agree(agreement=agreement, user=signatory)

    services.charter_save(agreement=agreement, user=signatory, remedy="คืนเงินค่าเดินทาง")

    charter = Charter.objects.get(agreement=agreement)
    assert charter.agreed_by_agency_at is None and charter.agreed_by_cso_at is None
    assert not charter.agreed
    last = AuditLog.objects.filter(action="charter_edit").latest("id")
    assert last.data == {"changed": ["remedy"], "agreements_cleared": ["agency", "cso"]}


def test_saving_the_same_text_clears_nothing(agreement, officer, signatory):
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    services.charter_agree(agreement=agreement, user=officer)
    services.charter_save(agreement=agreement, user=signatory, service=CHARTER["service"] + "  ")
    assert Charter.objects.get(agreement=agreement).agreed_by_agency_at is not None


def test_nobody_agrees_to_an_unfinished_charter_nor_twice(agreement, officer):
    services.charter_save(agreement=agreement, user=officer, service="บริการเยี่ยมบ้าน")
    with pytest.raises(ValidationError) as refused:
        services.charter_agree(agreement=agreement, user=officer)
    assert set(refused.value.message_dict) == {
        "who_may_use",
        "where_when",
        "time_standard",
        "quality_standard",
        "remedy",
    }
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    services.charter_agree(agreement=agreement, user=officer)
    with pytest.raises(Conflict):
        services.charter_agree(agreement=agreement, user=officer)


def test_outsiders_neither_write_nor_agree(agreement, officer):
    outsider = factories.OfficerFactory()
    other_member = factories.CSOFactory(status="approved").members.get()
    for user in (outsider, other_member):
        with pytest.raises(PermissionDenied):
            services.charter_save(agreement=agreement, user=user, **CHARTER)
    services.charter_save(agreement=agreement, user=officer, **CHARTER)
    with pytest.raises(PermissionDenied):
        services.charter_agree(agreement=agreement, user=outsider)


def test_the_charter_is_written_while_the_agreement_runs():
    offered = factories.award(sign=False)
    officer = offered.proposal.call.created_by
    with pytest.raises(InvalidTransition):
        services.charter_save(agreement=offered, user=officer, **CHARTER)


# --- a citizen's rating ----------------------------------------------------------------------


def test_a_rating_is_stored_with_its_dimensions_and_nothing_about_the_person(agreement):
    response = rate(agreement, overall=5, timeliness=3, courtesy=4)

    assert sorted(response.ratings.values_list("dimension", "score")) == [
        ("courtesy", 4),
        ("overall", 5),
        ("timeliness", 3),
    ]
    stored = FeedbackResponse.objects.filter(pk=response.pk).values().get()
    assert "203.0.113.7" not in repr(stored)
    assert not any("203.0.113.7" in str(key) for key in cache._cache)  # locmem keys


def test_overall_is_required_and_each_rating_is_1_to_5(agreement):
    with pytest.raises(ValidationError) as refused:
        rate(agreement, timeliness=4)
    assert "overall" in refused.value.message_dict
    for bad in (0, 6, "4.5", True):
        with pytest.raises(ValidationError):
            rate(agreement, overall=bad)
    with pytest.raises(ValidationError) as refused:
        rate(agreement, overall=4, price=5)
    assert "ratings" in refused.value.message_dict
    assert FeedbackResponse.objects.count() == 0


def test_the_agency_chooses_the_dimensions_and_overall_stays(agreement, officer, signatory):
    survey = services.survey_set_dimensions(
        agreement=agreement, officer=officer, dimensions=["fairness", "information"]
    )
    assert survey.dimensions == ["overall", "information", "fairness"]
    with pytest.raises(ValidationError):
        rate(agreement, overall=4, timeliness=5)  # no longer asked
    assert rate(agreement, overall=4, fairness=5).ratings.count() == 2
    with pytest.raises(PermissionDenied):
        services.survey_set_dimensions(agreement=agreement, officer=signatory, dimensions=[])


def test_the_honeypot_refuses_a_robot_and_stores_nothing(agreement):
    with pytest.raises(ValidationError) as refused:
        services.feedback_submit(
            agreement=agreement,
            ratings={"overall": 5},
            address="198.51.100.1",
            honeypot="http://spam.example",
        )
    assert "website" in refused.value.message_dict
    assert FeedbackResponse.objects.count() == 0


def test_a_flood_from_one_address_is_refused_and_others_still_rate(agreement, settings):
    settings.FEEDBACK_LIMIT_PER_ADDRESS = "3/hour"
    for _ in range(3):
        rate(agreement, address="198.51.100.9")
    with pytest.raises(Flooded) as refused:
        rate(agreement, address="198.51.100.9")
    assert refused.value.wait > 0
    rate(agreement, address="198.51.100.10")
    assert FeedbackResponse.objects.count() == 4


def test_a_flood_on_one_agreement_is_refused_whatever_the_address(agreement, settings):
    settings.FEEDBACK_LIMIT_PER_AGREEMENT = "5/hour"
    for n in range(5):
        rate(agreement, address=f"198.51.100.{n}")
    with pytest.raises(Flooded):
        rate(agreement, address="192.0.2.200")
    other = factories.award()
    rate(other, address="192.0.2.200")  # another service is not affected


def test_phone_numbers_ids_and_emails_are_removed_from_a_comment(agreement):
    response = rate(
        agreement,
        comment="ผู้ดูแลดีมาก โทร 081-234-5678 หรือ somchai@example.com เลขบัตร 1 1037 02345 67 8",
    )
    assert "081" not in response.comment and "somchai" not in response.comment
    assert "1037" not in response.comment
    assert response.comment.startswith("ผู้ดูแลดีมาก")


def test_a_service_not_running_takes_no_rating(agreement, officer):
    agreement_services.agreement_terminate(agreement=agreement, officer=officer, reason="ยุติ")
    with pytest.raises(InvalidTransition):
        rate(fresh(agreement))


# --- the report card -------------------------------------------------------------------------


def test_the_interval_is_students_t_on_a_worked_example():
    # Ratings 3, 4, 4, 5, 4: mean 4, sample sd √0.5 = 0.7071, se 0.3162, t(4) = 2.776,
    # half-width 0.878: 3.12 to 4.88.
    assert rules.mean_interval(5, 4, Decimal("0.70710678")) == (
        Decimal("4.00"),
        Decimal("3.12"),
        Decimal("4.88"),
    )
    # One answer: a mean, no interval; two close to the top: clipped to 5.
    assert rules.mean_interval(1, 5, None) == (Decimal("5.00"), None, None)
    assert rules.mean_interval(2, Decimal("4.5"), Decimal("0.7071"))[2] == Decimal("5.00")


def test_the_report_card_adds_up_per_dimension(agreement):
    for overall, timeliness in [(3, 2), (4, None), (4, 5), (5, 4), (4, None)]:
        ratings = {"overall": overall}
        if timeliness:
            ratings["timeliness"] = timeliness
        rate(agreement, address=f"192.0.2.{overall}{timeliness}", **ratings)
    card = selectors.report_card(agreement=agreement)
    rows = {row.code: row for row in card.dimensions}
    assert card.responses == 5
    assert (rows["overall"].mean, rows["overall"].low, rows["overall"].high) == (
        Decimal("4.00"),
        Decimal("3.12"),
        Decimal("4.88"),
    )
    assert rows["timeliness"].responses == 3 and rows["timeliness"].mean == Decimal("3.67")
    assert [(m.responses, m.mean) for m in card.by_month] == [(5, Decimal("4.00"))]


# --- moderation ------------------------------------------------------------------------------


def test_a_member_hides_an_abusive_comment_with_a_reason_and_an_officer_restores_it(
    agreement, plain_member, officer
):
    response = rate(agreement, comment="ข้อความหยาบคาย")
    with pytest.raises(ValidationError):
        services.feedback_hide(response=response, user=plain_member, reason=" ")

    services.feedback_hide(response=response, user=plain_member, reason="ถ้อยคำหยาบคาย")
    card = selectors.report_card(agreement=agreement)
    assert card.hidden_comments == 1 and list(card.comments) == []
    assert card.responses == 1  # its ratings still count
    with pytest.raises(Conflict):
        services.feedback_hide(response=fresh(response), user=officer, reason="ซ้ำ")

    services.feedback_restore(response=fresh(response), user=officer)
    card = selectors.report_card(agreement=agreement)
    assert card.hidden_comments == 0 and [c.pk for c in card.comments] == [response.pk]
    rows = AuditLog.objects.filter(
        object_id=str(response.pk), content_type__model="feedbackresponse"
    )
    assert [(r.action, r.actor, r.reason) for r in rows.order_by("id")] == [
        ("hide_comment", plain_member, "ถ้อยคำหยาบคาย"),
        ("restore_comment", officer, ""),
    ]


def test_outsiders_moderate_nothing(agreement):
    response = rate(agreement, comment="ไม่พอใจ")
    for user in (factories.OfficerFactory(), factories.StaffAdminFactory()):
        with pytest.raises(PermissionDenied):
            services.feedback_hide(response=response, user=user, reason="ไม่ชอบ")
    assert Rating.objects.count() == 1
