"""A reading membership's rating key: how the rating endpoint knows its reader without a session.

The reading API (signed in as usual) hands the page a key signed with the server's secret; the
page sends it in the `X-Rating-Key` header with each rating. Checking it costs no query, so the
store's one read and one write are all a rating pays (the session and user lookups every signed-in
request makes are most of the time of a small request). It is sent in a header that a page of
another site cannot set, so, like an API token, it needs no CSRF token; it expires with the
session's age and the page fetches a new one whenever it tops up its trials.
"""
from __future__ import annotations

from django.conf import settings
from django.core import signing

HEADER = "X-Rating-Key"
_SALT = "studies.rating-key"


def issue_key(reader) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{reader.pk}.{reader.user_id}.{reader.study.public_id}")


def membership_of_key(key: str | None, study_public_id) -> tuple[int, int] | None:
    """(reader pk, user pk) the key was issued for, if it is for this study; None if it is forged,
    garbled, expired or another study's."""
    if not key:
        return None
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(key, max_age=settings.SESSION_COOKIE_AGE)
        reader_pk, user_pk, study = value.split(".")
        if study != str(study_public_id):
            return None
        return int(reader_pk), int(user_pk)
    except (signing.BadSignature, ValueError):
        return None
