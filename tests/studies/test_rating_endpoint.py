"""The rating endpoint: authenticated by the page's rating key, strict about its JSON, and cheap
(one read and one insert on the usual path), with the same store behind it as every other door."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studies.lifecycle import join
from studies.models import Rating, Trial
from studies.rating_input import BadRating, parse_rating
from studies.rating_keys import issue_key
from tests.accounts.factories import UserFactory
from tests.studies.conftest import open_study



def _reader(study, name="rad1"):
    reader = join(study, UserFactory(username=name))
    reader.consented_at = reader.joined_at
    reader.save(update_fields=["consented_at"])
    return reader


def _post(client, study, body, key):
    headers = {"HTTP_X_RATING_KEY": key} if key is not None else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(reverse("api:ratings", args=[study.public_id]), data=data,
                       content_type="application/json", **headers)


def _rating(position=0, confidence=2, **more):
    return {"client_id": str(uuid.uuid4()), "position": position, "confidence": confidence, **more}


@pytest.mark.django_db
def test_the_reading_api_hands_out_a_key_that_stores_ratings_without_a_session(client, draft_study):
    study = open_study(draft_study)
    reader = _reader(study)
    client.force_login(reader.user)
    key = client.get(reverse("api:reading-next", args=[study.public_id])).json()["rating_key"]
    client.logout()  # the key alone is enough, and cookies are not needed
    response = _post(client, study, _rating(), key)
    assert response.status_code == 201, response.content
    assert Rating.objects.filter(trial__reader=reader).count() == 1


@pytest.mark.django_db
def test_no_key_a_forged_key_or_another_studys_key_stores_nothing(client, draft_study, researcher):
    from studies.models import Study
    from tests.studies.conftest import make_collection
    from studies.pool import add_collection

    study = open_study(draft_study)
    reader = _reader(study)
    other = Study.objects.create(owner=researcher, title="Other", seed=1)
    add_collection(other, make_collection(researcher, "Other real", "real", 5), kind="real")
    add_collection(other, make_collection(researcher, "Other fake", "synthetic", 5, seed=50), kind="external",
                   generator_name="g")
    other = open_study(other)
    other_key = issue_key(_reader(other, "rad2"))
    good = issue_key(reader)
    for key in (None, "", "garbage", good[:-2] + ("AA" if not good.endswith("AA") else "BB"), other_key):
        response = _post(client, study, _rating(), key)
        assert response.status_code == 401, (key, response.status_code)
        assert response.json()["key"] == "expired"
    assert not Rating.objects.exists()
    # The session alone does not rate either: a cookie is what a cross-site form would carry.
    client.force_login(reader.user)
    assert _post(client, study, _rating(), None).status_code == 401


@pytest.mark.django_db
def test_an_expired_key_is_refused_and_a_deactivated_reader_cannot_rate(client, draft_study, settings):
    study = open_study(draft_study)
    reader = _reader(study)
    key = issue_key(reader)
    settings.SESSION_COOKIE_AGE = -1  # every key is now older than the session's age
    assert _post(client, study, _rating(), key).status_code == 401
    settings.SESSION_COOKIE_AGE = 3600
    reader.user.is_active = False
    reader.user.save(update_fields=["is_active"])
    response = _post(client, study, _rating(), key)
    assert response.status_code == 409 and "no such image" in response.json()["detail"]
    assert not Rating.objects.exists()


@pytest.mark.parametrize("body, field", [
    ("not json", "valid JSON"), ("[1, 2]", "JSON object"), ({"position": 0, "confidence": 2}, "client_id"),
    ({"client_id": "nope", "position": 0}, "client_id"), ({"client_id": str(uuid.uuid4())}, "position"),
    ({"client_id": str(uuid.uuid4()), "position": "0"}, "position"),
    ({"client_id": str(uuid.uuid4()), "position": True}, "position"),
    ({"client_id": str(uuid.uuid4()), "position": -1}, "position"),
    ({"client_id": str(uuid.uuid4()), "position": 0, "confidence": 2.5}, "confidence"),
    ({"client_id": str(uuid.uuid4()), "position": 0, "timed_out": "yes"}, "timed_out"),
    ({"client_id": str(uuid.uuid4()), "position": 0, "tell_x": "0.5"}, "tell_x"),
    ('{"client_id": "%s", "position": 0, "tell_x": NaN}' % uuid.uuid4(), "NaN"),
    ({"client_id": str(uuid.uuid4()), "position": 0, "tell_text": "x" * 501}, "tell_text"),
    ({"client_id": str(uuid.uuid4()), "position": 0, "display": ["a"]}, "display"),
    ({"client_id": str(uuid.uuid4()), "position": 0, "client_ms": -5}, "client_ms"),
])
def test_a_body_that_is_not_a_rating_is_refused_naming_the_field(body, field):
    with pytest.raises(BadRating, match=field):
        parse_rating(body if isinstance(body, str) else json.dumps(body))


@pytest.mark.django_db
def test_the_endpoint_answers_a_bad_body_with_400_and_its_sentence_and_stores_nothing(client, draft_study):
    study = open_study(draft_study)
    key = issue_key(_reader(study))
    for body in ("not json", {"client_id": str(uuid.uuid4()), "position": "0"}):
        response = _post(client, study, body, key)
        assert response.status_code == 400 and response.json()["detail"], response.content
    assert not Rating.objects.exists()


def test_the_parser_keeps_every_value_it_is_given():
    client_id = uuid.uuid4()
    given = parse_rating(json.dumps({"client_id": str(client_id), "position": 3, "confidence": 5, "realism": 2,
                                     "tell_text": "hands", "tell_x": 0.25, "tell_y": 1, "client_ms": 850,
                                     "display": {"devicePixelRatio": 2}, "unknown": "ignored"}))
    assert (given.client_id, given.position, given.confidence, given.realism, given.tell_text) == (
        client_id, 3, 5, 2, "hands")
    assert (given.tell_x, given.tell_y, given.client_ms, given.display, given.timed_out) == (
        0.25, 1.0, 850, {"devicePixelRatio": 2}, False)
    with pytest.raises(BadRating):
        parse_rating(b"\xff\xfe")


@pytest.mark.django_db
def test_a_rating_costs_one_read_and_one_insert_and_a_retry_two_reads(client, draft_study):
    study = open_study(draft_study)
    reader = _reader(study)
    key = issue_key(reader)
    assert _post(client, study, _rating(position=0), key).status_code == 201  # the first also freezes
    second = _rating(position=1)
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, study, second, key).status_code == 201
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("SELECT") == 1 and statements.count("INSERT") == 1, statements
    assert len([s for s in statements if s not in ("SAVEPOINT", "RELEASE")]) == 2, statements
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, study, second, key).status_code == 200
    retry = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert [s for s in retry if s not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "SELECT"], retry
    assert Rating.objects.filter(trial__reader=reader).count() == 2


@pytest.mark.django_db
def test_reading_time_runs_from_the_previous_rating_when_the_page_showed_the_next_at_once(client, draft_study):
    study = open_study(draft_study)
    reader = _reader(study)
    key = issue_key(reader)
    assert _post(client, study, _rating(position=0), key).status_code == 201
    # The reader looked at image 1 for 7 s after rating image 0 (its rating arrived then).
    Rating.objects.filter(trial__reader=reader, trial__position=0).update(
        rated_at=Rating.objects.get(trial__reader=reader).rated_at - timedelta(seconds=7))
    assert Trial.objects.get(reader=reader, position=1).served_at is None  # never fetched on its own
    assert _post(client, study, _rating(position=1), key).status_code == 201
    server_ms = Rating.objects.get(trial__reader=reader, trial__position=1).server_ms
    assert 7000 <= server_ms < 9000, server_ms
