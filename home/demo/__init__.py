"""Demo data for `manage.py seed_demo`: the catalogue (content), poster art (posters) and the
idempotent get-or-create steps that put them in the database (build)."""
