"""Citizens' assemblies through the services: volunteers register with the organiser's
characteristics; the draw is re-run from its published seed and snapshot and gives the same
members, with the quotas met; a member who withdraws is replaced by the reserve who keeps the
quotas best; sessions, recommendations and answers; refusals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.assemblies import selectors, services, sortition
from agencies.assemblies.models import Assembly, Volunteer
from portal.audit import audit_history
from portal.models import Notice
from portal.workflow import Conflict, InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db

QUOTAS = {
    "gender": {"หญิง": 3, "ชาย": 3},
    "age_band": {"18-35": 2, "36-59": 2, "60+": 2},
}


def _assembly(officer, **over):
    return services.assembly_create(
        officer=officer,
        data={
            "title": "สมัชชาพลเมืองเรื่องฝุ่น PM2.5",
            "purpose": "ควรใช้งบลดฝุ่นอย่างไร",
            "seats": 6,
            "reserves": 3,
            "quotas": QUOTAS,
            **over,
        },
    )


def _volunteers(assembly, n=24):
    genders, ages = ["หญิง", "ชาย"], ["18-35", "36-59", "60+"]
    people = []
    for i in range(n):
        person = factories.citizen()
        services.volunteer(
            person=person,
            assembly=assembly,
            traits={"gender": genders[i % 2], "age_band": ages[i % 3]},
        )
        people.append(person)
    return people


def test_the_draw_meets_the_quotas_and_anyone_can_rerun_it(officer):
    assembly = _assembly(officer)
    people = _volunteers(assembly)
    drawn = services.draw(officer=officer, assembly=assembly, seed="สลากกินแบ่ง 1 ธ.ค. 2569: 123456")

    members = list(drawn.volunteers.filter(status="member"))
    assert len(members) == 6
    counts = selectors.member_counts(drawn)
    assert counts == QUOTAS  # every quota met exactly
    assert drawn.volunteers.filter(status="reserve").count() == 3
    assert drawn.unmet == {}

    # The published record alone (no names) gives the same members and reserves.
    record = selectors.draw_record(drawn)
    assert record["snapshot_hash"] == sortition.snapshot_hash(record["snapshot"])
    again = sortition.draw(
        record["snapshot"], seed=record["seed"], seats=record["seats"],
        reserves=record["reserves"], quotas=record["quotas"],
    )  # fmt: skip
    assert sorted(again.members) == record["members"]
    assert again.reserves == record["reserve_order"]
    assert "person" not in str(record) and people[0].username not in str(record)
    # Another seed draws other people (the lot is not fixed by the numbers).
    other = sortition.draw(
        record["snapshot"], seed="another", seats=6, reserves=3, quotas=record["quotas"]
    )
    assert sorted(other.members) != record["members"]

    entry = [e for e in audit_history(drawn) if e.action == "assembly_draw"][0]
    assert entry.data["seed"] == drawn.seed and entry.data["members"] == again.members
    assert Notice.objects.filter(kind="assembly_drawn").count() == 6
    assert Notice.objects.filter(kind="assembly_reserve").count() == 3


def test_a_lottery_key_is_sha256_of_seed_hash_and_number():
    """The rule in sortition.py, checked against hashlib directly (any language can)."""
    import hashlib

    assert sortition.lottery_key("s", "h", 7) == hashlib.sha256(b"s|h|7").hexdigest()


def test_unmet_quotas_are_filled_in_key_order_and_published(officer):
    assembly = _assembly(officer, seats=4, reserves=0, quotas={"gender": {"หญิง": 2, "ชาย": 2}})
    for _ in range(5):
        services.volunteer(person=factories.citizen(), assembly=assembly, traits={"gender": "หญิง"})
    services.volunteer(person=factories.citizen(), assembly=assembly, traits={"gender": "ชาย"})
    drawn = services.draw(officer=officer, assembly=assembly, seed="x")
    assert drawn.volunteers.filter(status="member").count() == 4
    assert drawn.unmet == {"gender": {"ชาย": 1}}


def test_a_member_who_withdraws_is_replaced_by_the_best_matching_reserve(officer):
    assembly = _assembly(officer)
    _volunteers(assembly)
    drawn = services.draw(officer=officer, assembly=assembly, seed="fixed seed")
    member = drawn.volunteers.filter(status="member").order_by("number").first()
    reserves = list(drawn.volunteers.filter(status="reserve").order_by("reserve_rank"))
    expected = sortition.best_reserve(member.traits, [(r.number, r.traits) for r in reserves])

    services.withdraw(person=member.person, assembly=drawn)
    member.refresh_from_db()
    assert member.status == "withdrawn"
    incoming = Volunteer.objects.get(assembly=drawn, number=expected)
    assert incoming.status == "member" and incoming.replaces == member
    assert drawn.volunteers.filter(status="member").count() == 6
    assert Notice.objects.filter(kind="assembly_reserve_in", recipient=incoming.person).exists()
    with pytest.raises(Conflict):
        services.withdraw(person=member.person, assembly=drawn)


def test_best_reserve_prefers_shared_characteristics_then_order():
    reserves = [
        (5, {"g": "a", "age": "x"}),
        (9, {"g": "b", "age": "y"}),
        (3, {"g": "b", "age": "x"}),
    ]
    assert sortition.best_reserve({"g": "b", "age": "y"}, reserves) == 9
    assert sortition.best_reserve({"g": "b", "age": "z"}, reserves) == 9  # first of the ties
    assert sortition.best_reserve({"g": "a"}, []) is None


def test_volunteering_once_with_listed_values_and_refusals(officer, other_officer):
    assembly = _assembly(officer)
    person = factories.citizen()
    with pytest.raises(ValidationError) as bad:
        services.volunteer(person=person, assembly=assembly, traits={"gender": "อื่น ๆ"})
    assert set(bad.value.message_dict) == {"gender", "age_band"}
    services.volunteer(
        person=person, assembly=assembly, traits={"gender": "หญิง", "age_band": "60+"}
    )
    with pytest.raises(Conflict):
        services.volunteer(
            person=person, assembly=assembly, traits={"gender": "หญิง", "age_band": "60+"}
        )
    with pytest.raises(PermissionDenied):
        services.volunteer(
            person=factories.citizen(verified=False), assembly=assembly,
            traits={"gender": "หญิง", "age_band": "60+"},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.draw(officer=other_officer, assembly=assembly)
    with pytest.raises(ValidationError):  # 1 volunteer for 6 seats
        services.draw(officer=officer, assembly=assembly)
    assert Assembly.objects.get().status == "recruiting"


def test_quotas_must_add_up_to_the_seats(officer):
    with pytest.raises(ValidationError) as bad:
        _assembly(officer, quotas={"gender": {"หญิง": 2, "ชาย": 2}, "eye_colour": {"a": 3}})
    problems = " ".join(bad.value.message_dict["quotas"])
    assert "add up to 4" in problems or "4" in problems
    assert "eye_colour" in problems


def test_sessions_recommendations_answers_and_the_report(officer):
    assembly = _assembly(officer)
    _volunteers(assembly)
    with pytest.raises(InvalidTransition):
        services.session_add(
            officer=officer, assembly=assembly,
            data={"held_on": datetime.date(2027, 1, 10), "summary": "x"},
        )  # fmt: skip
    drawn = services.draw(officer=officer, assembly=assembly, seed="s")
    services.session_add(
        officer=officer, assembly=drawn,
        data={"held_on": datetime.date(2027, 1, 10), "summary": "รับฟังผู้เชี่ยวชาญ"},
    )  # fmt: skip
    rec = services.recommendation_add(
        officer=officer, assembly=drawn, data={"text": "ห้ามเผาในที่โล่งช่วงมีนาคม"}
    )
    with pytest.raises(ValidationError):  # a recommendation waits for its answer
        services.report(officer=officer, assembly=drawn)
    services.recommendation_answer(
        officer=officer, recommendation=rec, answer="accepted", explanation="ออกประกาศจังหวัดแล้ว"
    )
    reported = services.report(officer=officer, assembly=drawn)
    assert reported.status == "reported"
    actions = [e.action for e in audit_history(reported)]
    assert actions[:1] == ["create"] and "assembly_draw" in actions and "assembly_report" in actions
