"""The inbox on the web, as a person uses it: the header's unread count, the list with its
filters, mark as read (one, all), open a notice's page, and the choice per kind of notice
between email and the portal, where a legal deadline's in-portal notice cannot be turned
off, even by a crafted form."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Notice, NoticePreference
from portal.notices.kinds import KINDS
from portal.notices.services import notice_preferences_save, notify
from tests import factories
from tests.helpers import page, text

pytestmark = pytest.mark.django_db
LIST = reverse("notice-list")
PREFS = reverse("notice-preferences")
CONTEXT = {"seq": 1, "number": "G-2570-000001", "title": "เยี่ยมบ้าน", "due": "1 เม.ย."}


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def give(user, n=1, *, kind="report_due", url="/calls/", start=datetime.date(2027, 4, 1)):
    """``n`` notices of ``kind`` to ``user``, each for another due date (another key)."""
    user.language = "en"  # notices are written in the recipient's language
    user.save(update_fields=["language"])
    about = factories.AgencyFactory()
    made = []
    for i in range(n):
        made += notify(
            kind,
            [user],
            about,
            due_on=start + datetime.timedelta(days=i),
            context={**CONTEXT, "seq": i + 1},
            url=url,
        )
    return made


def header_link(response) -> str:
    """The words of the header's Notices link, as a screen reader reads them."""
    match = re.search(r'<a href="/notices/" class="notices-link">(.*?)</a>', page(response))
    assert match, "no Notices link in the header"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


# --- sign in first -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, member):
    (notice,) = give(member)
    for url in (LIST, PREFS):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for name, args in [("notice-read", [notice.pk]), ("notice-open", [notice.pk])]:
        response = client.post(reverse(name, args=args))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("notice-read-all"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    notice.refresh_from_db()
    assert notice.read_at is None
    assert 'class="notices-link"' not in page(client.get(reverse("home")))


# --- the header ----------------------------------------------------------------------------


def test_the_header_counts_unread_notices_and_follows_mark_read(english, member):
    first, second, third = give(member, 3)
    english.force_login(member)
    assert header_link(english.get(reverse("home"))) == "Notices (3 unread)"

    english.post(reverse("notice-read", args=[first.pk]))
    assert header_link(english.get(reverse("call-list"))) == "Notices (2 unread)"

    english.post(reverse("notice-read-all"))
    assert header_link(english.get(reverse("home"))) == "Notices"


def test_the_header_costs_one_count_and_only_when_signed_in(client, member):
    give(member, 2)
    with CaptureQueriesContext(connection) as anonymous:
        client.get(reverse("home"))
    assert not [q for q in anonymous.captured_queries if "portal_notice" in q["sql"]]
    client.force_login(member)
    with CaptureQueriesContext(connection) as signed_in:
        client.get(reverse("home"))
    on_notices = [q["sql"] for q in signed_in.captured_queries if '"portal_notice"' in q["sql"]]
    assert len(on_notices) == 1 and "COUNT(" in on_notices[0].upper()


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_only_ones_own_notices_newest_first(english, member, other_member):
    give(member, 2)
    theirs = give(other_member, kind="tranche_paid")[0]
    english.force_login(member)
    body = text(english.get(LIST))
    assert "Progress report 2 of G-2570-000001" in body
    assert body.index("Progress report 2 of") < body.index("Progress report 1 of")
    assert theirs.subject not in body
    assert "2 notices." in body
    assert body.count("Unread Progress report") == 2  # said in words, not only by style
    assert "A progress report falls due" in body  # the kind's label


def test_each_notice_shows_its_dates_in_the_buddhist_era(english, member):
    give(member, start=datetime.date(2027, 4, 1))
    english.force_login(member)
    body = text(english.get(LIST))
    assert "Due: 1 April 2570 BE" in body
    assert re.search(r"Sent: \d{1,2} \w+ 25\d\d BE, \d\d:\d\d", body)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    assert "1 เมษายน พ.ศ. 2570" in text(english.get(LIST))


def test_filters_by_kind_and_unread(english, member):
    due = give(member, 2, kind="report_due")
    give(member, 1, kind="tranche_paid")
    english.force_login(member)
    english.post(reverse("notice-read", args=[due[0].pk]))

    assert "3 notices." in text(english.get(LIST))
    assert "2 notices." in text(english.get(LIST, {"kind": "report_due"}))
    assert "2 notices." in text(english.get(LIST, {"unread": "on"}))
    assert "1 notice." in text(english.get(LIST, {"kind": "report_due", "unread": "on"}))
    assert "0 notices." in text(english.get(LIST, {"kind": "settlement_due"}))
    assert "No notice matches these filters." in text(english.get(LIST, {"kind": "settlement_due"}))
    odd = english.get(LIST, {"kind": "nonsense", "page": "x", "unread": "maybe"})
    assert odd.status_code == 200 and "3 notices." in text(odd)


def test_a_notice_turned_off_in_the_portal_is_not_listed(english, member):
    notice_preferences_save(user=member, choices={"tranche_paid": {"email": True, "in_app": False}})
    give(member, kind="tranche_paid")
    english.force_login(member)
    assert "You have no notices yet." in text(english.get(LIST))
    assert header_link(english.get(LIST)) == "Notices"


def test_the_list_is_paginated_and_costs_the_same_queries_whatever_its_length(english, member):
    english.force_login(member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = english.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    give(member, 2)
    few = queries()
    give(member, 23, kind="tranche_paid")
    many = queries()
    assert few == many, (few, many)
    first = text(english.get(LIST))
    assert "25 notices." in first and "Page 1 of 2" in first
    assert page(english.get(LIST)).count('action="/notices/') >= 20
    second = text(english.get(LIST, {"page": 2}))
    assert "Page 2 of 2" in second and "Progress report 1 of" in second


# --- mark as read, open --------------------------------------------------------------------


def test_mark_as_read_returns_to_the_list_as_it_was(english, member):
    notice, other = give(member, 2)
    english.force_login(member)
    back = f"{LIST}?unread=on&kind=report_due"
    response = english.post(reverse("notice-read", args=[notice.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    notice.refresh_from_db()
    assert notice.read_at is not None
    body = text(english.get(back))
    assert "1 notice." in body and "Marked “" in body and "as read" in body

    response = english.post(reverse("notice-read", args=[other.pk]), {"next": "https://evil.test/"})
    assert response.url == LIST  # never back to another site


def test_mark_all_as_read(english, member, other_member):
    give(member, 3)
    (theirs,) = give(other_member)
    english.force_login(member)
    assert "Mark all as read" in text(english.get(LIST))
    english.post(reverse("notice-read-all"))
    assert not Notice.objects.filter(recipient=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another person's notices are theirs to read
    body = text(english.get(LIST))
    assert "Mark all as read" not in body and "Unread in all: 0." in body
    assert body.count("Read on ") == 3


def test_someone_elses_notice_cannot_be_read_or_opened(english, member, other_member):
    (theirs,) = give(other_member)
    english.force_login(member)
    for name in ("notice-read", "notice-open"):
        assert english.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert english.get(reverse("notice-read", args=[theirs.pk])).status_code == 405


def test_opening_a_notice_marks_it_read_and_leads_to_its_page(english):
    agreement = factories.award()
    member = agreement.cso.members.get()
    offered = Notice.objects.get(recipient=member, kind="agreement_offered")
    english.force_login(member)
    body = page(english.get(LIST))
    assert f'action="{reverse("notice-open", args=[offered.pk])}"' in body
    assert english.get(reverse("notice-open", args=[offered.pk])).status_code == 405  # POST only

    response = english.post(reverse("notice-open", args=[offered.pk]))
    assert response.status_code == 302
    assert response.url == reverse("agreement-detail", args=[agreement.pk])
    offered.refresh_from_db()
    assert offered.read_at is not None


def test_a_notice_never_leads_to_another_site(english, member):
    (notice,) = give(member, url="https://evil.test/phish")
    english.force_login(member)
    response = english.post(reverse("notice-open", args=[notice.pk]))
    assert response.url == LIST
    (plain,) = give(member, url="", start=datetime.date(2028, 1, 1))
    assert f'action="{reverse("notice-open", args=[plain.pk])}"' not in page(english.get(LIST))


# --- preferences ---------------------------------------------------------------------------


def all_on(**overrides) -> dict:
    """The preferences form as posted with every enabled box ticked, then ``overrides``
    (a value of None leaves the box out, as an unticked checkbox is)."""
    data = {}
    for code in KINDS:
        data[f"email_{code}"] = "on"
        data[f"in_app_{code}"] = "on"
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_the_preferences_page_lists_every_kind_with_two_checkboxes(english, member):
    english.force_login(member)
    response = english.get(PREFS)
    body = page(response)
    words = text(response)
    for kind in KINDS.values():
        assert str(kind.label) in words
    assert "CSO members with a draft proposal" in words  # who each kind goes to
    assert body.count('type="checkbox"') == 2 * len(KINDS)
    legal = [code for code, kind in KINDS.items() if kind.legal]
    assert words.count("Legal deadline: always shown in the portal") == len(legal)
    box = re.search(r'<input[^>]*name="in_app_settlement_due"[^>]*>', body).group(0)
    assert "disabled" in box and "checked" in box
    assert 'aria-describedby="legal_settlement_due"' in box
    assert "disabled" not in re.search(r'<input[^>]*name="in_app_report_due"[^>]*>', body).group(0)
    assert ">A progress report falls due: </span>Email</label>" in body  # its accessible name


def test_email_off_for_a_kind_is_saved_and_notify_then_skips_email(english, member):
    english.force_login(member)
    response = english.post(PREFS, all_on(email_report_due=None))
    assert response.status_code == 302 and response.url == PREFS
    assert "Your notice settings are saved." in text(english.get(PREFS))
    pref = NoticePreference.objects.get(user=member, kind="report_due")
    assert (pref.email, pref.in_app) == (False, True)
    box = re.search(r'<input[^>]*name="email_report_due"[^>]*>', page(english.get(PREFS))).group(0)
    assert "checked" not in box  # the page shows what was saved

    (due,) = give(member, kind="report_due")
    (paid,) = give(member, kind="tranche_paid")
    assert (due.email_status, due.in_app) == ("off", True)
    assert paid.email_status == "pending"  # other kinds still go by email


def test_a_legal_deadline_stays_in_the_portal_even_when_a_crafted_form_says_no(english, member):
    english.force_login(member)
    english.post(PREFS, all_on(in_app_settlement_due=None, in_app_report_due=None))
    english.post(PREFS, all_on(in_app_settlement_due="", in_app_report_due=None))
    assert NoticePreference.objects.get(user=member, kind="settlement_due").in_app is True
    assert NoticePreference.objects.get(user=member, kind="report_due").in_app is False

    (legal,) = give(member, kind="settlement_due")
    (plain,) = give(member, kind="report_due")
    assert legal.in_app is True and plain.in_app is False
    body = text(english.get(LIST))
    assert legal.subject in body and plain.subject not in body


def test_the_service_refuses_to_turn_off_a_legal_in_app_notice_and_unknown_kinds(member):
    notice_preferences_save(
        user=member,
        choices={
            "end_notice": {"email": False, "in_app": False},
            "call_closed": {"email": False, "in_app": False},
        },
    )
    saved = {p.kind: (p.email, p.in_app) for p in NoticePreference.objects.filter(user=member)}
    assert saved == {"end_notice": (False, True), "call_closed": (False, False)}
    with pytest.raises(ValidationError):
        notice_preferences_save(user=member, choices={"no_such_kind": {"email": False}})
    assert NoticePreference.objects.filter(user=member).count() == 2


def test_an_account_without_email_is_told_notices_stay_in_the_portal(english, member):
    member.email = ""
    member.save(update_fields=["email"])
    english.force_login(member)
    assert "notices reach you in the portal only" in text(english.get(PREFS))
