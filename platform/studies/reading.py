"""What a reader is shown: the one home of the blinded reading contract.

Everything reader-facing is built here from facts that real and synthetic images share: the
study-local token (never the store token), the matrix size, the modality and a window fixed per
modality for the whole study (a per-image default window is computed from the pixels and could
differ by origin). Served pixels are re-encoded with one fixed encoder and no metadata chunks, so
bytes carry no trace of how each file was written. What remains (noise, texture, compressibility
of the content itself) is what the blinding audit measures.
"""
from __future__ import annotations

import io

import numpy as np
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from PIL import Image as PILImage

from imaging.viewer import blinded_meta
from studies.models import PoolImage, StudyReader, Trial
from studies.rating import mark_served, next_trial
from studies.sessions import closed_sentence, session_opens_at

# The study's opening window per modality, in display units (HU for CT: the lung window). The
# viewer's own presets (lung, mediastinum, soft tissue, bone, brain) stay on their buttons.
FIXED_WINDOWS = {"CT": {"center": -600.0, "width": 1500.0}}
PNG_COMPRESS_LEVEL = 6


# The keys of imaging.viewer.blinded_meta a reader gets. Left out: the store token (readers get a
# study-local one), the pixel spacing and the per-image window and presets, which are computed
# per image and could differ by origin (a generator's spacing, a window fitted to its histogram).
READER_FIELDS = ("width", "height", "modality", "rescale_intercept", "units")


def image_entry(reader: StudyReader, pool_image: PoolImage) -> dict:
    image = pool_image.image
    meta = {key: value for key, value in blinded_meta(image).items() if key in READER_FIELDS}
    meta["window"] = FIXED_WINDOWS.get(image.modality, {"center": 32768.0, "width": 65536.0})
    return {
        "masterUrl": reverse("studies:reader-image", kwargs={"public_id": reader.study.public_id,
                                                            "reader_token": pool_image.reader_token}),
        "meta": meta,
    }


def membership_or_404(user, public_id) -> StudyReader:
    """The user's reading membership of the study, else 404 (never 403: a study's existence is not told)."""
    reader = StudyReader.objects.select_related("study").filter(study__public_id=public_id, user=user).first()
    if reader is None:
        raise Http404("No such study.")
    return reader


def with_progress(readers) -> list[tuple[StudyReader, int, int]]:
    """(reader, trials rated, trials) for each membership, in one query (reader and researcher pages)."""
    rows = readers.select_related("study", "user").annotate(rated=Count("trials__rating"), total=Count("trials"))
    return [(reader, reader.rated, reader.total) for reader in rows]


LOOKAHEAD = 3  # trials the page holds ahead, images in memory: reading goes on through a short outage


def trial_entry(reader: StudyReader, trial: Trial) -> dict:
    """One trial as the page sees it. No truth, source or feedback: only position and images."""
    images = [trial.first] + ([trial.second] if trial.second_id else [])
    return {"position": trial.position, "number": trial.position + 1, "session": trial.session,
            "calibration": trial.kind == "calibration", "images": [image_entry(reader, p) for p in images]}


def current_payload(reader: StudyReader) -> dict:
    """The first unrated trial and a few after it. The first is marked served now: reading time
    runs from the page receiving it (a prefetched image is fetched earlier, so a fetch cannot be
    the start; a trial shown while offline has no server time, only the browser's)."""
    total = reader.trials.count()
    trial = next_trial(reader)
    if trial is None:
        return {"done": True, "total": total, "trials": []}
    opens = session_opens_at(reader, trial.session)
    if opens is not None:
        return {"done": False, "total": total, "trials": [], "session": trial.session,
                "waiting": closed_sentence(trial.session, opens)}
    mark_served(trial)
    # The lookahead stays inside the session: the next one may have to wait for its washout.
    upcoming = (reader.trials.filter(position__gte=trial.position, rating__isnull=True, session=trial.session)
                .select_related("first__image", "second__image").order_by("position")[: 1 + LOOKAHEAD])
    return {"done": False, "total": total, "trials": [trial_entry(reader, t) for t in upcoming]}


def reencoded_master(pool_image: PoolImage) -> bytes:
    """The 16-bit master, decoded and written again by one encoder with no ancillary chunks."""
    with pool_image.image.master.open("rb") as fh, PILImage.open(fh) as pil:
        values = np.asarray(pil)
    out = io.BytesIO()
    PILImage.fromarray(values.astype(np.uint16)).save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def calibration_feedback(trial: Trial, answer: str) -> dict | None:
    """Feedback is given in the calibration block only (never during the test proper)."""
    if trial.kind != "calibration" or not answer:
        return None
    if trial.second_id:
        real_side = "left" if trial.first.truth == "real" else "right"
        return {"correct": answer == real_side, "truth": f"The real image was on the {real_side}."}
    return {"correct": answer == trial.first.truth, "truth": f"This image is {trial.first.truth}."}
