"""The CSO registration use cases, called as the web UI and the API call them."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from csos.models import CSO, CSODocument
from csos.registration import services
from csos.review import services as review_services
from portal.workflow import InvalidTransition
from tests import factories
from tests.factories import CSOFactory, MemberFactory, ReviewerFactory, juristic_id, sample_file
from tests.helpers import audit_rows, fresh, last_audit

pytestmark = pytest.mark.django_db
S = CSO.Status
THAI_5000 = ("ก่อตั้งกลุ่มอาสาสมัครดูแลผู้สูงอายุในชุมชน " * 200)[:5000]


def registration(**overrides):
    """Answers to every part of the registration form."""
    data = {
        "name_th": "มูลนิธิเพื่อผู้สูงอายุภาคอีสาน",
        "name_en": "Isan Older Persons Foundation",
        "org_form": "charitable_foundation",
        "registered": True,
        "juristic_id": juristic_id(900001),
        "founded_year": 2008,
        "contact_email": "isan@example.org",
        "activity_fields": ["social_services", "health"],
        "service_provinces": ["40", "30"],
        "staff_count": 8,
        "certified_staff_count": 2,
        "track_record": "อบรมผู้ดูแลผู้สูงอายุ 200 คน",
    }
    data.update(overrides)
    return data


# --- the allowed moves ----------------------------------------------------------------


def test_member_submits_a_complete_draft():
    cso = CSOFactory(status=S.DRAFT)
    member = cso.members.get()

    submitted = services.cso_submit(cso=cso, user=member)

    assert fresh(cso).status == S.SUBMITTED
    assert submitted.submitted_at is not None
    row = last_audit(cso)
    assert (row.action, row.actor, row.from_status, row.to_status) == (
        "submit",
        member,
        S.DRAFT,
        S.SUBMITTED,
    )


def test_submitting_with_parts_missing_names_each_missing_part():
    member = MemberFactory()
    cso = services.cso_create(user=member, name_th="กลุ่มเยาวชนรักษ์ถิ่น", org_form="social_group")

    with pytest.raises(ValidationError) as exc:
        services.cso_submit(cso=cso, user=member)

    assert set(exc.value.message_dict) == {"organisation", "activities", "capacity", "documents"}
    assert fresh(cso).status == S.DRAFT
    assert audit_rows(cso, "submit") == []


def test_submitting_without_documents_names_only_the_documents_part():
    cso = CSOFactory(status=S.DRAFT, documents=False)

    with pytest.raises(ValidationError) as exc:
        services.cso_submit(cso=cso, user=cso.members.get())

    assert set(exc.value.message_dict) == {"documents"}
    assert fresh(cso).status == S.DRAFT


def test_member_edits_after_changes_requested_and_submits_again():
    cso = CSOFactory(status=S.CHANGES_REQUESTED)
    member = cso.members.get()

    services.cso_update(cso=cso, user=member, track_record="ผลงานปี 2567 ฉบับปรับปรุง")
    services.cso_document_add(
        cso=cso, user=member, kind="financial_statement", upload=sample_file("logo.png")
    )
    services.cso_submit(cso=cso, user=member)

    cso = fresh(cso)
    assert cso.status == S.SUBMITTED
    assert cso.track_record == "ผลงานปี 2567 ฉบับปรับปรุง"
    assert cso.documents.count() == 2
    row = last_audit(cso)
    assert (row.actor, row.from_status, row.to_status) == (member, S.CHANGES_REQUESTED, S.SUBMITTED)


def test_whole_history_is_audited_in_order():
    cso = CSOFactory(status=S.SUSPENDED)

    moves = [(r.action, r.from_status, r.to_status) for r in audit_rows(cso)]

    assert moves == [
        ("create", "", S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("approve", S.SUBMITTED, S.APPROVED),
        ("suspend", S.APPROVED, S.SUSPENDED),
    ]


# --- refusals: the wrong person -------------------------------------------------------


def _outsider(kind, cso):
    """Someone who must not act on ``cso``."""
    if kind == "officer":
        return factories.OfficerFactory()
    if kind == "evaluator":
        return factories.EvaluatorFactory()
    if kind == "other_member":
        return CSOFactory(status=S.DRAFT).members.get()
    if kind == "staff_admin":
        return factories.StaffAdminFactory()
    if kind == "own_member":
        return cso.members.get()
    if kind == "reviewer":
        return ReviewerFactory()
    if kind == "api_client":
        return factories.ApiClientFactory(scopes=["read", "payments", "reports"]).user
    raise AssertionError(kind)


def _act(action, cso, actor):
    if action == "submit":
        return services.cso_submit(cso=cso, user=actor)
    if action == "approve":
        return review_services.cso_approve(
            cso=cso, reviewer=actor, certified_fields=["social_services"]
        )
    if action == "request_changes":
        return review_services.cso_request_changes(cso=cso, reviewer=actor, reason="ขอเอกสารเพิ่ม")
    if action == "reject":
        return review_services.cso_reject(cso=cso, reviewer=actor, reason="ไม่ผ่านเกณฑ์")
    if action == "suspend":
        return review_services.cso_suspend(cso=cso, reviewer=actor, reason="ถูกร้องเรียน")
    if action == "reinstate":
        return review_services.cso_reinstate(cso=cso, reviewer=actor, reason="")
    if action == "edit":
        return services.cso_update(cso=cso, user=actor, networks="เครือข่ายใหม่")
    if action == "upload":
        return services.cso_document_add(
            cso=cso, user=actor, kind="other", upload=sample_file("registration.pdf")
        )
    raise AssertionError(action)


# (action, the status in which it is allowed, who may not do it)
WRONG_ROLE = [
    ("submit", S.DRAFT, ["officer", "evaluator", "other_member", "staff_admin", "reviewer"]),
    ("submit", S.CHANGES_REQUESTED, ["other_member", "reviewer"]),
    ("edit", S.DRAFT, ["officer", "evaluator", "other_member", "staff_admin", "reviewer"]),
    ("upload", S.DRAFT, ["officer", "other_member", "staff_admin", "reviewer"]),
    *[
        (action, S.SUBMITTED, ["officer", "evaluator", "own_member", "other_member", "staff_admin"])
        for action in ("approve", "request_changes", "reject")
    ],
    ("approve", S.SUBMITTED, ["api_client"]),
    ("suspend", S.APPROVED, ["officer", "evaluator", "own_member", "other_member", "staff_admin"]),
    ("reinstate", S.SUSPENDED, ["officer", "evaluator", "own_member", "staff_admin"]),
]


@pytest.mark.parametrize(
    ("action", "status", "who"),
    [(action, status, who) for action, status, people in WRONG_ROLE for who in people],
)
def test_the_wrong_person_is_refused(action, status, who):
    cso = CSOFactory(status=status)
    actor = _outsider(who, cso)
    before = fresh(cso)
    rows_before = len(audit_rows(cso))

    with pytest.raises(PermissionDenied) as exc:
        _act(action, cso, actor)

    assert str(exc.value)  # the refusal says why
    after = fresh(cso)
    assert after.status == status
    assert after.networks == before.networks
    assert after.documents.count() == before.documents.count()
    assert len(audit_rows(cso)) == rows_before


@pytest.mark.parametrize(
    ("status", "decide"),
    [
        (
            S.SUBMITTED,
            lambda cso, user: review_services.cso_approve(
                cso=cso, reviewer=user, certified_fields=[]
            ),
        ),
        (
            S.SUBMITTED,
            lambda cso, user: review_services.cso_reject(cso=cso, reviewer=user, reason=""),
        ),
        (
            S.SUBMITTED,
            lambda cso, user: review_services.cso_request_changes(
                cso=cso, reviewer=user, reason=""
            ),
        ),
        (
            S.APPROVED,
            lambda cso, user: review_services.cso_suspend(cso=cso, reviewer=user, reason=""),
        ),
    ],
    ids=["approve", "reject", "request_changes", "suspend"],
)
def test_the_wrong_person_is_refused_before_their_answers_are_checked(status, decide):
    """Someone who may not decide hears that, not what else is missing from the decision."""
    cso = CSOFactory(status=status)

    with pytest.raises(PermissionDenied):
        decide(cso, cso.members.get())
    with pytest.raises(PermissionDenied):
        decide(cso, factories.OfficerFactory())
    assert fresh(cso).status == status


def test_only_a_member_account_without_an_organisation_registers_one():
    with pytest.raises(PermissionDenied):
        services.cso_create(user=factories.OfficerFactory(), **registration())
    member = CSOFactory(status=S.DRAFT).members.get()
    with pytest.raises(PermissionDenied):
        services.cso_create(user=member, **registration())
    assert not CSO.objects.filter(name_th="มูลนิธิเพื่อผู้สูงอายุภาคอีสาน").exists()


# --- refusals: the wrong status -------------------------------------------------------


WRONG_STATUS = [
    ("approve", S.DRAFT),
    ("request_changes", S.DRAFT),
    ("reject", S.DRAFT),
    ("approve", S.APPROVED),
    ("approve", S.REJECTED),
    ("approve", S.CHANGES_REQUESTED),
    ("approve", S.SUSPENDED),  # a suspension is lifted by reinstate, not a new approval
    ("reject", S.APPROVED),
    ("request_changes", S.REJECTED),
    ("suspend", S.DRAFT),
    ("suspend", S.SUBMITTED),
    ("suspend", S.SUSPENDED),
    ("reinstate", S.APPROVED),
    ("reinstate", S.SUBMITTED),
    ("reinstate", S.REJECTED),
    ("submit", S.SUBMITTED),
    ("submit", S.APPROVED),
    ("submit", S.REJECTED),
    ("submit", S.SUSPENDED),
    ("edit", S.SUBMITTED),
    ("edit", S.APPROVED),
    ("edit", S.REJECTED),
    ("upload", S.SUBMITTED),
    ("upload", S.APPROVED),
]


@pytest.mark.parametrize(("action", "status"), WRONG_STATUS)
def test_the_wrong_status_is_an_invalid_transition(action, status):
    cso = CSOFactory(status=status)
    member_actions = {"submit", "edit", "upload"}
    actor = cso.members.get() if action in member_actions else ReviewerFactory()
    rows_before = len(audit_rows(cso))
    documents_before = cso.documents.count()

    with pytest.raises(InvalidTransition) as exc:
        _act(action, cso, actor)

    assert exc.value.message
    after = fresh(cso)
    assert after.status == status
    assert after.networks != "เครือข่ายใหม่"
    assert after.documents.count() == documents_before
    assert len(audit_rows(cso)) == rows_before


# --- the juristic person id -----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0105539000129",  # wrong check digit (0105539000128 is valid)
        "010553900012",  # 12 digits
        "01055390001AB",  # letters
        "1105539000128",  # does not start with 0
        "๐๑๐๕๕๓๙๐๐๐๑๒๘",  # Thai digits
    ],
)
def test_an_invalid_juristic_id_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        services.cso_create(user=MemberFactory(), **registration(juristic_id=value))

    assert list(exc.value.message_dict) == ["juristic_id"]
    assert not CSO.objects.exists()


def test_a_registered_organisation_must_give_its_juristic_id():
    with pytest.raises(ValidationError) as exc:
        services.cso_create(user=MemberFactory(), **registration(juristic_id=""))

    assert "juristic_id" in exc.value.message_dict


def test_a_formatted_juristic_id_is_stored_as_13_digits():
    cso = services.cso_create(
        user=MemberFactory(), **registration(juristic_id="0-99-4-000-61772-1")
    )

    assert fresh(cso).juristic_id == "0994000617721"


def test_an_already_registered_juristic_id_is_refused():
    CSOFactory(status=S.APPROVED, juristic_id="0105539000128")

    with pytest.raises(ValidationError) as exc:
        services.cso_create(user=MemberFactory(), **registration(juristic_id="0105539000128"))
    assert list(exc.value.message_dict) == ["juristic_id"]

    other = CSOFactory(status=S.DRAFT)
    with pytest.raises(ValidationError) as exc:
        services.cso_update(cso=other, user=other.members.get(), juristic_id="0-10-5-539-00012-8")
    assert list(exc.value.message_dict) == ["juristic_id"]


def test_an_informal_group_stores_no_juristic_id():
    first = services.cso_create(
        user=MemberFactory(),
        **registration(registered=False, juristic_id="0105539000128"),
    )
    second = services.cso_create(user=MemberFactory(), **registration(registered=False))

    assert fresh(first).juristic_id == ""
    assert fresh(second).juristic_id == ""


def test_becoming_informal_clears_the_juristic_id():
    cso = CSOFactory(status=S.DRAFT)

    services.cso_update(cso=cso, user=cso.members.get(), registered=False)

    assert fresh(cso).juristic_id == ""


@pytest.mark.django_db(transaction=True)
def test_two_registrations_racing_for_one_juristic_id(monkeypatch):
    """Both pass the duplicate check before either is saved; the database's unique index
    decides, and the loser gets a field error, not a server error."""
    racers = [MemberFactory(), MemberFactory()]
    both_checked = threading.Barrier(2, timeout=10)
    real_save = services._save

    def save_when_both_have_checked(cso, fields=None):
        if cso.pk is None:
            both_checked.wait()
        return real_save(cso, fields)

    monkeypatch.setattr(services, "_save", save_when_both_have_checked)
    outcomes = []

    def register(user):
        try:
            data = registration(name_th=f"องค์กรของ {user.username}", juristic_id="0105539000128")
            outcomes.append(services.cso_create(user=user, **data))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    created = [o for o in outcomes if isinstance(o, CSO)]
    refused = [o for o in outcomes if not isinstance(o, CSO)]
    assert len(created) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], ValidationError), repr(refused[0])
    assert list(refused[0].message_dict) == ["juristic_id"]
    assert CSO.objects.filter(juristic_id="0105539000128").count() == 1
    # The loser's account is still free to register (its transaction rolled back).
    assert sum(1 for u in racers if type(u).objects.get(pk=u.pk).cso_id) == 1


# --- other answers --------------------------------------------------------------------


def test_5000_characters_of_thai_are_kept_whole():
    cso = services.cso_create(user=MemberFactory(), **registration(track_record=THAI_5000))

    assert fresh(cso).track_record == THAI_5000
    assert len(fresh(cso).track_record) == 5000


@pytest.mark.parametrize(
    ("field", "codes", "bad"),
    [
        ("service_provinces", ["10", "99"], "99"),
        ("activity_fields", ["health", "space_travel"], "space_travel"),
    ],
)
def test_unknown_codes_are_a_field_error(field, codes, bad):
    with pytest.raises(ValidationError) as exc:
        services.cso_create(user=MemberFactory(), **registration(**{field: codes}))

    assert list(exc.value.message_dict) == [field]
    assert bad in exc.value.message_dict[field][0]


def test_certified_staff_cannot_outnumber_staff():
    with pytest.raises(ValidationError) as exc:
        services.cso_create(
            user=MemberFactory(), **registration(staff_count=3, certified_staff_count=4)
        )

    assert list(exc.value.message_dict) == ["certified_staff_count"]


# --- documents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("registration.pdf", "application/pdf"),
        ("logo.png", "image/png"),
        ("photo.jpg", "image/jpeg"),
    ],
)
def test_real_documents_are_accepted_by_content(name, mime):
    cso = CSOFactory(status=S.DRAFT, documents=False)
    upload = sample_file(name, as_name="scan-without-extension")

    document = services.cso_document_add(
        cso=cso, user=cso.members.get(), kind="constitution", upload=upload, title="ข้อบังคับ"
    )

    assert document.content_type == mime
    assert document.size == upload.size
    assert document.original_name == "scan-without-extension"
    with document.file.open("rb") as stored:
        assert stored.read() == (factories.FILES / name).read_bytes()


def test_a_text_file_named_pdf_is_refused():
    cso = CSOFactory(status=S.DRAFT, documents=False)

    with pytest.raises(ValidationError) as exc:
        services.cso_document_add(
            cso=cso,
            user=cso.members.get(),
            kind="registration",
            upload=sample_file("not-really.pdf", content_type="application/pdf"),
        )

    assert list(exc.value.message_dict) == ["file"]
    assert not CSODocument.objects.filter(cso=cso).exists()


def test_a_file_over_10_mb_is_refused():
    cso = CSOFactory(status=S.DRAFT, documents=False)
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1 - 9), "application/pdf"
    )
    assert big.size == 10 * 1024 * 1024 + 1

    with pytest.raises(ValidationError) as exc:
        services.cso_document_add(cso=cso, user=cso.members.get(), kind="other", upload=big)

    assert list(exc.value.message_dict) == ["file"]
    assert not CSODocument.objects.filter(cso=cso).exists()


def test_a_file_of_exactly_10_mb_is_accepted():
    cso = CSOFactory(status=S.DRAFT, documents=False)
    limit = SimpleUploadedFile(
        "limit.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 - 9), "application/pdf"
    )

    document = services.cso_document_add(
        cso=cso, user=cso.members.get(), kind="other", upload=limit
    )

    assert document.size == 10 * 1024 * 1024


def test_an_unknown_document_kind_is_refused():
    cso = CSOFactory(status=S.DRAFT, documents=False)

    with pytest.raises(ValidationError) as exc:
        services.cso_document_add(
            cso=cso, user=cso.members.get(), kind="selfie", upload=sample_file("logo.png")
        )

    assert list(exc.value.message_dict) == ["kind"]


def test_services_refuse_text_over_its_limit_whoever_calls_them(cso_member, draft_cso):
    """The 5,000-character limit holds in the service, not only in forms and the API."""
    with pytest.raises(ValidationError) as excinfo:
        services.cso_update(cso=draft_cso, user=cso_member, track_record="ก" * 5001)
    assert "track_record" in excinfo.value.message_dict
    draft_cso.refresh_from_db()
    assert len(draft_cso.track_record) < 5001
    services.cso_update(cso=draft_cso, user=cso_member, track_record="ก" * 5000)
    draft_cso.refresh_from_db()
    assert len(draft_cso.track_record) == 5000


def test_a_document_title_over_255_characters_is_refused_with_the_limit_never_cut():
    cso = CSOFactory(status=S.DRAFT, documents=False)
    with pytest.raises(ValidationError) as exc:
        services.cso_document_add(
            cso=cso,
            user=cso.members.get(),
            kind="constitution",
            upload=sample_file("registration.pdf"),
            title="ข" * 300,
        )
    [message] = exc.value.message_dict["title"]
    assert "255" in message and "300" in message
    assert not CSODocument.objects.filter(cso=cso).exists()
