"""One gift card code redeemed by several customers at the same instant, each on its own
PostgreSQL connection: the conditional UPDATE (issued → redeemed) lets exactly one through,
so the value is credited once (docs/DESIGN.md §3)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from tests.concurrency.test_promo_race import run_together
from tests.factories import make_customer
from ticketing.models import Booking, GiftCard, GiftCardState
from ticketing.services import gift_cards
from ticketing.services.finalize import confirm_locked
from ticketing.services.gift_codes import code_for
from wallet.models import TransactionKind, WalletTransaction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: many connections at once"),
    pytest.mark.postgres,
]
REDEEMERS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_code_redeemed_at_once_by_eight_customers_credits_once(settings):
    settings.MARQUEE_GIFT_REDEEM_IP_RATE = 0
    buyer = make_customer(username="giver", email="giver@example.com")
    card = gift_cards.buy_gift_card(buyer, 2000, recipient_email="friend@example.com")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=card.booking_id)
        assert confirm_locked(booking, payment=None)
    card.refresh_from_db()
    assert card.state == GiftCardState.ISSUED
    code = code_for(card.seed)
    customers = [make_customer(username=f"r{n}", email=f"r{n}@example.com") for n in range(REDEEMERS)]

    results = run_together(
        [lambda c=c, i=i: gift_cards.redeem_gift_card(c, code, client_ip=f"198.51.100.{i}") for i, c in enumerate(customers)]
    )

    won = [r for r in results if isinstance(r, gift_cards.Redemption)]
    lost = [r for r in results if isinstance(r, gift_cards.GiftCardUsed)]
    assert len(won) == 1 and len(lost) == REDEEMERS - 1, results
    credits = WalletTransaction.objects.filter(kind=TransactionKind.GIFT_CARD)
    assert credits.count() == 1
    assert credits.get().amount == Decimal("2000.00")
    card = GiftCard.objects.get(pk=card.pk)
    assert card.state == GiftCardState.REDEEMED and card.wallet_entry == credits.get()
    assert card.redeemed_by.wallet.balance == Decimal("2000.00")
