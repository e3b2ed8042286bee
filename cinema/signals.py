"""What cinema tells the apps above it when seating changes, so it never imports them.

Each is sent right after the save it names, outside the save's own transaction (exactly where
the seat inventory used to be resynced); ticketing connects its inventory sync to them.

- ``show_screen_changed`` (sender ShowPage, ``show``): a new show, or one moved to another screen.
- ``screen_layout_changed`` (sender Screen, ``screen``): a screen now uses another seat layout.
- ``seat_layout_edited`` (sender SeatLayout, ``layout``): an existing layout was saved again.
"""

from django.dispatch import Signal

show_screen_changed = Signal()
screen_layout_changed = Signal()
seat_layout_edited = Signal()
