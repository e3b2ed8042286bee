"""Wallets arrive with the payments issue; the app exists now so the layout is stable."""
