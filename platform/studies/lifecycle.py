"""A study's states and the design freeze: the one home of "may this study change now?".

draft → open → paused ⇄ open → closed (and draft → closed to abandon). Closing a study that has
ratings starts its final report (studies.jobs.start_analysis). Opening fixes the
pre-registered endpoint and margin and needs a pool that the allocation can serve. The design
(`Study.DESIGN_FIELDS`, the pool and its sources) freezes with the first rating: any change after
that is refused with a sentence that says why, so an analysis always matches what readers saw.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from studies.allocation import AllocationError, PoolItem, allocate
from studies.models import PoolImage, Rating, Study, StudyReader, StudyStatus, Trial

ALLOWED = {
    StudyStatus.DRAFT: {StudyStatus.OPEN, StudyStatus.CLOSED},
    StudyStatus.OPEN: {StudyStatus.PAUSED, StudyStatus.CLOSED},
    StudyStatus.PAUSED: {StudyStatus.OPEN, StudyStatus.CLOSED},
    StudyStatus.CLOSED: set(),
}


class StudyRefused(Exception):
    """A change the study's state does not allow; str() is the sentence to show."""


def design_is_frozen(study: Study) -> bool:
    return study.frozen_at is not None


def check_design_editable(study: Study) -> None:
    if design_is_frozen(study):
        raise StudyRefused(
            f"The design is frozen: readers have rated images since {study.frozen_at:%Y-%m-%d %H:%M} UTC. "
            "Start a new study to change it."
        )
    if study.status == StudyStatus.CLOSED:
        raise StudyRefused("The study is closed.")


def save_design(study: Study, **changes) -> Study:
    """Change design fields, refused once frozen. Other fields (title, texts, close date) stay editable."""
    design_changes = {k: v for k, v in changes.items() if k in Study.DESIGN_FIELDS and getattr(study, k) != v}
    with transaction.atomic():
        locked = Study.objects.select_for_update().get(pk=study.pk)
        if design_changes:
            check_design_editable(locked)
            if locked.status != StudyStatus.DRAFT:
                raise StudyRefused("The design is fixed once the study opens; pause it only to change texts.")
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
    return locked


def pool_items(study: Study) -> list[PoolItem]:
    return [PoolItem(key=str(p.pk), truth=p.truth, finding=p.finding, role=p.role)
            for p in study.pool.only("pk", "truth", "finding", "role")]


def check_allocation(study: Study) -> None:
    """Refuse a plan the pool cannot serve, with the allocation's own sentence."""
    try:
        allocate(pool_items(study), study.plan(), study.seed)
    except AllocationError as exc:
        raise StudyRefused(str(exc)) from None


def transition(study: Study, to: str) -> Study:
    with transaction.atomic():
        locked = Study.objects.select_for_update().get(pk=study.pk)
        if to not in ALLOWED[locked.status]:
            raise StudyRefused(f"A {locked.get_status_display().lower()} study cannot become {to}.")
        if to == StudyStatus.OPEN and locked.opened_at is None:
            check_allocation(locked)
            from studies.audit import opening_problem

            problem = opening_problem(locked)
            if problem:
                raise StudyRefused(problem)
            locked.opened_at = timezone.now()
        locked.status = to
        locked.save(update_fields=["status", "opened_at"])
        if to == StudyStatus.CLOSED and Rating.objects.filter(trial__reader__study=locked).exists():
            # The final report: queued in this transaction, so it is sent only if the close commits.
            from studies.jobs import start_analysis

            start_analysis(locked.owner, locked)
    return locked


def join(study: Study, user) -> StudyReader:
    """Make `user` a reader of `study` in the next free slot and lay out their trials (idempotent)."""
    with transaction.atomic():
        locked = Study.objects.select_for_update().get(pk=study.pk)
        existing = StudyReader.objects.filter(study=locked, user=user).first()
        if existing:
            return existing
        if locked.status == StudyStatus.CLOSED:
            raise StudyRefused("The study is closed.")
        taken = set(locked.readers.values_list("slot", flat=True))
        free = [slot for slot in range(locked.reader_slots) if slot not in taken]
        if not free:
            raise StudyRefused(f"All {locked.reader_slots} reader places of this study are taken.")
        reader = StudyReader.objects.create(study=locked, user=user, slot=free[0])
        lay_out_trials(reader)
    return reader


def lay_out_trials(reader: StudyReader) -> None:
    """The reader's slot's sequence from the seed, stored as Trial rows."""
    study = reader.study
    try:
        sequence = allocate(pool_items(study), study.plan(), study.seed)[reader.slot]
    except AllocationError as exc:
        raise StudyRefused(str(exc)) from None
    pool = {str(p.pk): p for p in PoolImage.objects.filter(study=study)}
    trials = Trial.objects.bulk_create([
        Trial(reader=reader, position=i, session=t.session, kind=t.kind, first=pool[t.items[0]],
              second=pool[t.items[1]] if len(t.items) > 1 else None)
        for i, t in enumerate(sequence)
    ])
    repeats = []
    for trial, planned in zip(trials, sequence):
        if planned.repeat_of is not None:
            trial.repeat_of = trials[planned.repeat_of]
            repeats.append(trial)
    Trial.objects.bulk_update(repeats, ["repeat_of"])
