"""A mission's page shows its consultations and, once the agency answered, how many of its
decisions change something."""

from django.test import Client

from agencies.consultations import services
from tests import factories
from tests.helpers import text


def test_the_mission_page_lists_consultations_and_what_changed(officer, mission):
    consultation = factories.open_consultation(officer, mission=mission, title="Night buses")
    factories.open_consultation(officer, mission=mission, publish=False, title="Hidden draft")
    services.consultation_close(actor=officer, consultation=consultation)
    themes = [
        services.theme_add(actor=officer, consultation=consultation, name=name)
        for name in ("Routes", "Fares", "Safety")
    ]
    services.report_save(
        actor=officer,
        consultation=consultation,
        introduction="",
        decisions=[
            {"theme": themes[0].pk, "heard": "h", "outcome": "will_do", "action": "a"},
            {"theme": themes[1].pk, "heard": "h", "outcome": "partly", "action": "a"},
            {"theme": themes[2].pk, "heard": "h", "outcome": "will_not", "action": "a"},
        ],
    )
    services.consultation_report(actor=officer, consultation=consultation)
    client = Client()
    client.cookies["django_language"] = "en"
    shown = text(client.get(f"/missions/{mission.pk}/"))
    assert "Night buses" in shown
    assert "What changed: 2 decisions to act" in shown
    assert "Hidden draft" not in shown
