"""``{% health_panel %}``: the staff's view of /health/ (see portal.health)."""

from django import template

from portal.health import system_health

register = template.Library()


@register.inclusion_tag("includes/health_panel.html")
def health_panel():
    return {"health": system_health()}
