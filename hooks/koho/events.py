"""Events (催し): the optional `event:` block of a notice of the events category
(schemas.yml), as a plain record, and its one layout on the notice page
(theme/partials/koho/event-details.html).

A date written without a time means the whole day: `start: 2026-10-25` is read as the
start of that day and `end: 2026-10-25` (and `deadline:`) as its end, so a time of
00:00 is shown, and exported, as "no time given"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from .templates import Templates


@dataclass(frozen=True)
class Event:
    start: dt.datetime
    place: str
    end: dt.datetime | None = None
    address: str | None = None
    fee: int | None = None  # yen; 0 when free (無料)
    capacity: int | None = None
    apply: str | None = None  # how to apply
    deadline: dt.datetime | None = None
    organiser: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


def to_event(values: dict | None) -> Event | None:
    """The record of a checked `event:` block (or None when the notice has none)."""
    if not values:
        return None
    contact = values.get("contact") or {}
    return Event(
        start=values["start"], place=values["place"], end=values.get("end"),
        address=values.get("address"), fee=values.get("fee"), capacity=values.get("capacity"),
        apply=values.get("apply"), deadline=values.get("deadline"), organiser=values.get("organiser"),
        contact_name=contact.get("name"), contact_phone=contact.get("phone"),
        contact_email=contact.get("email"),
    )


def day_and_time(moment: dt.datetime, tz: Any, is_end: bool = False) -> tuple[dt.date, dt.time | None]:
    """The local day and time of a moment; a whole-day end (00:00 of the next day) is that day."""
    local = moment.astimezone(tz)
    if local.time() == dt.time(0, 0):
        return (local.date() - dt.timedelta(days=1) if is_end else local.date()), None
    return local.date(), local.time()


def as_json(event: Event) -> dict[str, Any]:
    """The event as plain JSON values (ISO 8601 date-times with their offset)."""
    def iso(moment: dt.datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "start": iso(event.start), "end": iso(event.end), "place": event.place,
        "address": event.address, "fee": event.fee, "capacity": event.capacity,
        "apply": event.apply, "deadline": iso(event.deadline), "organiser": event.organiser,
        "contact": {"name": event.contact_name, "phone": event.contact_phone,
                    "email": event.contact_email},
    }


def render_details(templates: Templates, event: Event, t: dict[str, str], tz: Any,
                   value_lang: str | None, data_link: str = "") -> str:
    """The event's facts in one layout (value_lang: the tag of the values' language where it
    differs from the page's, or None); data_link: the open data link partial, if any."""
    def midnight(day: dt.date | None) -> dt.datetime | None:  # the date filter wants a datetime
        return dt.datetime.combine(day, dt.time()) if day else None

    start_day, start_time = day_and_time(event.start, tz)
    end_day, end_time = day_and_time(event.end, tz, is_end=True) if event.end else (None, None)
    deadline = day_and_time(event.deadline, tz, is_end=True) if event.deadline else None
    return templates.render(
        "event-details.html", event=event, t=t, value_lang=value_lang, start_day=midnight(start_day),
        start_time=start_time, end_day=midnight(end_day), end_time=end_time,
        deadline=(midnight(deadline[0]), deadline[1]) if deadline else None,
        data_link=Markup(data_link),
    )
