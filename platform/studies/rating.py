"""Storing a rating exactly once: the one home of "never lose a rating, never count one twice".

The browser makes a UUID for each rating and resends it until the server acknowledges. Here:
- the same `client_id` again returns the stored rating (a retry, a double press);
- a trial already rated returns its stored rating, whatever the new id (a second tab): first wins;
- the first rating of a study freezes its design (studies.lifecycle);
- reading time on the server runs from the trial's serving (the page receiving it, or the rating
  before it arriving, since the page shows the next trial at once) to now.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from studies.models import Design, Rating, Study, StudyReader, StudyStatus, Trial
from studies.rating_input import MAX_TELL_CHARACTERS, RatingInput
from studies.rating_sql import insert_rating, trial_for_rating

REALISM_LEVELS = 5
# A rating arriving this long after its time limit is late on the server's clock too (network and
# rendering need a moment, so the browser's own timer decides within the grace).
TIME_LIMIT_GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class Membership:
    """Who rates, as the rating key names them (a StudyReader serves as well: it has both)."""

    pk: int
    user_id: int


class RatingRefused(Exception):
    """The rating cannot be stored; str() says why in one sentence."""


def answer_for(study: Study, confidence: int) -> str:
    """The lower half of the scale says real (2-AFC: the left image is real)."""
    real_side = confidence <= study.confidence_levels // 2
    if study.design == Design.TWO_AFC:
        return "left" if real_side else "right"
    return "real" if real_side else "synthetic"


def _validate(study: Study, given: RatingInput) -> None:
    if given.timed_out:
        if given.confidence is not None:
            raise RatingRefused("A timed-out image has no rating.")
    elif given.confidence is None or not 1 <= given.confidence <= study.confidence_levels:
        raise RatingRefused(f"Choose a rating from 1 to {study.confidence_levels}.")
    if given.realism is not None and (not study.ask_realism or not 1 <= given.realism <= REALISM_LEVELS):
        raise RatingRefused(f"Realism is a score from 1 to {REALISM_LEVELS}, when the study asks it.")
    for value in (given.tell_x, given.tell_y):
        if value is not None and not 0 <= value <= 1:
            raise RatingRefused("A click on the image must lie inside it.")
    if (given.tell_text or given.tell_x is not None) and not study.ask_tells:
        raise RatingRefused("This study does not ask what gave an image away.")
    if len(given.tell_text) > MAX_TELL_CHARACTERS:
        raise RatingRefused(f"Keep what gave it away under {MAX_TELL_CHARACTERS} characters.")


def _same_rating(stored: Rating, reader: StudyReader | Membership, given: RatingInput) -> tuple[Rating, bool]:
    if stored.trial.reader_id != reader.pk or stored.trial.position != given.position:
        raise RatingRefused("This rating id was already used for another image.")
    return stored, False


def _serving_time(trial: Trial):
    """When the trial's image was first in front of the reader: served by the reading API, or put on
    screen by the page the moment the rating before it was sent (the page holds trials ahead), so
    the earlier of `served_at` and the previous rating's arrival."""
    moments = [moment for moment in (trial.served_at, trial.previous_rated_at) if moment is not None]
    return min(moments) if moments else None


def record_rating(reader: StudyReader | Membership, given: RatingInput) -> tuple[Rating, bool]:
    """(rating, created). Safe to call any number of times with the same input.

    Only `reader.pk` and `reader.user_id` are read (the rating endpoint knows them from its key,
    studies.rating_keys, and passes a Membership without loading the row). No lock is taken: the
    database's unique constraints (client_id; one rating per trial) decide a race, and the loser
    reads the winner.
    The usual path is one read (trial, membership, study, any rating and the previous rating's
    time in one query) and one insert (studies/rating_sql.py); the study's first rating also
    freezes its design."""
    found = trial_for_rating(reader.pk, reader.user_id, given.position)
    if found is None:
        stored = Rating.objects.filter(client_id=given.client_id).select_related("trial").first()
        if stored is not None:
            return _same_rating(stored, reader, given)
        raise RatingRefused("There is no such image in your reading list.")
    trial, rated = found
    if rated:  # a retry, a double press, or a second tab: the first rating stands
        existing = Rating.objects.get(trial_id=trial.pk)
        existing.trial = trial
        if existing.client_id != given.client_id and Rating.objects.filter(client_id=given.client_id).exists():
            return _same_rating(Rating.objects.select_related("trial").get(client_id=given.client_id), reader, given)
        return existing, False
    membership, study = trial.reader, trial.reader.study
    if study.status != StudyStatus.OPEN:
        raise RatingRefused(f"The study is {study.get_status_display().lower()}; ratings are not taken now.")
    if membership.consented_at is None:
        raise RatingRefused("Give your consent before rating.")
    from studies.sessions import closed_sentence, session_opens_at

    opens = session_opens_at(membership, trial.session)
    if opens is not None:
        raise RatingRefused(closed_sentence(trial.session, opens))
    _validate(study, given)
    now = timezone.now()
    served = _serving_time(trial)
    server_ms = int((now - served).total_seconds() * 1000) if served else None
    late = (study.time_limit_seconds is not None and server_ms is not None
            and server_ms > (study.time_limit_seconds + TIME_LIMIT_GRACE_SECONDS) * 1000)
    rating = Rating(
        client_id=given.client_id, trial=trial,
        answer="" if given.timed_out else answer_for(study, given.confidence),
        confidence=None if given.timed_out else given.confidence, timed_out=given.timed_out or late,
        realism=given.realism, tell_text=given.tell_text, tell_x=given.tell_x, tell_y=given.tell_y,
        server_ms=server_ms, client_ms=given.client_ms, display=given.display or {},
    )
    first_rating = study.frozen_at is None
    # One statement needs no transaction of its own; the first rating and the freeze land together,
    # and inside a caller's transaction a savepoint keeps it usable should the insert lose a race.
    block = transaction.atomic() if first_rating or connection.in_atomic_block else nullcontext()
    try:
        with block:
            insert_rating(rating)
            if first_rating:
                Study.objects.filter(pk=study.pk, frozen_at__isnull=True).update(frozen_at=now)
    except IntegrityError:
        # The same id, or this trial, raced in from a second request: the one that won is the rating.
        stored = Rating.objects.select_related("trial").filter(client_id=given.client_id).first()
        if stored is not None:
            return _same_rating(stored, reader, given)
        stored = Rating.objects.filter(trial=trial).first()
        if stored is None:
            raise
        return stored, False
    return rating, True


def next_trial(reader: StudyReader) -> Trial | None:
    """Where the reader resumes: the first trial without a rating, on any device."""
    return reader.trials.filter(rating__isnull=True).order_by("position").first()


def mark_served(trial: Trial) -> None:
    """Reading time starts the first time the image is served (a reload does not restart it)."""
    Trial.objects.filter(pk=trial.pk, served_at__isnull=True).update(served_at=timezone.now())
