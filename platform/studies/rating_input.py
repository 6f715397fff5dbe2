"""A rating as the browser sends it: the one parser of the rating endpoint's JSON body.

Small and strict on purpose (the endpoint's cost is a budget, see benchmarks/reading.py): each
value must have its JSON type (a number is not a string of digits, true is not 1), unknown keys
are ignored, and the first problem is named in one sentence. What a value means for the study
(the scale's range, whether tells are asked) is checked by the store, studies.rating.
"""
from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from typing import Any

MAX_TELL_CHARACTERS = 500
MAX_DISPLAY_CHARACTERS = 2000


class BadRating(ValueError):
    """The body is not a rating; str() says what is wrong, naming the field."""


@dataclass(frozen=True)
class RatingInput:
    client_id: uuid.UUID
    position: int
    confidence: int | None = None
    timed_out: bool = False
    realism: int | None = None
    tell_text: str = ""
    tell_x: float | None = None
    tell_y: float | None = None
    client_ms: int | None = None
    display: dict | None = None


def _refuse_constant(name: str) -> None:
    raise BadRating(f"{name} is not a number JSON allows.")


def _whole(data: dict, name: str, *, required: bool = False, low: int | None = None) -> int | None:
    value = data.get(name)
    if value is None:
        if required:
            raise BadRating(f"{name}: this field is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRating(f"{name}: a whole number is required.")
    if low is not None and value < low:
        raise BadRating(f"{name}: must be at least {low}.")
    return value


def _fraction(data: dict, name: str) -> float | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadRating(f"{name}: a number is required.")
    return float(value)


def _client_id(data: dict) -> uuid.UUID:
    value = data.get("client_id")
    if not isinstance(value, str):
        raise BadRating("client_id: this field is required (a UUID made by the page).")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRating("client_id: must be a valid UUID.") from None


def _tell_text(data: dict) -> str:
    value = data.get("tell_text") or ""
    if not isinstance(value, str):
        raise BadRating("tell_text: text is required.")
    if len(value) > MAX_TELL_CHARACTERS:
        raise BadRating(f"tell_text: keep it under {MAX_TELL_CHARACTERS} characters.")
    return value


def _display(data: dict) -> dict:
    value = data.get("display") or {}
    if not isinstance(value, dict) or len(json.dumps(value)) > MAX_DISPLAY_CHARACTERS:
        raise BadRating(f"display: an object of at most {MAX_DISPLAY_CHARACTERS} characters is required.")
    return value


def parse_rating(body: bytes | str) -> RatingInput:
    try:
        data: Any = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, BadRating):
            raise
        raise BadRating("The rating is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadRating("A rating is a JSON object.")
    timed_out = data.get("timed_out", False)
    if not isinstance(timed_out, bool):
        raise BadRating("timed_out: true or false is required.")
    return RatingInput(
        client_id=_client_id(data), position=_whole(data, "position", required=True, low=0),
        confidence=_whole(data, "confidence"), timed_out=timed_out, realism=_whole(data, "realism"),
        tell_text=_tell_text(data), tell_x=_fraction(data, "tell_x"), tell_y=_fraction(data, "tell_y"),
        client_ms=_whole(data, "client_ms", low=0), display=_display(data),
    )
