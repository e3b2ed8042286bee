"""Finance reports (sales, occupancy, wallet ledger, promo codes) and the staff dashboard
panels. Figures come from aggregate queries in `queries` and `dashboard`; the admin views,
filters and panels only read them. Wired into Wagtail by `hooks`."""
