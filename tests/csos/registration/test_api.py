"""/api/v1/csos/: who sees what, the registration answers, each action as each role,
documents and the history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csos.models import CSO
from csos.registration import services as cso_services
from tests import factories
from tests.factories import CSOFactory, MemberFactory, ReviewerFactory, juristic_id, sample_file
from tests.factories.csos import caller
from tests.helpers import assert_error, fresh, has_thai

pytestmark = pytest.mark.django_db
S = CSO.Status
LIST = "/api/v1/csos/"
THAI_5000 = ("ก่อตั้งกลุ่มอาสาสมัครดูแลผู้สูงอายุในชุมชน " * 200)[:5000]


def url(cso, action=""):
    return f"{LIST}{cso.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def one_of_each(db):
    reviewer = ReviewerFactory()
    return {status: CSOFactory(status=status, reviewer=reviewer) for status in S.values}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- who sees what --------------------------------------------------------------------


def test_anonymous_callers_see_only_approved_csos_without_contacts(api_client, one_of_each):
    response = api_client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert ids(response) == {one_of_each[S.APPROVED].pk}
    row = body["results"][0]
    assert row["contact_email"] is None
    assert row["contact_phone"] is None
    assert row["status"] == S.APPROVED
    assert row["certified_fields"] == ["social_services"]
    assert row["service_provinces"] == ["10"]


CONTRACT_FIELDS = {
    "id", "name_th", "name_en", "org_form", "activity_fields", "registered", "juristic_id",
    "founded_year", "service_provinces", "contact_email", "contact_phone", "staff_count",
    "certified_staff_count", "networks", "track_record", "status", "certified_fields",
    "scope_note",
}  # fmt: skip


def test_every_field_of_the_contract_is_there(api_client, one_of_each):
    row = api_client.get(url(one_of_each[S.APPROVED])).json()

    assert set(row) >= CONTRACT_FIELDS
    assert row["registered"] is True
    assert row["juristic_id"] == one_of_each[S.APPROVED].juristic_id
    assert row["founded_year"] == 2010
    assert (row["staff_count"], row["certified_staff_count"]) == (12, 3)


def test_a_signed_in_caller_sees_the_contacts_of_approved_csos(api_as, one_of_each):
    approved = one_of_each[S.APPROVED]

    row = api_as(factories.OfficerFactory()).get(url(approved)).json()

    assert row["contact_email"] == approved.contact_email
    assert row["contact_phone"] == "02 000 0000"


def test_a_member_sees_their_own_draft_as_well(api_as, one_of_each):
    draft = one_of_each[S.DRAFT]

    response = api_as(draft.members.get()).get(LIST)

    assert ids(response) == {draft.pk, one_of_each[S.APPROVED].pk}
    own = next(r for r in response.json()["results"] if r["id"] == draft.pk)
    assert own["contact_email"] == draft.contact_email
    assert own["juristic_id"] == draft.juristic_id


@pytest.mark.parametrize("role", ["reviewer", "staff_admin"])
def test_the_committee_and_staff_see_every_registration(api_as, one_of_each, role):
    user = ReviewerFactory() if role == "reviewer" else factories.StaffAdminFactory()

    assert ids(api_as(user).get(LIST)) == {cso.pk for cso in one_of_each.values()}


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.REJECTED, S.SUSPENDED]
)
@pytest.mark.parametrize("who", ["anonymous", "other_member", "officer", "evaluator"])
def test_a_registration_others_may_not_see_is_not_found(api_as, one_of_each, status, who):
    caller = {
        "anonymous": lambda: None,
        "other_member": lambda: CSOFactory(status=S.DRAFT).members.get(),
        "officer": factories.OfficerFactory,
        "evaluator": factories.EvaluatorFactory,
    }[who]()

    assert_error(api_as(caller).get(url(one_of_each[status])), 404, "not_found")


def test_the_member_and_the_committee_read_the_reason_for_changes(api_as):
    changes = CSOFactory(status=S.CHANGES_REQUESTED)

    own = api_as(changes.members.get()).get(url(changes)).json()

    assert own["decision_reason"] == "แนบงบการเงินปีล่าสุด"
    assert (
        api_as(ReviewerFactory()).get(url(changes)).json()["decision_reason"]
        == own["decision_reason"]
    )


def test_list_filters(api_as, one_of_each):
    reviewer = ReviewerFactory()
    client = api_as(reviewer)
    informal = CSOFactory(status=S.APPROVED, registered=False, service_provinces=["50", "57"])

    assert ids(client.get(LIST, {"status": "submitted"})) == {one_of_each[S.SUBMITTED].pk}
    assert ids(client.get(LIST, {"province": "57"})) == {informal.pk}
    assert ids(client.get(LIST, {"registered": "false"})) == {informal.pk}
    assert ids(client.get(LIST, {"search": informal.name_th})) == {informal.pk}


# --- registering through the API ------------------------------------------------------


def answers(**overrides):
    data = {
        "name_th": "กลุ่มอนุรักษ์ป่าต้นน้ำน่าน",
        "name_en": "Nan Watershed Conservation Group",
        "org_form": "community_organisation",
        "registered": True,
        "juristic_id": juristic_id(777001),
        "founded_year": 2015,
        "contact_email": "nan@example.org",
        "activity_fields": ["environment"],
        "service_provinces": ["55"],
        "staff_count": 5,
        "certified_staff_count": 1,
        "track_record": "ปลูกป่าต้นน้ำ 1,000 ไร่",
    }
    data.update(overrides)
    return data


def test_a_member_starts_a_registration(api_as):
    member = MemberFactory()
    client = api_as(member)

    response = client.post(LIST, answers(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == S.DRAFT
    assert body["activity_fields"] == ["environment"]
    assert body["juristic_id"] == juristic_id(777001)
    assert body["contact_email"] == "nan@example.org"
    member.refresh_from_db()
    assert member.cso_id == body["id"]
    assert client.get("/api/v1/me/").json()["cso"] == body["id"]

    again = client.post(LIST, answers(name_th="องค์กรที่สอง", juristic_id=""), format="json")
    assert_error(again, 403, "permission_denied")


def test_anonymous_cannot_register(api_client):
    assert_error(api_client.post(LIST, answers(), format="json"), 401, "not_authenticated")
    assert not CSO.objects.exists()


@pytest.mark.parametrize("maker", ["officer", "reviewer"])
def test_other_roles_cannot_register(api_as, maker):
    user = factories.OfficerFactory() if maker == "officer" else ReviewerFactory()

    assert_error(api_as(user).post(LIST, answers(), format="json"), 403, "permission_denied")
    assert not CSO.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["0105539000129", "010553900012", "01055390001AB", ""],
    ids=["checksum", "12_digits", "letters", "missing"],
)
def test_a_bad_juristic_id_is_a_field_error(api_as, value):
    response = api_as(MemberFactory()).post(LIST, answers(juristic_id=value), format="json")

    assert_error(response, 400, "validation_error", fields=["juristic_id"])
    assert not CSO.objects.exists()


def test_a_registered_juristic_id_is_a_field_error(api_as):
    CSOFactory(status=S.APPROVED, juristic_id="0105539000128")

    response = api_as(MemberFactory()).post(
        LIST, answers(juristic_id="0105539000128"), format="json"
    )

    assert_error(response, 400, "validation_error", fields=["juristic_id"])
    assert CSO.objects.count() == 1


def test_an_informal_group_has_no_juristic_id(api_as):
    response = api_as(MemberFactory()).post(
        LIST, answers(registered=False, juristic_id="0105539000128"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["juristic_id"] == ""
    assert response.json()["registered"] is False


def test_5000_thai_characters_are_accepted_and_5001_refused(api_as):
    cso = CSOFactory(status=S.DRAFT)
    client = api_as(cso.members.get())

    ok = client.patch(url(cso), {"track_record": THAI_5000}, format="json")
    assert ok.status_code == 200
    assert ok.json()["track_record"] == THAI_5000

    too_long = client.patch(url(cso), {"track_record": THAI_5000 + "ก"}, format="json")
    assert_error(too_long, 400, "validation_error", fields=["track_record"])
    assert fresh(cso).track_record == THAI_5000


@pytest.mark.parametrize(
    ("field", "codes"),
    [("service_provinces", ["10", "99"]), ("activity_fields", ["health", "space_travel"])],
)
def test_unknown_codes_are_field_errors(api_as, field, codes):
    cso = CSOFactory(status=S.DRAFT)

    response = api_as(cso.members.get()).patch(url(cso), {field: codes}, format="json")

    error = assert_error(response, 400, "validation_error", fields=[field])
    assert codes[1] in error["fields"][field][0]


def test_a_bad_org_form_is_a_field_error(api_as):
    response = api_as(MemberFactory()).post(LIST, answers(org_form="gang"), format="json")

    assert_error(response, 400, "validation_error", fields=["org_form"])


def test_editing_is_for_the_member_while_the_registration_is_open(api_as):
    draft = CSOFactory(status=S.DRAFT)
    approved = CSOFactory(status=S.APPROVED)
    member = draft.members.get()
    body = {"networks": "เครือข่ายใหม่"}

    assert api_as(member).patch(url(draft), body, format="json").json()["networks"] == "เครือข่ายใหม่"
    assert_error(api_as(MemberFactory()).patch(url(draft), body, format="json"), 404, "not_found")
    assert_error(api_as(member).patch(url(approved), body, format="json"), 403, "permission_denied")
    assert_error(
        api_as(ReviewerFactory()).patch(url(draft), body, format="json"), 403, "permission_denied"
    )
    assert_error(api_as(None).patch(url(draft), body, format="json"), 401, "not_authenticated")

    cso_services.cso_submit(cso=draft, user=member)
    after = api_as(member).patch(url(draft), {"networks": "แก้หลังส่ง"}, format="json")
    assert_error(after, 409, "invalid_transition")
    assert fresh(draft).networks == "เครือข่ายใหม่"


# --- actions, as each role ------------------------------------------------------------


BODIES = {
    "submit": {},
    "approve": {"certified_fields": ["social_services"], "scope_note": "ร่วมจัดบริการดูแลผู้สูงอายุ"},
    "request-changes": {"reason": "ขอสำเนาข้อบังคับ"},
    "reject": {"reason": "ไม่ใช่องค์กรไม่แสวงกำไร"},
    "suspend": {"reason": "ถูกร้องเรียน"},
    "reinstate": {"reason": "ชี้แจงแล้ว"},
}


# action -> (the status it starts from, the status it leads to, who may do it)
ALLOWED = {
    "submit": (S.DRAFT, S.SUBMITTED, "own_member"),
    "approve": (S.SUBMITTED, S.APPROVED, "reviewer"),
    "request-changes": (S.SUBMITTED, S.CHANGES_REQUESTED, "reviewer"),
    "reject": (S.SUBMITTED, S.REJECTED, "reviewer"),
    "suspend": (S.APPROVED, S.SUSPENDED, "reviewer"),
    "reinstate": (S.SUSPENDED, S.APPROVED, "reviewer"),
}


@pytest.mark.parametrize("action", ALLOWED)
def test_each_action_by_the_right_person(api_as, action):
    source, target, who = ALLOWED[action]
    cso = CSOFactory(status=source)

    response = api_as(caller(who, cso)).post(url(cso, action), BODIES[action], format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == target
    assert fresh(cso).status == target


def _expected(who, action, status):
    """What the caller gets for ``action`` on a CSO in ``status`` it is not allowed to do."""
    if who == "anonymous":
        return 401, "not_authenticated"
    visible = status == S.APPROVED or who in {"own_member", "reviewer", "staff_admin"}
    if not visible:
        return 404, "not_found"
    return 403, "permission_denied"


WRONG_PEOPLE = {
    "submit": ["anonymous", "other_member", "officer", "reviewer", "staff_admin", "evaluator"],
    "approve": ["anonymous", "own_member", "other_member", "officer", "staff_admin", "api_client"],
    "request-changes": ["anonymous", "own_member", "officer", "staff_admin", "evaluator"],
    "reject": ["anonymous", "own_member", "other_member", "staff_admin"],
    "suspend": ["anonymous", "own_member", "other_member", "officer", "staff_admin", "evaluator"],
    "reinstate": ["anonymous", "own_member", "other_member", "officer", "staff_admin"],
}


@pytest.mark.parametrize(
    ("action", "who"), [(a, w) for a, people in WRONG_PEOPLE.items() for w in people]
)
def test_each_action_by_the_wrong_person(api_as, action, who):
    source = ALLOWED[action][0]
    cso = CSOFactory(status=source)
    status, code = _expected(who, action, source)

    response = api_as(caller(who, cso)).post(url(cso, action), BODIES[action], format="json")

    assert_error(response, status, code)
    assert fresh(cso).status == source


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("submit", S.SUBMITTED),
        ("submit", S.APPROVED),
        ("approve", S.DRAFT),
        ("approve", S.APPROVED),
        ("approve", S.SUSPENDED),
        ("request-changes", S.APPROVED),
        ("reject", S.CHANGES_REQUESTED),
        ("suspend", S.SUBMITTED),
        ("suspend", S.REJECTED),
        ("reinstate", S.APPROVED),
        ("reinstate", S.SUBMITTED),
    ],
)
def test_each_action_in_the_wrong_status_is_a_conflict(api_as, action, status):
    cso = CSOFactory(status=status)
    who = ALLOWED[action][2]

    response = api_as(caller(who, cso)).post(url(cso, action), BODIES[action], format="json")

    assert_error(response, 409, "invalid_transition")
    assert fresh(cso).status == status


@pytest.mark.parametrize(
    ("action", "status", "who"),
    [
        ("approve", S.SUBMITTED, "own_member"),
        ("approve", S.APPROVED, "officer"),
        ("reject", S.SUBMITTED, "own_member"),
        ("suspend", S.APPROVED, "officer"),
        ("suspend", S.APPROVED, "other_member"),
    ],
)
def test_the_wrong_person_with_an_empty_body_is_still_refused(api_as, action, status, who):
    cso = CSOFactory(status=status)

    response = api_as(caller(who, cso)).post(url(cso, action), {}, format="json")

    assert_error(response, 403, "permission_denied")
    assert fresh(cso).status == status


def test_submitting_an_incomplete_registration_lists_the_missing_parts(api_as):
    cso = CSOFactory(status=S.DRAFT, documents=False)

    response = api_as(cso.members.get()).post(url(cso, "submit"))

    error = assert_error(response, 400, "validation_error", fields=["documents"])
    assert set(error["fields"]) == {"documents"}
    assert fresh(cso).status == S.DRAFT


def test_an_unknown_cso_is_not_found(api_as):
    assert_error(
        api_as(ReviewerFactory()).post(f"{LIST}999999/approve/", BODIES["approve"], format="json"),
        404,
        "not_found",
    )
    assert_error(api_as(None).get(f"{LIST}999999/"), 404, "not_found")


# --- documents ------------------------------------------------------------------------


def upload(client, cso, file, kind="registration"):
    return client.post(url(cso, "documents"), {"kind": kind, "title": "หนังสือรับรอง", "file": file})


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("registration.pdf", "application/pdf"),
        ("logo.png", "image/png"),
        ("photo.jpg", "image/jpeg"),
    ],
)
def test_a_member_uploads_a_document(api_as, name, mime):
    cso = CSOFactory(status=S.DRAFT, documents=False)
    client = api_as(cso.members.get())

    response = upload(client, cso, sample_file(name))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == mime
    assert body["original_name"] == name
    assert body["kind"] == "registration"
    listed = client.get(url(cso, "documents")).json()
    assert [d["id"] for d in listed] == [body["id"]]
    download = client.get(url(cso, f"documents/{body['id']}/file"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == (factories.FILES / name).read_bytes()


def test_a_document_is_fetched_only_through_its_own_cso(api_as):
    own = CSOFactory(status=S.DRAFT)
    other = CSOFactory(status=S.APPROVED)
    foreign = other.documents.get()

    response = api_as(own.members.get()).get(url(own, f"documents/{foreign.pk}/file"))

    assert_error(response, 404, "not_found")


def test_a_text_file_named_pdf_is_refused(api_as):
    cso = CSOFactory(status=S.DRAFT, documents=False)

    response = upload(api_as(cso.members.get()), cso, sample_file("not-really.pdf"))

    assert_error(response, 400, "validation_error", fields=["file"])
    assert not cso.documents.exists()


def test_a_file_over_10_mb_is_refused(api_as):
    cso = CSOFactory(status=S.DRAFT, documents=False)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1 - 5))

    response = upload(api_as(cso.members.get()), cso, big)

    assert_error(response, 400, "validation_error", fields=["file"])
    assert not cso.documents.exists()


def test_an_upload_without_a_file_names_the_field(api_as):
    cso = CSOFactory(status=S.DRAFT, documents=False)

    response = api_as(cso.members.get()).post(url(cso, "documents"), {"kind": "registration"})

    assert_error(response, 400, "validation_error", fields=["file"])


def test_documents_only_while_the_registration_is_open(api_as):
    cso = CSOFactory(status=S.SUBMITTED)

    response = upload(api_as(cso.members.get()), cso, sample_file("registration.pdf"))

    assert_error(response, 409, "invalid_transition")
    assert cso.documents.count() == 1


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("other_member", 404, "not_found"),
        ("reviewer", 403, "permission_denied"),
        ("officer", 404, "not_found"),
    ],
)
def test_only_the_member_uploads(api_as, who, status, code):
    cso = CSOFactory(status=S.DRAFT, documents=False)

    response = upload(api_as(caller(who, cso)), cso, sample_file("registration.pdf"))

    assert_error(response, status, code)
    assert not cso.documents.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),  # not signed in: told so, as everywhere in the API
        ("officer", 403),
        ("other_member", 403),
        ("reviewer", 200),
        ("staff_admin", 200),
    ],
)
def test_the_documents_of_an_approved_cso_are_not_public(api_as, who, status):
    cso = CSOFactory(status=S.APPROVED)

    response = api_as(caller(who, cso)).get(url(cso, "documents"))

    if status == 200:
        assert response.status_code == 200
        assert [d["kind"] for d in response.json()] == ["registration"]
    else:
        code = "not_authenticated" if status == 401 else "permission_denied"
        assert_error(response, status, code)
        assert_error(
            api_as(caller(who, cso)).get(url(cso, f"documents/{cso.documents.get().pk}/file")),
            status,
            code,
        )


# --- history --------------------------------------------------------------------------


def test_the_committee_reads_the_history(api_as):
    cso = CSOFactory(status=S.SUSPENDED)

    response = api_as(ReviewerFactory()).get(url(cso, "history"))

    assert response.status_code == 200
    rows = response.json()
    assert [(r["action"], r["from_status"], r["to_status"]) for r in rows] == [
        ("create", "", S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("approve", S.SUBMITTED, S.APPROVED),
        ("suspend", S.APPROVED, S.SUSPENDED),
    ]
    assert rows[0]["actor"] == cso.members.get().username
    assert rows[3]["reason"] == "ขาดการรายงานผล"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),  # not signed in: told so, as everywhere in the API
        ("officer", 403),
        ("other_member", 403),
        ("evaluator", 403),
        ("own_member", 200),
        ("staff_admin", 200),
    ],
)
def test_who_reads_the_history_of_an_approved_cso(api_as, who, status):
    cso = CSOFactory(status=S.APPROVED)

    response = api_as(caller(who, cso)).get(url(cso, "history"))

    if status == 200:
        assert response.status_code == 200
        assert [r["action"] for r in response.json()] == ["create", "submit", "approve"]
    else:
        code = "not_authenticated" if status == 401 else "permission_denied"
        assert_error(response, status, code)


def test_the_history_of_a_hidden_draft_is_not_found(api_as):
    cso = CSOFactory(status=S.DRAFT)

    assert_error(api_as(None).get(url(cso, "history")), 404, "not_found")


# --- language -------------------------------------------------------------------------


def test_a_conflict_message_follows_the_request_language(api_as):
    cso = CSOFactory(status=S.DRAFT)
    reviewer = ReviewerFactory()

    en = assert_error(
        api_as(reviewer, lang="en").post(url(cso, "approve"), BODIES["approve"], format="json"),
        409,
        "invalid_transition",
    )
    th = assert_error(
        api_as(reviewer, lang="th").post(url(cso, "approve"), BODIES["approve"], format="json"),
        409,
        "invalid_transition",
    )

    assert "Draft" in en["message"]
    assert has_thai(th["message"]) and not has_thai(en["message"])


def test_a_permission_message_follows_the_request_language(api_as):
    cso = CSOFactory(status=S.APPROVED)
    officer = factories.OfficerFactory()

    en = assert_error(
        api_as(officer, lang="en").patch(url(cso), {}, format="json"), 403, "permission_denied"
    )
    th = assert_error(
        api_as(officer, lang="th").patch(url(cso), {}, format="json"), 403, "permission_denied"
    )

    assert en["message"] == "Only the organisation's members can change its registration."
    assert has_thai(th["message"])


def test_field_errors_follow_the_request_language(api_as):
    cso = CSOFactory(status=S.SUBMITTED)
    reviewer = ReviewerFactory()

    en = assert_error(
        api_as(reviewer, lang="en").post(url(cso, "reject"), {}, format="json"),
        400,
        "validation_error",
    )
    th = assert_error(
        api_as(reviewer, lang="th").post(url(cso, "reject"), {}, format="json"),
        400,
        "validation_error",
    )

    assert en["message"] == "Some of the answers need correcting."
    assert not has_thai(en["fields"]["reason"][0])
    assert has_thai(th["message"]) and has_thai(th["fields"]["reason"][0])


# --- query counts ---------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", ["anonymous", "reviewer", "own_member"])
def test_the_list_costs_the_same_queries_for_3_or_9_csos(api_as, who):
    reviewer = ReviewerFactory()
    member = MemberFactory()
    CSOFactory(status=S.DRAFT, member=member, activity_fields=["health", "social_services"])
    client = api_as({"anonymous": None, "reviewer": reviewer, "own_member": member}[who])

    def add(n):
        for i in range(n):
            CSOFactory(
                status=S.APPROVED if i % 2 else S.SUSPENDED,
                reviewer=reviewer,
                activity_fields=["health", "environment"],
                service_provinces=["10", "50", "57"],
            )

    add(3)
    few, count_few = _queries(client, LIST)
    add(6)
    many, count_many = _queries(client, LIST)

    assert count_many > count_few
    assert many == few
