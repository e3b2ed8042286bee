"""The published contract itself: versioned, with security schemes, every refusal declared with
a named body, and Retry-After on 429 in the schema and in the answer."""

import json

import pytest
from django.conf import settings

from ticketing.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    """As published: JSON (status codes as strings)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_the_schema_is_versioned_at_its_stable_path(client, schema):
    published = client.get("/api/openapi.json").json()
    assert published["info"]["version"] == settings.MARQUEE_VERSION == schema["info"]["version"]
    assert settings.MARQUEE_VERSION.count(".") == 2


def test_authentication_is_declared(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["SessionAuth"] == {**schemes["SessionAuth"], "type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert schemes["CSRFToken"]["in"] == "header" and schemes["CSRFToken"]["name"] == "X-CSRFToken"
    for method, path, operation in operations(schema):
        if method in {"post", "put", "delete"}:
            assert operation["security"] == [{"SessionAuth": [], "CSRFToken": []}], (method, path)
    checkin = schema["paths"]["/api/checkin"]["post"]
    assert checkin["x-required-permission"] == "ticketing.check_in_ticket"


def test_every_operation_declares_its_refusals_with_named_bodies(schema):
    for method, path, operation in operations(schema):
        responses = operation["responses"]
        if operation.get("security"):
            assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation or operation.get("parameters"):
            assert "422" in responses or "{" in path, (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[1] in {
                    "Refusal",
                    "SeatConflict",
                    "UnknownSeats",
                    "CounterConflict",
                    "SoldOut",
                    "UnknownItems",
                    "ValidationRefusal",
                }
                assert response["description"] and response["description"] != "Bad Request"
    holds = schema["paths"]["/api/shows/{show_id}/holds"]["post"]["responses"]
    assert holds["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/SeatConflict")
    assert "503" in schema["paths"]["/api/bookings/{reference}/pay"]["post"]["responses"]
    items = schema["paths"]["/api/bookings/{reference}/items"]["put"]["responses"]
    assert items["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/SoldOut")
    conflict = schema["components"]["schemas"]["SeatConflict"]
    assert set(conflict["required"]) == {"detail", "unavailable"}


def test_amounts_and_times_say_their_form(schema):
    quote = schema["components"]["schemas"]["QuoteOut"]["properties"]
    assert quote["total"]["type"] == "string" and quote["total"]["examples"] == ["450.00"]
    starts = schema["components"]["schemas"]["ShowOut"]["properties"]["starts_at"]
    assert starts["examples"][0].endswith("+05:30")
    assert "url" in schema["components"]["schemas"]["ShowOut"]["required"]


def test_429_carries_retry_after_in_the_schema_and_the_answer(schema, as_alice, show, settings):
    for _method, _path, operation in operations(schema):
        if "429" in operation["responses"]:
            assert operation["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    settings.MARQUEE_HOLD_RATE = 1
    url = f"/api/shows/{show.pk}/holds"
    assert as_alice.post(url, {"seats": ["A1"]}, content_type="application/json").status_code == 201
    refused = as_alice.post(url, {"seats": ["A2"]}, content_type="application/json")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["code"] == "rate_limited"


def test_a_date_that_is_a_number_is_refused(client):
    response = client.get("/api/shows?date=0")
    assert response.status_code == 422
    assert response.json()["detail"] == "date: Value error, use a date as YYYY-MM-DD"


def test_operation_ids_stay_put(schema):
    """Generated clients name their methods after these: they come from the view's module and
    name, so moving an endpoint to another module is a breaking change (docs/api.md)."""
    ids = sorted(operation["operationId"] for _method, _path, operation in operations(schema))
    assert ids == [
        "ticketing_api_add_promo",
        "ticketing_api_cancel",
        "ticketing_api_cancellation_cancellation_preview",
        "ticketing_api_checkin_checkin",
        "ticketing_api_counter_close_shift",
        "ticketing_api_counter_current_shift",
        "ticketing_api_counter_open_shift",
        "ticketing_api_counter_sell",
        "ticketing_api_counter_void",
        "ticketing_api_create_hold",
        "ticketing_api_delete_hold",
        "ticketing_api_delete_promo",
        "ticketing_api_get_booking",
        "ticketing_api_gift_cards_buy_gift_card",
        "ticketing_api_gift_cards_get_gift_card",
        "ticketing_api_gift_cards_redeem_gift_card",
        "ticketing_api_list_shows",
        "ticketing_api_pay",
        "ticketing_api_put_items",
        "ticketing_api_session_session",
        "ticketing_api_show_menu",
        "ticketing_api_show_seats",
    ]


def test_a_filter_given_twice_is_refused(client):
    response = client.get("/api/shows?city=Pune&city=Mumbai&movie=dune")
    assert response.status_code == 422
    assert response.json()["errors"] == ["city: give one value, not several"]
