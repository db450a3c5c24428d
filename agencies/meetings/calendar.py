"""A meeting as an iCalendar event (RFC 5545), for a phone's or a desktop's calendar."""

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting


def meeting_ics(meeting: Meeting, *, page_url: str, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Co-production Portal//meetings//TH")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    lines = [meeting.description.strip(), meeting.online_url, page_url]
    event.add("description", "\n\n".join(line for line in lines if line))
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.online_url:
        event.add("location", meeting.online_url)
    event.add("url", page_url)
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
