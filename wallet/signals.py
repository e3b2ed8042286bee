"""What the wallet tells the apps above it, so it never imports them.

``staff_credit_issued`` is sent (with ``entry``, the new ledger row) inside the transaction
that wrote a finance credit or refund; ticketing connects the customer's e-mail to it."""

from django.dispatch import Signal

staff_credit_issued = Signal()
