"""The inbox and its settings in a real browser, by keyboard, with axe."""

import datetime
import re

import pytest

from portal.models import Notice, NoticePreference
from portal.notices.services import notify
from tests import factories

pytestmark = pytest.mark.django_db
CONTEXT = {"seq": 1, "number": "G-2570-000001", "title": "เยี่ยมบ้าน", "due": "1 เม.ย."}


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


# --- in a real browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_the_inbox_and_its_settings_by_keyboard_with_axe(transactional_db, live_server, page):
    """The header's count, the filters, open and mark read, and the settings table: each
    control reached by its accessible name and operated from the keyboard; axe on each
    page."""
    from playwright.sync_api import expect

    from tests.browser.helpers import activate, assert_accessible, tick
    from tests.factories import PASSWORD

    agreement = factories.award()
    member = agreement.cso.members.get()
    (legal,) = give(member, kind="settlement_due")
    main = page.get_by_role("main")

    page.goto("/")
    language_form = page.locator("form[action$='/i18n/setlang/']")
    language_form.get_by_role("combobox").select_option("en")
    activate(language_form.get_by_role("button"))
    activate(page.get_by_role("banner").get_by_role("link", name="Sign in"))
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    activate(main.get_by_role("button", name="Sign in"))

    unread = Notice.objects.filter(recipient=member, read_at=None).count()  # the offer, …

    def notices_link(count):
        # The hidden word is its own box, so the computed name may space it: "(5 unread )".
        return page.get_by_role("link", name=re.compile(rf"^Notices \({count}\s*unread\s*\)$"))

    def button_for(action, notice):
        name = re.compile(rf"^{action}\s*:\s*{re.escape(notice.subject)}$")
        return main.get_by_role("button", name=name)

    activate(notices_link(unread))
    expect(page.get_by_role("heading", level=1, name="Notices")).to_be_visible()
    assert_accessible(page, "the notices")

    main.get_by_label("Kind of notice").select_option("settlement_due")
    tick(main.get_by_label("Unread only"))
    activate(main.get_by_role("button", name="Filter"))
    expect(main).to_contain_text("1 notice.")
    activate(button_for("Mark as read", legal))
    expect(notices_link(unread - 1)).to_be_visible()
    expect(main).to_contain_text("0 notices.")  # still filtered by unread
    expect(main.get_by_role("status").first).to_contain_text("as read.")

    page.goto("/notices/")
    offered = Notice.objects.get(recipient=member, kind="agreement_offered")
    activate(button_for("Open", offered))
    expect(page).to_have_url(re.compile(rf"/agreements/{agreement.pk}/$"))
    expect(notices_link(unread - 2)).to_be_visible()

    page.goto("/notices/preferences/")
    assert_accessible(page, "the notice settings")
    legal_box = main.get_by_label(re.compile(r"^The settlement falls due\s*:\s*In the portal$"))
    expect(legal_box).to_be_disabled()
    expect(legal_box).to_be_checked()
    email = main.get_by_label(re.compile(r"^A tranche was paid\s*:\s*Email$"))
    activate(email, "Space")
    expect(email).not_to_be_checked()
    activate(main.get_by_role("button", name="Save"))
    expect(main.get_by_text("Your notice settings are saved.")).to_be_visible()
    assert NoticePreference.objects.get(user=member, kind="tranche_paid").email is False
