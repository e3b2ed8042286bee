"""Ticketing follows the apps below it: cinema's seating changes and the wallet's staff credits.

Connected in TicketingConfig.ready() (as wagtail.contrib.redirects connects its page signals),
so cinema and the wallet never import ticketing."""

from cinema import signals as cinema_signals
from ticketing.mail.notifications import notify_wallet_credit
from ticketing.services.inventory import sync_show_seats, sync_upcoming_shows
from wallet.signals import staff_credit_issued


def show_screen_changed(sender, show, **kwargs):
    """A new show gets its seats; a show moved to another screen is resynced."""
    sync_show_seats(show)


def screen_layout_changed(sender, screen, **kwargs):
    sync_upcoming_shows(screens=[screen])


def seat_layout_edited(sender, layout, **kwargs):
    sync_upcoming_shows(layouts=[layout])


def staff_credit_issued_handler(sender, entry, **kwargs):
    """Finance credited a wallet: e-mail the customer (after the commit)."""
    notify_wallet_credit(entry)


def connect() -> None:
    cinema_signals.show_screen_changed.connect(show_screen_changed, dispatch_uid="ticketing.sync_show_seats")
    cinema_signals.screen_layout_changed.connect(screen_layout_changed, dispatch_uid="ticketing.sync_screen_shows")
    cinema_signals.seat_layout_edited.connect(seat_layout_edited, dispatch_uid="ticketing.sync_layout_shows")
    staff_credit_issued.connect(staff_credit_issued_handler, dispatch_uid="ticketing.notify_wallet_credit")
