"""States, the design freeze, joining, idempotent ratings and resume, on the real database."""
import uuid

import pytest

from studies.lifecycle import StudyRefused, join, save_design, transition
from studies.models import PoolImage, Rating, Study, StudyStatus
from studies.pool import add_collection, summarise
from studies.rating import RatingInput, RatingRefused, next_trial, record_rating
from tests.accounts.factories import UserFactory
from tests.studies.conftest import make_collection, open_study

pytestmark = pytest.mark.django_db


def _open(study):
    return open_study(study)


def _reader(study, name="rad1"):
    reader = join(study, UserFactory(username=name))
    reader.consented_at = reader.joined_at
    reader.save(update_fields=["consented_at"])
    return reader


def test_the_design_freezes_with_the_first_rating_and_says_why(draft_study):
    study = save_design(draft_study, confidence_levels=4)
    study = _open(study)
    with pytest.raises(StudyRefused, match="fixed once the study opens"):
        save_design(study, repeat_share=0.1)
    study = save_design(study, title="Chest CT realism (v2)")  # texts stay editable
    reader = _reader(study)
    record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=0, confidence=1))
    study.refresh_from_db()
    assert study.frozen_at is not None
    study = transition(study, StudyStatus.PAUSED)
    with pytest.raises(StudyRefused, match="The design is frozen"):
        save_design(study, confidence_levels=6)
    with pytest.raises(StudyRefused, match="The design is frozen"):
        add_collection(study, make_collection(study.owner, "More", "real", 1, seed=50), kind="real")
    assert Study.objects.get(pk=study.pk).confidence_levels == 4


def test_a_study_moves_only_along_its_states(draft_study):
    with pytest.raises(StudyRefused, match="cannot become paused"):
        transition(draft_study, StudyStatus.PAUSED)
    study = transition(_open(draft_study), StudyStatus.CLOSED)
    with pytest.raises(StudyRefused, match="cannot become open"):
        transition(study, StudyStatus.OPEN)


def test_opening_refuses_a_plan_the_pool_cannot_serve(draft_study):
    save_design(draft_study, repeat_share=0.5, repeat_gap=20)
    with pytest.raises(StudyRefused, match="do not fit"):
        open_study(draft_study)
    assert Study.objects.get(pk=draft_study.pk).status == StudyStatus.DRAFT


def test_each_reader_gets_the_slot_sequence_the_seed_gives(draft_study):
    study = _open(save_design(draft_study, repeat_share=0.1, repeat_gap=5))
    first = _reader(study, "rad1")
    assert join(study, first.user) == first  # joining twice keeps one membership
    again = _reader(study, "rad2")
    assert (first.slot, again.slot) == (0, 1)
    from studies.allocation import allocate
    from studies.lifecycle import pool_items
    planned = allocate(pool_items(study), study.plan(), study.seed)
    stored = [[(str(t.first_id),) for t in r.trials.order_by("position")] for r in (first, again)]
    assert stored == [[t.items for t in planned[0]], [t.items for t in planned[1]]]
    repeats = first.trials.filter(kind="repeat")
    assert repeats.count() == 2 and all(t.position - t.repeat_of.position >= 5 for t in repeats)


def test_a_full_study_says_so(draft_study):
    study = _open(save_design(draft_study, reader_slots=1))
    _reader(study)
    with pytest.raises(StudyRefused, match="All 1 reader places"):
        join(study, UserFactory(username="late"))


def test_a_rating_sent_twice_is_stored_once_and_a_second_tab_cannot_overwrite(draft_study):
    reader = _reader(_open(draft_study))
    client_id = uuid.uuid4()
    rating, created = record_rating(reader, RatingInput(client_id=client_id, position=0, confidence=2))
    again, created_again = record_rating(reader, RatingInput(client_id=client_id, position=0, confidence=2))
    other_tab, created_other = record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=0, confidence=6))
    assert (created, created_again, created_other) == (True, False, False)
    assert rating.pk == again.pk == other_tab.pk and Rating.objects.count() == 1
    assert Rating.objects.get().answer == "real" and Rating.objects.get().confidence == 2
    with pytest.raises(RatingRefused, match="another image"):
        record_rating(reader, RatingInput(client_id=client_id, position=1, confidence=2))


@pytest.mark.parametrize(("given", "sentence"), [
    (dict(confidence=7), "from 1 to 6"),
    (dict(confidence=None), "from 1 to 6"),
    (dict(confidence=3, realism=4), "Realism"),
    (dict(confidence=3, tell_text="edges"), "does not ask"),
    (dict(confidence=3, timed_out=True), "timed-out"),
    (dict(confidence=3, position=999), "no such image"),
])
def test_bad_ratings_are_refused_with_a_sentence_and_store_nothing(draft_study, given, sentence):
    reader = _reader(_open(draft_study))
    given = {"client_id": uuid.uuid4(), "position": 0, **given}
    with pytest.raises(RatingRefused, match=sentence):
        record_rating(reader, RatingInput(**given))
    assert not Rating.objects.exists()


def test_no_rating_without_consent_or_while_paused(draft_study):
    study = _open(draft_study)
    reader = join(study, UserFactory(username="hasty"))
    with pytest.raises(RatingRefused, match="consent"):
        record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=0, confidence=1))
    transition(study, StudyStatus.PAUSED)
    reader = _reader(study, "rad9")
    with pytest.raises(RatingRefused, match="paused"):
        record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=0, confidence=1))


def test_a_reader_resumes_at_the_first_unrated_image(draft_study):
    reader = _reader(_open(draft_study))
    for position in (0, 1, 3):
        record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=position, confidence=5))
    assert next_trial(reader).position == 2
    record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=2, confidence=5))
    assert next_trial(reader).position == 4
    assert Rating.objects.filter(trial__position=3).get().answer == "synthetic"


def test_the_pool_summary_warns_when_real_and_synthetic_do_not_match(draft_study, researcher):
    assert summarise(draft_study).warnings == []
    odd = make_collection(researcher, "Small", "synthetic", 2, seed=300)
    odd.images.update(width=256, height=256)
    add_collection(draft_study, odd, kind="external", generator_name="DDPM")
    summary = summarise(draft_study)
    assert summary.synthetic.count == 12
    assert any("Image sizes differ" in w for w in summary.warnings)


def test_sources_must_say_what_they_are(draft_study, researcher):
    with pytest.raises(StudyRefused, match="Name the generator"):
        add_collection(draft_study, make_collection(researcher, "Anon", "synthetic", 1, seed=400), kind="external")
    with pytest.raises(StudyRefused, match="holds synthetic images"):
        add_collection(draft_study, make_collection(researcher, "Mixed up", "synthetic", 1, seed=500), kind="real")
    assert PoolImage.objects.filter(study=draft_study).count() == 20


def test_the_next_session_waits_for_its_washout_on_the_page_and_in_the_store(draft_study):
    from datetime import timedelta

    from django.utils import timezone

    from studies.reading import current_payload

    reader = _reader(_open(save_design(draft_study, session_size=5, washout_days=7)))
    for position in range(5):
        record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=position, confidence=2))
    payload = current_payload(reader)
    assert payload["trials"] == [] and "Session 2 opens on" in payload["waiting"]
    with pytest.raises(RatingRefused, match="Session 2 opens on"):
        record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=5, confidence=2))
    Rating.objects.filter(trial__reader=reader).update(rated_at=timezone.now() - timedelta(days=8))
    payload = current_payload(reader)
    assert [t["position"] for t in payload["trials"]] == [5, 6, 7, 8] and "waiting" not in payload
    assert all(t["session"] == 2 for t in payload["trials"])


def test_reader_progress_counts_rated_and_all_trials_in_one_query(draft_study, django_assert_num_queries):
    from studies.models import StudyReader
    from studies.reading import with_progress

    reader = _reader(_open(draft_study))
    for position in (0, 3):
        record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=position, confidence=5))
    with django_assert_num_queries(1):
        rows = with_progress(StudyReader.objects.filter(pk=reader.pk))
    assert [(r.pk, rated, total) for r, rated, total in rows] == [(reader.pk, 2, 20)]


def test_the_readers_page_shows_each_readers_progress_and_makes_invitation_links(client, draft_study):
    from django.urls import reverse

    study = _open(draft_study)
    reader = _reader(study)
    record_rating(reader, RatingInput(client_id=uuid.uuid4(), position=0, confidence=5))
    client.force_login(study.owner)
    page = client.post(reverse("studies:readers", args=[study.public_id]), {"email": ""})
    assert b"1 of 20" in page.content and b"data-invitation-link" in page.content
    from accounts.models import Invitation
    assert Invitation.objects.get().target == study
