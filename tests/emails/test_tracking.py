"""Anymail's tracking webhook (Postmark's format here) updates the sent-log row, and staff see
it. Requests without the webhook's basic-auth secret change nothing."""

import base64
import json

import pytest

from tests.fixtures.checkout import fund, pay
from ticketing.models import EmailStatus, SentEmail

pytestmark = pytest.mark.django_db
URL = "/anymail/postmark/tracking/"


def auth(secret="tracker:s3cret"):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, event, secret="tracker:s3cret"):
    return client.post(URL, json.dumps(event), content_type="application/json", **auth(secret))


@pytest.fixture
def sent(as_alice, alice, held):
    fund(alice, 1000)
    pay(as_alice, held, use_wallet=True)
    return SentEmail.objects.get(key=f"booking_confirmed:{held.reference}")


def test_delivery_by_metadata_key(client, sent):
    event = {
        "RecordType": "Delivery",
        "MessageID": "pm-1",
        "Recipient": "alice@example.com",
        "DeliveredAt": "2026-11-20T10:01:00Z",
        "Metadata": {"sent_email": sent.key},
    }
    assert post(client, event).status_code == 200
    row = SentEmail.objects.get(pk=sent.pk)
    assert row.status == EmailStatus.DELIVERED
    assert row.events[-1]["event"] == "delivered" and row.events[-1]["recipient"] == "alice@example.com"


def test_bounce_by_message_id_and_it_stays_bounced(client, sent):
    bounce = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "MessageID": sent.message_id,
        "Email": "alice@example.com",
        "BouncedAt": "2026-11-20T10:02:00Z",
        "Description": "Mailbox does not exist",
        "ID": 42,
    }
    assert post(client, bounce).status_code == 200
    opened = {
        "RecordType": "Open",
        "MessageID": sent.message_id,
        "Recipient": "alice@example.com",
        "ReceivedAt": "2026-11-20T10:03:00Z",
    }
    assert post(client, opened).status_code == 200
    row = SentEmail.objects.get(pk=sent.pk)
    assert row.status == EmailStatus.BOUNCED
    assert [e["event"] for e in row.events] == ["bounced", "opened"]
    assert "Mailbox does not exist" in row.events[0]["detail"]


def test_unknown_message_is_accepted_and_ignored(client, sent):
    event = {"RecordType": "Delivery", "MessageID": "nobody", "Recipient": "x@example.com", "DeliveredAt": "2026-11-20T10:01:00Z"}
    assert post(client, event).status_code == 200
    assert SentEmail.objects.get(pk=sent.pk).status == EmailStatus.SENT


@pytest.mark.parametrize("secret", ["tracker:wrong", None])
def test_wrong_or_missing_secret_changes_nothing(client, sent, secret):
    event = {
        "RecordType": "Delivery",
        "MessageID": sent.message_id,
        "Recipient": "alice@example.com",
        "DeliveredAt": "2026-11-20T10:01:00Z",
        "Metadata": {"sent_email": sent.key},
    }
    headers = auth(secret) if secret else {}
    response = client.post(URL, json.dumps(event), content_type="application/json", **headers)
    assert response.status_code in (400, 401, 403)
    assert SentEmail.objects.get(pk=sent.pk).status == EmailStatus.SENT
