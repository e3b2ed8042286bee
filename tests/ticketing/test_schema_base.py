"""The API's Schema base: a plain dict goes to pydantic as it is, anything else still through
django-ninja's getter (model instances, resolvers), with the same result and the same refusals."""

from types import SimpleNamespace

import pytest
from ninja import Field
from ninja import schema as ninja_schema
from pydantic import ConfigDict, ValidationError

from ticketing.api.schemas import Schema


class Seats(Schema):
    label: str
    price: str = Field(..., pattern=r"^\d+\.\d{2}$")


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")

    seats: list[str]


class Resolved(Schema):
    label: str
    shout: str

    @staticmethod
    def resolve_shout(obj):
        return obj["label"].upper()


@pytest.fixture
def getter_calls(monkeypatch):
    """How many times ninja's DjangoGetter was built."""
    calls = []
    real = ninja_schema.DjangoGetter.__init__

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        real(self, *args, **kwargs)

    monkeypatch.setattr(ninja_schema.DjangoGetter, "__init__", counting)
    return calls


def test_a_plain_dict_skips_ninjas_getter(getter_calls):
    assert Seats.model_validate({"label": "A1", "price": "450.00"}).model_dump() == {"label": "A1", "price": "450.00"}
    assert getter_calls == []


def test_an_object_still_goes_through_the_getter(getter_calls):
    seat = SimpleNamespace(label="A1", price="450.00")
    assert Seats.model_validate(seat).model_dump() == {"label": "A1", "price": "450.00"}
    assert getter_calls == [seat]


def test_a_schema_with_resolvers_still_goes_through_the_getter(getter_calls):
    assert Resolved.model_validate({"label": "a1"}).shout == "A1"
    assert len(getter_calls) == 1


def test_a_dict_is_refused_as_before():
    with pytest.raises(ValidationError, match="price"):
        Seats.model_validate({"label": "A1", "price": "450"})
    with pytest.raises(ValidationError, match="extra"):
        Strict.model_validate({"seats": ["A1"], "coupon": "FREE"})
    assert Strict.model_validate({"seats": ["A1"]}).seats == ["A1"]
