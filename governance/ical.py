"""iCalendar (RFC 5545) text for committee meetings, written by hand: a few
properties do not justify a dependency.

What RFC 5545 asks and this module does: CRLF line endings (3.1), content
lines folded at 75 octets without splitting a UTF-8 character (3.1), TEXT
values escaping backslash, semicolon, comma and newlines (3.3.11), a UID
stable per meeting, DTSTAMP, and DTSTART/DTEND in UTC with a trailing Z.
Control characters (other than line breaks, written as ``\\n``) are
dropped from TEXT values, and an end past the year 9999 is written as the
last representable moment rather than raising.

The public feed (``public=True``) carries the meeting's title, dates, place
and committee only: its agenda and summary need a sign-in.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from .models import Meeting

PRODID = "-//Orchestre//Steering committees//FR"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def escape_text(value: str) -> str:
    value = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets; continuation
    lines start with a space (which counts in their 75)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        raw = char.encode("utf-8")
        if len(current) + len(raw) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74
        current += raw
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ends_at(meeting: Meeting) -> datetime.datetime:
    """Start plus duration, or the last representable moment when that
    would pass the year 9999."""
    try:
        return meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes or 0)
    except OverflowError:
        return datetime.datetime.max.replace(tzinfo=datetime.UTC)


def ascii_filename(text: str, *, suffix: str) -> str:
    """A file name safe in a Content-Disposition header: ASCII letters,
    digits, dots, dashes and underscores only (accents folded)."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-._")[:80] or "calendar"
    return f"{stem}{suffix}"


def meeting_uid(meeting: Meeting) -> str:
    return f"orchestre-meeting-{meeting.pk}@{settings.SITE_URL.split('://')[-1].split('/')[0]}"


def _event(meeting: Meeting, stamp: datetime.datetime, *, public: bool) -> list[str]:
    if public:
        description = ""
    else:
        agenda = [f"{n}. {item.title}" for n, item in enumerate(meeting.agenda_items.all(), start=1)]
        description = "\n".join([meeting.summary, *agenda]).strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{utc(stamp)}",
        f"LAST-MODIFIED:{utc(meeting.updated_at)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(ends_at(meeting))}",
        f"SUMMARY:{escape_text(f'{meeting} — {meeting.committee.name}')}",
        f"STATUS:{'CANCELLED' if meeting.status == Meeting.Status.CANCELLED else 'CONFIRMED'}",
        f"URL:{settings.SITE_URL}{meeting.get_absolute_url()}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{escape_text(meeting.place)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, name: str, public: bool = False) -> str:
    """A VCALENDAR with one VEVENT per meeting. Meetings need ``committee``
    selected and, unless ``public``, ``agenda_items`` prefetched."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines.extend(_event(meeting, stamp, public=public))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
