"""The refusal every service raises: a message a customer can act on, and its HTTP status.

Every refusal carries an HTTP status so the API maps it without knowing the rules; the
apps subclass it (ticketing's seat and promo refusals, the wallet's insufficient funds).
"""


class BookingError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra
