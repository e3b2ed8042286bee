"""Ticketing's staff admin: the bookings listing with its cancel and re-send forms, check-in at the door."""
