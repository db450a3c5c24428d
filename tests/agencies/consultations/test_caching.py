"""The public consultation pages come from the cache (portal.caching) and are never stale:
a repeated visit costs almost no query, and any change (a new consultation, a contribution,
a moderator hiding one, a theme) shows on the very next visit."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies.consultations import analysis, services
from tests import factories
from tests.helpers import page


def _visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return page(response), len(queries.captured_queries)


def test_a_repeated_visit_to_the_list_is_served_from_the_cache_and_changes_show_at_once(officer):
    factories.open_consultation(officer, title="Water supply")
    visitor = Client()
    first, cold = _visit(visitor, "/consultations/")
    again, warm = _visit(visitor, "/consultations/")
    assert "Water supply" in first and "Water supply" in again
    assert warm < cold and warm <= 3  # the session and the reference lists at most

    factories.open_consultation(officer, title="Bus routes")
    fresh, _ = _visit(visitor, "/consultations/")
    assert "Bus routes" in fresh and "Water supply" in fresh


def test_a_visitor_sees_a_new_contribution_and_no_longer_a_hidden_one(officer):
    consultation = factories.open_consultation(officer)
    url = f"/consultations/{consultation.pk}/discussion/"
    visitor = Client()
    before, _ = _visit(visitor, url)
    idea = services.contribution_add(
        consultation=consultation,
        author=factories.citizen(),
        data={"kind": "idea", "text": "ขยายเวลาเปิดห้องสมุดถึงสองทุ่ม"},
    )
    shown, cold = _visit(visitor, url)
    assert "ขยายเวลาเปิดห้องสมุดถึงสองทุ่ม" in shown
    _, warm = _visit(visitor, url)
    assert warm < cold

    services.contribution_hide(contribution=idea, moderator=officer, reason="off_topic")
    after, _ = _visit(visitor, url)
    assert "ขยายเวลาเปิดห้องสมุดถึงสองทุ่ม" not in after


def test_the_summary_is_computed_once_and_follows_the_themes(officer):
    consultation = factories.open_consultation(officer)
    idea = services.contribution_add(
        consultation=consultation,
        author=factories.citizen(),
        data={"kind": "idea", "text": "รถเมล์สายใหม่ผ่านโรงพยาบาล"},
    )
    services.consultation_close(actor=officer, consultation=consultation)
    url = f"/consultations/{consultation.pk}/summary/"
    visitor = Client()
    _, cold = _visit(visitor, url)
    _, warm = _visit(visitor, url)
    assert warm < cold
    theme = services.theme_add(actor=officer, consultation=consultation, name="การเดินทาง")
    services.contribution_tag(actor=officer, contribution=idea, theme_ids=[theme.pk])
    shown, _ = _visit(visitor, url)
    assert "การเดินทาง" in shown
    assert [(t["theme"].name, t["count"]) for t in analysis.summary(consultation)["themes"]] == [
        ("การเดินทาง", 1)
    ]
