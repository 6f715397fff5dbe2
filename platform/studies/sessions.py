"""Reading sessions and the washout between them: the one home of "may this reader go on now?".

A study's sequence is cut into sessions (studies.allocation). With `washout_days`, session n + 1
opens that many days after the reader's last rating in session n, so memory of the images fades
before repeats or a second look. The reading page and the rating store both ask here.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from studies.models import Rating, StudyReader


def session_opens_at(reader: StudyReader, session: int) -> datetime | None:
    """When `session` opens for this reader; None when it is open (or has no washout)."""
    washout = reader.study.washout_days
    if session <= 1 or not washout:
        return None
    last = Rating.objects.filter(trial__reader=reader, trial__session=session - 1).aggregate(at=Max("rated_at"))["at"]
    if last is None:
        return None
    opens = last + timedelta(days=washout)
    return opens if opens > timezone.now() else None


def closed_sentence(session: int, opens: datetime) -> str:
    return f"Session {session} opens on {opens:%Y-%m-%d %H:%M} UTC, after the washout."
