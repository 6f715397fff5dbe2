"""A crawler of every reader-facing response finds no origin, source, collection, file name or store
token; image responses carry the same headers whatever the image's origin."""
import json
import re
import uuid

import pytest
from django.urls import reverse

from imaging.models import Image
from studies.lifecycle import join
from studies.models import PoolImage
from tests.accounts.factories import UserFactory
from tests.studies.conftest import open_study

pytestmark = pytest.mark.django_db


def _secrets(study) -> list[str]:
    """Everything that would tell a reader where an image comes from."""
    words = []
    for source in study.sources.select_related("collection"):
        words += [source.label, source.collection.name, source.generator_name, str(source.collection.public_id)]
    for image in Image.objects.filter(study_pool_entries__study=study):
        words += [image.token, image.master.name, image.display.name, image.master_sha256, image.display_sha256]
    words += ["provenance", "\"origin\"", "data-origin", "StyleGAN", "external", "source_header", "sha256"]
    return [w for w in words if w]


def _crawl(client, study):
    """Every page, API answer and image a reader gets, as (label, headers, text)."""
    seen = []

    def get(url, **kw):
        response = client.get(url, **kw)
        assert response.status_code == 200, (url, response.status_code)
        seen.append((url, dict(response.headers), response.content.decode("latin-1")))
        return response

    get(reverse("home"), follow=True)
    get(reverse("studies:reader-home"))
    get(reverse("studies:read", args=[study.public_id]))
    payload = get(f"/api/studies/{study.public_id}/reading/").json()
    for trial in payload["trials"]:
        for image in trial["images"]:
            get(image["masterUrl"])
    rating = client.post(f"/api/studies/{study.public_id}/ratings/", data=json.dumps(
        {"client_id": str(uuid.uuid4()), "position": 0, "confidence": 2}), content_type="application/json",
        HTTP_X_RATING_KEY=payload["rating_key"])
    assert rating.status_code == 201
    seen.append(("rating", dict(rating.headers), rating.content.decode()))
    return seen


def _consenting_reader(client, study):
    reader = join(study, UserFactory(username="rad"))
    client.force_login(reader.user)
    consent = client.get(reverse("studies:read", args=[study.public_id]))
    assert b"I agree." in consent.content
    client.post(reverse("studies:read", args=[study.public_id]),
                {"training_level": "resident", "years_experience": "2", "specialty": "thoracic", "agree": "on"})
    return reader


def _leaks(client, study) -> list[tuple[str, str]]:
    secrets = _secrets(study)
    found = []
    for url, headers, text in _crawl(client, study):
        found += [(url, secret) for secret in secrets
                  if secret in text or secret in url or secret in json.dumps(headers)]
        found += [(url, header) for header in {"ETag", "Last-Modified", "Content-Disposition"} & set(headers)]
    return found


def test_no_reader_facing_response_names_where_an_image_comes_from(client, draft_study):
    study = open_study(draft_study)
    _consenting_reader(client, study)
    assert _leaks(client, study) == []


def test_the_crawler_catches_a_planted_store_token(client, draft_study, monkeypatch):
    from studies import reading

    entry = reading.image_entry
    monkeypatch.setattr(reading, "image_entry", lambda reader, p: {**entry(reader, p), "token": p.image.token})
    study = open_study(draft_study)
    _consenting_reader(client, study)
    leaks = _leaks(client, study)
    assert leaks and all(secret in {i.token for i in Image.objects.all()} for _, secret in leaks)


def test_real_and_synthetic_images_are_served_alike(client, draft_study):
    study = open_study(draft_study)
    reader = join(study, UserFactory(username="rad"))
    client.force_login(reader.user)
    header_sets, signatures = {}, {}
    for pool_image in PoolImage.objects.filter(study=study):
        response = client.get(reverse("studies:reader-image", args=[study.public_id, pool_image.reader_token]))
        assert response.status_code == 200
        header_sets.setdefault(pool_image.truth, set()).add(
            tuple(sorted(k for k in response.headers if k != "Content-Length")))
        chunks = re.findall(rb"(?<=.{4})(IHDR|IDAT|IEND|tEXt|iTXt|zTXt|pHYs|gAMA|sRGB|iCCP|tIME)", response.content[:64])
        signatures.setdefault(pool_image.truth, set()).add(tuple(chunks))
    assert header_sets["real"] == header_sets["synthetic"] and len(header_sets["real"]) == 1
    assert signatures["real"] == signatures["synthetic"]


def test_reader_tokens_are_unrelated_to_store_tokens_and_outsiders_get_404(client, draft_study):
    study = open_study(draft_study)
    pool_image = PoolImage.objects.filter(study=study).select_related("image").first()
    assert pool_image.reader_token != pool_image.image.token
    assert pool_image.image.token not in pool_image.reader_token
    outsider = UserFactory(username="outsider")
    client.force_login(outsider)
    assert client.get(reverse("studies:reader-image", args=[study.public_id, pool_image.reader_token])).status_code == 404
    assert client.get(reverse("studies:read", args=[study.public_id])).status_code == 404
    assert client.get(f"/api/studies/{study.public_id}/reading/").status_code == 404
