"""Frozen dataclasses read back from JSON: the one rule for what a stored record may hold."""
from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def from_record(cls: type[T], data: dict[str, Any], *, what: str, tuples: frozenset[str] = frozenset()) -> T:
    """cls(**data), refusing keys the dataclass does not have (a typo must not pass silently);
    JSON lists of the fields named in `tuples` become tuples again."""
    unknown = set(data) - {field.name for field in fields(cls)}
    if unknown:
        raise ValueError(f"unknown {what} fields: {', '.join(sorted(unknown))}")
    return cls(**{key: tuple(value) if key in tuples else value for key, value in data.items()})
