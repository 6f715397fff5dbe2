"""The Provenance record shared by exports and the platform."""
import pytest

from gan_engine.conditions import Condition
from gan_engine.export import Provenance

SHA = "0" * 64


def test_it_round_trips_through_json_with_conditions_as_dicts():
    p = Provenance("m", "1.0", SHA, 5, ({"finding": "solid_nodule", "severity": 0.2, "x": 0.5, "y": 0.5},))
    assert p.conditions == (Condition("solid_nodule", 0.2, 0.5, 0.5),)
    assert Provenance.from_json(p.to_json()) == p
    assert p.to_dict()["conditions"] == [{"finding": "solid_nodule", "severity": 0.2, "x": 0.5, "y": 0.5}]


def test_a_shared_condition_serves_every_image():
    p = Provenance("m", "1.0", SHA, 5, (Condition("normal"),))
    assert p.condition_for(7) == Condition("normal")
    p.check_count(12)


@pytest.mark.parametrize("kwargs, message", [
    (dict(checkpoint_sha256="ABC"), "64 lower-case hex"),
    (dict(seed=-1), "non-negative"),
    (dict(seed=True), "non-negative"),
    (dict(model_name=" "), "model_name"),
    (dict(conditions=()), "at least one condition"),
])
def test_it_rejects_bad_fields(kwargs, message):
    base = dict(model_name="m", model_version="1", checkpoint_sha256=SHA, seed=0, conditions=(Condition(),))
    with pytest.raises(ValueError, match=message):
        Provenance(**{**base, **kwargs})


def test_from_dict_rejects_unknown_keys():
    data = Provenance("m", "1", SHA, 0, (Condition(),)).to_dict()
    with pytest.raises(ValueError, match="provenance keys"):
        Provenance.from_dict({**data, "extra": 1})
