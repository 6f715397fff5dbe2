"""The two doors of a job spec: the page's form and the API's serializer.

Both hand what they received, as received, to the spec's `from_params` and report its SpecError on
the field it names. Neither checks a range, a choice or a type of its own, so a bad value gets the
same sentence through either door (tests/generation/test_job_doors.py). A form's widgets carry
hints only (choices, min/max), taken from the spec's constants.
"""
from __future__ import annotations

from dataclasses import MISSING, Field, fields
from typing import Any, get_type_hints

from django import forms
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.drainage import set_override
from rest_framework import serializers

from generation.specs import SpecError


class SpecForm(forms.Form):
    """A form of plain inputs (`spec_input`) whose `clean` builds `self.spec` with `spec_class`.

    fixed: params the page supplies itself, e.g. the model named in its URL."""

    spec_class: type

    def __init__(self, *args: Any, user, fixed: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.fixed, self.spec = user, dict(fixed or {}), None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            self.spec = self.spec_class.from_params({**data, **self.fixed}, user=self.user)
        except SpecError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.sentence)
        return data


def spec_input(widget: forms.Widget | None = None, **kwargs: Any) -> forms.Field:
    """A form field that passes the posted text through untouched (the spec converts and checks it)."""
    return forms.Field(required=False, widget=widget, **kwargs)


class SpecSerializer(serializers.Serializer):
    """A serializer of `SpecValue`s whose validated data is {"spec": spec_class.from_params(...)}.

    Every field of the spec's dataclass, less those it derives, is a request value, typed in the schema from its annotation;
    a subclass declares a field only to describe it better (choices, help text). A field that names a
    row (a model, a collection) is asked for by its public id."""

    spec_class: type

    def get_fields(self) -> dict[str, serializers.Field]:
        declared = super().get_fields()
        in_spec_order = {spec_field.name: declared.pop(spec_field.name, None) or _spec_value(spec_field, hint)
                         for spec_field, hint in _spec_fields(self.spec_class)}
        return {**in_spec_order, **declared}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            return {"spec": self.spec_class.from_params(attrs, user=self.context["request"].user)}
        except SpecError as exc:
            raise serializers.ValidationError({exc.field: [exc.sentence]}) from None


class SpecValue(serializers.Field):
    """A request value passed through untouched (the spec converts and checks it); `schema` is what
    the OpenAPI document says it is (an OpenApiTypes member, a JSON-schema dict or a serializer field
    that only describes it)."""

    def __init__(self, schema: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)
        set_override(self, "field", schema)

    def to_internal_value(self, data: Any) -> Any:
        return data

    def to_representation(self, value: Any) -> Any:
        return value


_SCHEMA_OF_TYPE = {int: OpenApiTypes.INT, float: OpenApiTypes.NUMBER, str: OpenApiTypes.STR, bool: OpenApiTypes.BOOL}


def _spec_fields(spec_class: type):
    """The spec's fields a request may give, with their types (not those it works out: DERIVED)."""
    hints = get_type_hints(spec_class)
    return [(spec_field, hints[spec_field.name]) for spec_field in fields(spec_class)
            if not spec_field.metadata.get("derived")]


def _spec_value(spec_field: Field, hint: Any) -> SpecValue:
    has_default = spec_field.default is not MISSING or spec_field.default_factory is not MISSING
    return SpecValue(_schema_of(hint), help_text=None if has_default else "Required.")


def _schema_of(hint: Any) -> Any:
    """int | None -> INT; a model class -> UUID (its public id); anything else -> STR."""
    members = [member for member in getattr(hint, "__args__", (hint,)) if member is not type(None)]
    if any(isinstance(member, type) and issubclass(member, models.Model) for member in members):
        return OpenApiTypes.UUID
    return next((_SCHEMA_OF_TYPE[member] for member in members if member in _SCHEMA_OF_TYPE), OpenApiTypes.STR)
